"""The orphan sweep of issued documents: the documents' registration with the one storage policy
of common.uploads.storage (files stored during an action that rolls back are removed at once
under its guard; what a crash or a caller without the guard leaves is swept after a grace
period)."""

from __future__ import annotations

import datetime as dt

from celery import shared_task

from common.uploads import storage

from .models import ISSUED_PREFIX

ORPHAN_GRACE = storage.ORPHAN_GRACE


def issued_files_sweep(*, grace: dt.timedelta = ORPHAN_GRACE, dry_run: bool = False) -> list[str]:
    """Delete files under the issued-documents prefix that no IssuedDocument refers to (neither
    as its .docx nor as its PDF) and that are older than `grace`. Returns their storage names.

    Such files are left when a caller issues inside its own transaction without the guard
    (common.uploads.storage.removed_on_rollback) and that transaction rolls back after
    document_issue returned, or when a process dies mid-way: the row and its number go, the file
    stays. The grace period keeps files of transactions still open, and PDFs being stored, out of
    reach. Runs periodically (project/celery.py, with every other registered prefix) and by hand:
    `manage.py sweep_issued_files`."""
    return storage.sweep_orphans(prefix=ISSUED_PREFIX, grace=grace, dry_run=dry_run)


def stored_files_sweep(*, grace: dt.timedelta = ORPHAN_GRACE, dry_run: bool = False) -> list[str]:
    """The sweep over every registered prefix (issued documents, process evidence files, …)."""
    return storage.sweep_orphans(grace=grace, dry_run=dry_run)


@shared_task(name="documents.tasks.sweep_issued_files")
def sweep_issued_files():
    """Remove stored files that no row refers to: issued documents and every other prefix
    registered with common.uploads.storage (process evidence files) — sweep.stored_files_sweep."""
    return len(stored_files_sweep())
