"""`manage.py issue_document KIND --organization ID --sample`: an official issues each document
with demo data."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from documents.kinds import get_spec
from documents.models import IssuedDocument
from tests.documents.kinds import DocumentKind

from .conftest import docx_text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", DocumentKind.values)
def test_issues_each_kind_with_sample_data(kind, ministry):
    out = io.StringIO()
    call_command(
        "issue_document", kind, "--organization", str(ministry.pk), "--sample", "--date", "2024-08-30", stdout=out
    )
    document = IssuedDocument.objects.get(kind=kind)
    assert "выпущен" in out.getvalue()
    assert docx_text(document.file.read())
    again = io.StringIO()
    call_command("issue_document", kind, "--organization", str(ministry.pk), "--sample", stdout=again)
    assert "уже был выпущен ранее" in again.getvalue()
    assert IssuedDocument.objects.filter(kind=kind).count() == 1


def test_sample_signatory_when_the_organization_has_no_head(school):
    out = io.StringIO()
    call_command("issue_document", "rma_certificate", "--organization", str(school.pk), "--sample", stdout=out)
    assert "подписант — из демонстрационных данных" in out.getvalue()
    assert "И.К. Белых" in docx_text(IssuedDocument.objects.get().file.read())


def test_data_from_a_json_file_and_a_russian_error(ministry, tmp_path):
    data = get_spec(DocumentKind.DEADLINE_NOTICE).sample(ministry)
    del data["basis"]
    path = tmp_path / "notice.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError, match="не заполнены обязательные поля — основание"):
        call_command("issue_document", "deadline_notice", "--organization", str(ministry.pk), "--data", str(path))


def test_unknown_organization():
    with pytest.raises(CommandError, match="не найдена"):
        call_command("issue_document", "iom", "--organization", "999999", "--sample")
