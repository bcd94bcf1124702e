"""The orphan sweep: stored files of issued documents that no row refers to any more."""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone

from .models import ISSUED_PREFIX, IssuedDocument

logger = logging.getLogger(__name__)

ORPHAN_GRACE = dt.timedelta(hours=1)


def issued_files_sweep(*, grace: dt.timedelta = ORPHAN_GRACE, dry_run: bool = False) -> list[str]:
    """Delete files under the issued-documents prefix that no IssuedDocument refers to (neither
    as its .docx nor as its PDF) and that are older than `grace`. Returns their storage names.

    Such files are left when a caller issues inside its own transaction and that transaction
    rolls back after document_issue returned (workflows' list approval does so by design — one
    transaction for the whole batch): the row and its number go, the file stays. The grace
    period keeps files of transactions still open, and PDFs being stored, out of reach. Runs
    periodically (project/celery.py) and by hand: `manage.py sweep_issued_files`."""
    field = IssuedDocument._meta.get_field("file")
    storage = field.storage
    cutoff = timezone.now() - grace
    removed = []
    for directory, names in _walk(storage, ISSUED_PREFIX):
        if not names:
            continue
        prefix = f"{directory}/"
        referenced = set(IssuedDocument.objects.filter(file__startswith=prefix).values_list("file", flat=True))
        referenced |= set(IssuedDocument.objects.filter(pdf_file__startswith=prefix).values_list("pdf_file", flat=True))
        for name in names:
            path = f"{prefix}{name}"
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
                "orphan sweep: %s %s (no issued document refers to it; modified %s)",
                "would remove" if dry_run else "removed",
                path,
                modified.isoformat(),
            )
            removed.append(path)
    if removed:
        logger.info("orphan sweep: %s file(s) %s", len(removed), "found" if dry_run else "removed")
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
