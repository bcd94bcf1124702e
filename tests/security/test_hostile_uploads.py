"""The hostile-upload corpus (tests/corpus.py, generated here) against every upload endpoint:
the РМА submit form, the РМА API, the РМА correction step, the documents admin template upload,
and the staff import (command and admin page). Each class is refused with a Russian message that
names the file (cleaned), and nothing is stored: no row, no file in the storage. Valid files stay
accepted, and a file is offered back under a server-made name with the detected extension."""

import io
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from rest_framework.test import APIClient
from viewflow.workflow.models import Process, Task

from common.uploads import samples
from documents.models import DocumentTemplate
from orgstructure import admin_import  # noqa: F401 - installs the import URLs
from orgstructure.models import Person
from tests import corpus
from tests.workflows.rma.conftest import client_as, perm, required_files  # noqa: F401 - fixtures
from workflows.core import flowkit
from workflows.rma import links, services
from workflows.rma.flows import RmaFlow, application_start
from workflows.rma.models import RmaApplication, RmaApplicationFile, Status

RTL_NAME = "evil\u202efdp.exe"
LATIN_WORD = re.compile(r"\b[A-Za-z]{5,}\b")
# Latin words a Russian message may hold: format names and the cleaned file names of the corpus.
ALLOWED = {"JavaScript", "DOCTYPE", "ENTITY", "ActiveX", "Office", "Excel", "Word", "JPEG", "DOCX", "XLSX"}

CLASSES = sorted({**corpus.HOSTILE, RTL_NAME: corpus.pdf_javascript}.items())


def stored_files() -> list[str]:
    root = settings.MEDIA_ROOT
    return sorted(os.path.join(path, name) for path, _, names in os.walk(root) for name in names)


def assert_refused_in_russian(messages: list[str], name: str):
    shown = name.replace("\u202e", "")
    assert messages, "no refusal shown"
    text = " ".join(messages)
    assert f"«{shown}»" in text, text
    assert "\u202e" not in text
    words = set(LATIN_WORD.findall(text.replace(shown, ""))) - ALLOWED
    assert not words, text
    assert "Traceback" not in text and "Error" not in text


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def html_errors(response) -> list[str]:
    form = response.context["form"]
    return [message for messages in form.errors.values() for message in messages]


def padded_pdf(size: int) -> bytes:
    return samples.pdf(extra=(b"<< /Length %d >>\nstream\n" % size + b"0" * size + b"\nendstream",))


# --- the endpoints ----------------------------------------------------------------------------------


def rma_form(perm, client_as, name, data):  # noqa: F811
    files = required_files()
    files["diploma"] = upload(name, data)
    response = client_as(perm.users.school_head).post(
        links.submit_url(), {"person": perm.persons.eligible.pk, "subjects": [perm.subjects.math.pk], **files}
    )
    if response.status_code == 413:
        return response, [response.content.decode()]
    assert response.status_code == 200
    return response, html_errors(response)


def rma_api(perm, client_as, name, data):  # noqa: F811
    client = APIClient()
    client.force_authenticate(perm.users.school_head)
    files = required_files()
    files["diploma"] = upload(name, data)
    response = client.post(
        "/api/v1/rma/applications/",
        {"person": perm.persons.eligible.pk, "subjects": [perm.subjects.math.pk], **files},
        format="multipart",
    )
    assert response.status_code in (400, 413), response.content
    body = response.json()
    errors = body.get("errors", {})
    return response, [m for messages in errors.values() for m in messages] + [body.get("detail", "")]


def _returned_application(perm):  # noqa: F811
    users = perm.users
    application = application_start(
        actor=users.school_head, person=perm.persons.eligible, subjects=[perm.subjects.math], files=required_files()
    )
    flowkit.task_complete(
        actor=users.rma_coord,
        task_id=_open_task(application).pk,
        perform=lambda activation: services.application_return(
            actor=users.rma_coord, application=application, comment="Приложите диплом с вкладышем"
        ),
    )
    return application


def _open_task(application):
    processes = Process.objects.filter(flow_class=RmaFlow, artifact_object_id=application.pk)
    return Task.objects.get(process__in=processes, status__in=["NEW", "ASSIGNED"], flow_task_type="HUMAN")


def rma_correction(perm, client_as, name, data):  # noqa: F811
    application = RmaApplication.objects.filter(status=Status.RETURNED).first() or _returned_application(perm)
    client = client_as(perm.users.school_head)
    index = client.get(links.task_url(_open_task(application)))
    assert index.status_code == 302
    response = client.post(
        index["Location"],
        {"decision": "resubmit", "subjects": [perm.subjects.math.pk], "diploma": upload(name, data)},
    )
    if response.status_code == 413:
        return response, [response.content.decode()]
    assert response.status_code == 200
    return response, html_errors(response)


def template_admin(perm, client_as, name, data):  # noqa: F811
    admin = perm.users.school_head.__class__.objects.create_superuser("uploads-admin", "a@example.org", "x")
    client = client_as(admin)
    response = client.post(
        reverse("admin:documents_documenttemplate_add"),
        {"kind": "rma_certificate", "upload": upload(name, data), "comment": ""},
    )
    if response.status_code == 413:
        return response, [response.content.decode()]
    assert response.status_code == 200
    form = response.context["adminform"].form
    return response, [m for messages in form.errors.values() for m in messages]


def _as_workbook(name: str) -> str:
    """The import judges the extension first: a hostile file is sent as a workbook, so that its
    content is what gets it refused."""
    return re.sub(r"\.[a-z]+$", ".xlsx", name) if name != RTL_NAME else name


def import_admin(perm, client_as, name, data):  # noqa: F811
    admin = perm.users.school_head.__class__.objects.create_superuser("import-admin", "i@example.org", "x")
    client = client_as(admin)
    response = client.post(reverse("admin:orgstructure_person_import"), {"file": upload(_as_workbook(name), data)})
    if response.status_code == 413:
        return response, [response.content.decode()]
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    return response, [str(issue) for issue in response.context["errors"]] + messages


def import_command(perm, client_as, name, data):  # noqa: F811
    path = Path(settings.MEDIA_ROOT).parent / "import" / _as_workbook(name).replace("\u202e", "")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    err = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import_staff", str(path), stderr=err)
    return None, [err.getvalue(), str(refused.value)]


ENDPOINTS = [rma_form, rma_api, rma_correction, template_admin, import_admin, import_command]


def _state():
    return (
        RmaApplication.objects.count(),
        RmaApplicationFile.objects.count(),
        DocumentTemplate.objects.count(),
        Person.objects.count(),
        stored_files(),
    )


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.__name__)
@pytest.mark.parametrize(("name", "builder"), CLASSES, ids=[name for name, _ in CLASSES])
def test_every_hostile_class_is_refused_everywhere_and_nothing_is_stored(perm, client_as, endpoint, name, builder):  # noqa: F811
    data = builder()
    if endpoint is rma_correction:
        _returned_application(perm)  # the step to correct, with its three files, before measuring
    before = _state()
    _, messages = endpoint(perm, client_as, name, data)
    shown = _as_workbook(name) if endpoint in (import_admin, import_command) else name
    assert_refused_in_russian([m for m in messages if m], shown)
    assert _state() == before


@pytest.mark.parametrize("endpoint", [import_admin, import_command], ids=lambda e: e.__name__)
@pytest.mark.parametrize(("name", "builder"), sorted(corpus.HOSTILE_WORKBOOKS.items()))
def test_hostile_workbooks_are_refused_by_the_import(perm, client_as, endpoint, name, builder):  # noqa: F811
    before = _state()
    _, messages = endpoint(perm, client_as, name, builder())
    assert_refused_in_russian([m for m in messages if m], name)
    assert _state() == before


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.__name__)
def test_a_file_over_the_limit_is_refused_by_its_field(perm, client_as, settings, endpoint):  # noqa: F811
    settings.PROFROST_MAX_UPLOAD_BYTES = 256 * 1024
    if endpoint is rma_correction:
        _returned_application(perm)
    before = _state()
    _, messages = endpoint(perm, client_as, "big.pdf", padded_pdf(300 * 1024))
    shown = "big.xlsx" if endpoint in (import_admin, import_command) else "big.pdf"
    assert_refused_in_russian([m for m in messages if m], shown)
    assert "больше допустимого размера" in " ".join(messages)
    assert _state() == before


@pytest.mark.parametrize("endpoint", [rma_form, rma_api, template_admin, import_admin], ids=lambda e: e.__name__)
def test_a_body_over_the_request_limit_is_answered_413_in_russian(perm, client_as, settings, endpoint):  # noqa: F811
    settings.PROFROST_MAX_REQUEST_BYTES = 200 * 1024
    before = _state()
    response, messages = endpoint(perm, client_as, "big.pdf", padded_pdf(300 * 1024))
    assert response.status_code == 413
    assert "Запрос слишком велик" in " ".join(messages)
    assert _state() == before


@pytest.mark.parametrize("endpoint", [rma_form, rma_api], ids=lambda e: e.__name__)
def test_valid_files_are_accepted(perm, client_as, endpoint):  # noqa: F811
    files = {"attestation_order": corpus.JPEG, "diploma": corpus.PDF, "employment_record": corpus.PNG}
    client = client_as(perm.users.school_head)
    payload = {"person": perm.persons.eligible.pk, "subjects": [perm.subjects.math.pk]}
    payload.update({kind: upload(f"{kind}.bin", data) for kind, data in files.items()})
    payload["retraining"] = upload("retraining.docx", corpus.DOCX)
    if endpoint is rma_api:
        api = APIClient()
        api.force_authenticate(perm.users.school_head)
        assert api.post("/api/v1/rma/applications/", payload, format="multipart").status_code == 201
    else:
        assert client.post(links.submit_url(), payload).status_code == 302
    kinds = dict(RmaApplicationFile.objects.values_list("kind", "extension"))
    assert kinds == {"attestation_order": "jpg", "diploma": "pdf", "employment_record": "png", "retraining": "docx"}


def test_a_right_to_left_override_name_is_never_offered_back(perm, client_as):  # noqa: F811
    files = required_files()
    files["diploma"] = upload(RTL_NAME, corpus.PDF)
    application = application_start(
        actor=perm.users.school_head, person=perm.persons.eligible, subjects=[perm.subjects.math], files=files
    )
    record = application.files.get(kind="diploma")
    assert record.original_name == "evilfdp.exe"  # kept for the record, cleaned
    assert "exe" not in record.file.name and record.file.name.endswith(".pdf")
    response = client_as(perm.users.rma_coord).get(links.file_url(application.pk, record.pk))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert "exe" not in disposition.lower() and "%E2%80%AE" not in disposition
    person = perm.persons.eligible
    assert disposition.endswith(".pdf") and "Diplom" in disposition
    assert f"{person.last_name}" in __import__("urllib.parse").parse.unquote(disposition)
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    response.close()


def test_a_template_over_the_limit_is_a_form_error_not_a_500(perm, client_as, settings):  # noqa: F811
    settings.PROFROST_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
    big = corpus.repack(corpus.DOCX, add={"word/media/padding.bin": os.urandom(10 * 1024 * 1024 + 1)})
    response, messages = template_admin(perm, client_as, "shablon.docx", big)
    assert response.status_code == 200
    assert messages == ["Шаблон: файл «shablon.docx» больше допустимого размера 10 МБ"]


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        (
            "{%p for a in x %}{%p for b in a %}{%p for c in b %}{%p for d in c %}{{ d }}"
            "{%p endfor %}{%p endfor %}{%p endfor %}{%p endfor %}",
            "вложены глубже 3 уровней",
        ),
        ("{%p for i in range(100000) %}{{ i }}{%p endfor %}", "только данные документа"),
        ("{{ 'x' * 1000000000 }}", "умножение и возведение в степень"),
    ],
)
def test_templates_with_runaway_loops_are_refused(perm, client_as, tags, expected):  # noqa: F811
    import docx as python_docx

    document = python_docx.Document(io.BytesIO((Path("documents/templates") / "rma_certificate.docx").read_bytes()))
    document.add_paragraph(tags)
    buffer = io.BytesIO()
    document.save(buffer)
    before = DocumentTemplate.objects.count()
    response, messages = template_admin(perm, client_as, "shablon.docx", buffer.getvalue())
    assert any(expected in message for message in messages), messages
    assert DocumentTemplate.objects.count() == before
