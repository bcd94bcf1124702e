"""The one storage policy: a file stored during an action is removed at once when the action
fails or its outermost transaction ends without committing; what escapes that (a crash, a caller
without the guard) is swept after a grace period."""

import datetime as dt
import os
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction

from common.uploads import storage
from documents.models import DocumentTemplate

pytestmark = pytest.mark.django_db(transaction=True)


def files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def template_field():
    return DocumentTemplate(kind="rma_certificate", version=1).file


class Boom(Exception):
    pass


def test_committed_files_stay():
    with storage.removed_on_rollback(), transaction.atomic():
        field = template_field()
        name = storage.store(field, b"data", name="a.docx")
    assert files() == {name}


def test_files_go_when_the_action_fails_after_the_storing_code_returned():
    with pytest.raises(Boom), storage.removed_on_rollback(), transaction.atomic():
        storage.store(template_field(), b"data", name="a.docx")
        raise Boom
    assert files() == set()


def test_files_go_when_the_outermost_transaction_rolls_back_without_an_exception():
    with storage.removed_on_rollback(), transaction.atomic():
        storage.store(template_field(), b"data", name="a.docx")
        transaction.set_rollback(True)
    assert files() == set()


def test_nested_guards_join_the_outer_action():
    with pytest.raises(Boom), storage.removed_on_rollback(), transaction.atomic():
        with storage.removed_on_rollback():
            storage.store(template_field(), b"data", name="a.docx")
        assert len(files()) == 1  # the inner guard keeps it: the outer action decides
        raise Boom
    assert files() == set()


def test_without_the_guard_an_orphan_is_swept_after_the_grace_period():
    storage.register_swept("test-swept", DocumentTemplate, "file")
    try:
        with pytest.raises(Boom), transaction.atomic():
            field = template_field()
            field.field.upload_to = "test-swept/"
            name = storage.store(field, b"data", name="a.docx")
            raise Boom
        assert files() == {name}
        assert storage.sweep_orphans(prefix="test-swept") == []  # maybe a transaction still open
        past = time.time() - 2 * 3600
        os.utime(Path(settings.MEDIA_ROOT) / name, (past, past))
        assert storage.sweep_orphans(prefix="test-swept", dry_run=True) == [name]
        assert storage.sweep_orphans(prefix="test-swept", grace=dt.timedelta(0)) == [name]
        assert files() == set()
    finally:
        field.field.upload_to = DocumentTemplate._meta.get_field("file").upload_to
        storage._swept.pop("test-swept")
