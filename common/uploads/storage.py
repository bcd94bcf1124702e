"""Storing checked bytes, and the one policy for files stored during an action that rolls back.

A file is written before its row commits, so a rollback takes the row and leaves the file. The
policy, the same for every caller (evidence files, issued documents, templates):

1. **Removed at once.** `removed_on_rollback()` wraps a whole action, its outermost transaction
   included. Every file `store()`d inside it is deleted when the action raises — also after the
   storing service has returned (e.g. the next task cannot be created) — and when the outermost
   transaction ended without committing (set_rollback) although nothing was raised.
2. **Swept later.** What (1) cannot see — a process killed mid-way, a caller without the guard,
   a guard nested in a transaction that rolls back after it — is left as a file no row refers
   to. `sweep_orphans()` removes such files under a registered prefix once they are older than a
   grace period (a transaction still open keeps its files). A periodic job runs it.

Why both: deleting on rollback keeps the storage clean in the common case and needs no job, but a
process that dies cannot clean up after itself; the sweep alone would leave a refused upload's
file in the storage for an hour and depends on the job running. Together nothing stored survives a
rollback for longer than the sweep's period, and nothing a committed row refers to is touched.

Names are always made by the server: the model field's `upload_to` decides them (e.g. the
checksum and the kind), never the user's file name.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

ORPHAN_GRACE = dt.timedelta(hours=1)


@dataclass
class _Stored:
    storage: object
    name: str
    committed: bool = False

    def mark_committed(self) -> None:
        self.committed = True


@dataclass
class _Action:
    using: str
    stored: list[_Stored] = field(default_factory=list)


_action: contextvars.ContextVar[_Action | None] = contextvars.ContextVar("uploads_action", default=None)


def store(field_file, data: bytes, *, name: str = "upload", using: str = DEFAULT_DB_ALIAS) -> str:
    """Write `data` to a model's FileField (not saving the model) under the name its upload_to
    makes; the file is removed if the surrounding action rolls back (see the module docstring).
    Returns the storage name."""
    field_file.save(name, ContentFile(data), save=False)
    action = _action.get()
    if action is not None:  # without a guard, the sweep is what cleans up
        stored = _Stored(field_file.storage, field_file.name)
        action.stored.append(stored)
        transaction.on_commit(stored.mark_committed, using=using)
    return field_file.name


def remove(storage, name: str) -> None:
    """Best-effort delete (a missing file is not an error)."""
    try:
        storage.delete(name)
    except OSError:  # pragma: no cover - a storage that cannot delete now; the sweep will
        logger.warning("could not remove stored file %s", name)


@contextlib.contextmanager
def removed_on_rollback(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Wrap a whole action: files stored in it are removed when it fails (see the module
    docstring). Nested use joins the outer action."""
    if _action.get() is not None:
        yield
        return
    action = _Action(using=using)
    token = _action.set(action)
    try:
        yield
    except BaseException:
        for stored in action.stored:
            remove(stored.storage, stored.name)
        raise
    else:
        if not transaction.get_connection(using).in_atomic_block:
            # The outermost transaction is over: committed files were marked by on_commit.
            for stored in action.stored:
                if not stored.committed:
                    remove(stored.storage, stored.name)
    finally:
        _action.reset(token)


# --- the sweep -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Swept:
    prefix: str
    model: type
    fields: tuple[str, ...]


_swept: dict[str, _Swept] = {}


def register_swept(prefix: str, model, *fields: str) -> None:
    """Files under `prefix` (a storage folder) belong to these FileFields of `model`; sweep_orphans
    removes those no row refers to."""
    _swept[prefix.rstrip("/")] = _Swept(prefix.rstrip("/"), model, fields)


def swept_prefixes() -> list[str]:
    return sorted(_swept)


def sweep_orphans(*, prefix: str | None = None, grace: dt.timedelta = ORPHAN_GRACE, dry_run: bool = False) -> list[str]:
    """Delete files under the registered prefixes (or the one given) that no row refers to and
    that are older than `grace`. Returns their storage names."""
    removed: list[str] = []
    for registered in [_swept[prefix.rstrip("/")]] if prefix else [_swept[p] for p in swept_prefixes()]:
        removed += _sweep_one(registered, grace=grace, dry_run=dry_run)
    if removed:
        logger.info("orphan sweep: %s file(s) %s", len(removed), "found" if dry_run else "removed")
    return removed


def _sweep_one(registered: _Swept, *, grace: dt.timedelta, dry_run: bool) -> list[str]:
    model = registered.model
    storage = model._meta.get_field(registered.fields[0]).storage
    cutoff = timezone.now() - grace
    removed = []
    for directory, names in _walk(storage, registered.prefix):
        if not names:
            continue
        folder = f"{directory}/"
        referenced: set[str] = set()
        for name in registered.fields:
            referenced |= set(
                model._default_manager.filter(**{f"{name}__startswith": folder}).values_list(name, flat=True)
            )
        for name in names:
            path = f"{folder}{name}"
            if path in referenced:
                continue
            try:
                modified = storage.get_modified_time(path)
            except NotImplementedError:
                logger.warning("orphan sweep: storage cannot tell the age of %s; kept", path)
                continue
            except FileNotFoundError:
                continue
            if timezone.is_naive(modified):
                modified = timezone.make_aware(modified)
            if modified > cutoff:
                continue
            if not dry_run:
                storage.delete(path)
            logger.warning(
                "orphan sweep: %s %s (no row refers to it; modified %s)",
                "would remove" if dry_run else "removed",
                path,
                modified.isoformat(),
            )
            removed.append(path)
    return removed


def _walk(storage, top: str):
    """(directory, file names) for `top` and every directory below it, as storage names."""
    try:
        directories, files = storage.listdir(top)
    except FileNotFoundError:
        return
    yield top, files
    for directory in sorted(directories):
        yield from _walk(storage, f"{top}/{directory}")
