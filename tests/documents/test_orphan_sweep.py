"""Files left by a rolled-back outer transaction: the caller (the РМА list approval) issues
inside one transaction for the whole batch; when that rolls back, the row and its number go but
the stored .docx stays. A periodic sweep removes such files after a grace period."""

import datetime as dt
import io
import logging
import os
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from documents.issuing import document_issue
from documents.kinds import get_spec
from documents.models import IssuedDocument, NumberingRegister
from documents.sweep import issued_files_sweep
from documents.tasks import sweep_issued_files
from tests.documents.kinds import DocumentKind
from tests.factories import make_organization

from .conftest import ISSUED_ON

pytestmark = pytest.mark.django_db


def issue(organization, artefact, kind=DocumentKind.RMA_LIST_ORDER):
    return document_issue(
        kind=kind,
        issuing_organization=organization,
        artefact=artefact,
        context=get_spec(kind).sample(organization),
        signatory=None,
        issued_on=ISSUED_ON,
        actor=None,
    )


def issued_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    base = root / "documents" / "issued"
    return {path.relative_to(root).as_posix() for path in base.rglob("*") if path.is_file()} if base.exists() else set()


def age(name: str, hours: float = 2) -> None:
    """Make a stored file look `hours` old."""
    path = Path(settings.MEDIA_ROOT) / name
    past = time.time() - hours * 3600
    os.utime(path, (past, past))


class Rollback(Exception):
    pass


def issue_and_roll_back(organization, artefact) -> str:
    """What list_approve does when a later step of the batch fails: the outer transaction rolls
    back after document_issue has returned. Returns the stored name left behind."""
    with pytest.raises(Rollback), transaction.atomic():
        document = issue(organization, artefact)
        name = document.file.name
        raise Rollback
    return name


def test_a_rolled_back_outer_transaction_leaves_an_orphan_the_sweep_removes(ministry, region, caplog):
    artefact = make_organization(region)
    orphan = issue_and_roll_back(ministry, artefact)
    assert not IssuedDocument.objects.exists()
    assert not NumberingRegister.objects.filter(next_number__gt=1).exists()  # the number went back with the row
    assert issued_files() == {orphan}

    document = issue(ministry, artefact)  # the approval is repeated: the same number again …
    assert document.number == "1/ОД"
    assert document.file.name != orphan  # … under a name of its own: nothing is overwritten
    assert issued_files() == {orphan, document.file.name}

    assert issued_files_sweep() == []  # within the grace period: maybe a transaction still open
    age(orphan)
    age(document.file.name)
    with caplog.at_level(logging.WARNING, logger="documents.sweep"):
        assert issued_files_sweep() == [orphan]
    assert issued_files() == {document.file.name}
    assert orphan in caplog.text and "removed" in caplog.text
    assert issued_files_sweep() == []


def test_the_pdf_of_a_document_is_kept(ministry):
    from django.core.files.base import ContentFile

    document = issue(ministry, ministry)
    document.pdf_file.save("rendition.pdf", ContentFile(b"%PDF-1.4"), save=False)
    IssuedDocument.objects.filter(pk=document.pk).update(pdf_file=document.pdf_file.name)
    for name in issued_files():
        age(name)
    assert issued_files_sweep(grace=dt.timedelta(0)) == []
    assert issued_files() == {document.file.name, document.pdf_file.name}


def test_dry_run_only_reports(ministry, region):
    orphan = issue_and_roll_back(ministry, make_organization(region))
    age(orphan)
    assert issued_files_sweep(dry_run=True) == [orphan]
    assert issued_files() == {orphan}


def test_management_command(ministry, region):
    orphan = issue_and_roll_back(ministry, make_organization(region))
    kept = issue(ministry, ministry).file.name
    out = io.StringIO()
    call_command("sweep_issued_files", "--dry-run", stdout=out)
    assert "Будет удалено файлов без документа: 0" in out.getvalue()  # an hour of grace by default
    out = io.StringIO()
    call_command("sweep_issued_files", "--grace-minutes", "0", stdout=out)
    assert orphan in out.getvalue() and "Удалено файлов без документа: 1" in out.getvalue()
    assert issued_files() == {kept}


def test_periodic_task_and_its_beat_entry(ministry, region):
    from project.celery import app

    entry = app.conf.beat_schedule["documents-orphan-files"]
    assert entry["task"] == sweep_issued_files.name == "documents.tasks.sweep_issued_files"
    orphan = issue_and_roll_back(ministry, make_organization(region))
    age(orphan)
    assert sweep_issued_files.apply().get() == 1
    assert issued_files() == set()


def test_nothing_stored_yet():
    assert issued_files_sweep(grace=dt.timedelta(0)) == []


def test_under_the_rollback_guard_the_file_goes_at_once(ministry, region):
    """The one storage policy (common.uploads.storage): an action wrapped in removed_on_rollback —
    as the process kit wraps every step — leaves nothing for the sweep when it rolls back."""
    from common.uploads.storage import removed_on_rollback

    with pytest.raises(Rollback), removed_on_rollback(), transaction.atomic():
        issue(ministry, make_organization(region))
        raise Rollback
    assert not IssuedDocument.objects.exists()
    assert issued_files() == set()
