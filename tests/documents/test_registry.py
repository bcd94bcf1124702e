"""The open kind registry: the documents app is machinery only — it imports no process and knows
kinds only as processes register them; a mistaken registration stops the start; every screen
names a kind in Russian, never by its code."""

import ast
import io
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.urls import reverse

from documents import kinds
from documents.issuing import document_issue
from documents.kinds import KindSpec, get_spec, kind_choices, kind_label, register, validate_kind
from documents.models import IssuedDocument
from orgstructure.models import Role
from tests.documents.kinds import DocumentKind
from tests.factories import make_person, make_user

from .conftest import ISSUED_ON, docx_text

DOCUMENTS = Path(kinds.__file__).resolve().parent
OWNERS = {
    DocumentKind.DEADLINE_NOTICE: "workflows.core.documents",
    DocumentKind.RMA_LIST_ORDER: "workflows.rma.documents",
    DocumentKind.RMA_CERTIFICATE: "workflows.rma.documents",
    DocumentKind.RMA_REFUSAL: "workflows.rma.documents",
    DocumentKind.RMA_CRITERIA_STATEMENT: "workflows.rma.documents",
    DocumentKind.RMA_ASSESSMENT_PROTOCOL: "workflows.rma.documents",
    DocumentKind.IOM: "workflows.iom.documents",
    DocumentKind.IOM_COMPLETION: "workflows.iom.documents",
    DocumentKind.DIAGNOSIS_CERTIFICATE: "workflows.iom.diagnostics.documents",
    DocumentKind.INTERNSHIP_SITES_ORDER: "workflows.internships.documents",
    DocumentKind.INTERNSHIP_CERTIFICATE: "workflows.internships.documents",
    DocumentKind.INTERNSHIP_PROTOCOL: "workflows.internships.documents",
    DocumentKind.INTERNSHIP_SITE_CERTIFICATE: "workflows.internships.documents",
    DocumentKind.INTERNSHIP_SITE_STATUS_ORDER: "workflows.internships.documents",
    DocumentKind.MONITORING_REPORT: "workflows.monitoring.documents",
    DocumentKind.MONITORING_RECOMMENDATIONS: "workflows.monitoring.documents",
    DocumentKind.MONITORING_DECISIONS_ORDER: "workflows.monitoring.documents",
    DocumentKind.MONITORING_EFFECTIVENESS: "workflows.monitoring.documents",
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_documents_imports_no_process():
    offenders = {
        str(path.relative_to(DOCUMENTS)): sorted(
            name for name in imported_modules(path) if name.split(".")[0] == "workflows"
        )
        for path in DOCUMENTS.rglob("*.py")
    }
    assert {path: names for path, names in offenders.items() if names} == {}


@pytest.mark.parametrize("kind", DocumentKind.values)
def test_each_kind_is_registered_by_its_process(kind):
    spec = get_spec(kind)
    assert spec.build.__module__ == OWNERS[kind]
    assert (DOCUMENTS / "templates" / spec.template_name).is_file()
    assert spec.label and spec.label[0].isupper() and spec.label != kind


def sample_spec(**overrides):
    """A kind of a process that is not in the tree, on a shipped template."""
    notice = get_spec(DocumentKind.DEADLINE_NOTICE)
    arguments = dict(
        kind="test_reminder_letter",
        label="Письмо-напоминание (проверка реестра)",
        template_name=notice.template_name,
        file_label="Письмо",
        required=notice.required,
        tables=notice.tables,
        build=notice.build,
        sample=notice.sample,
        title=lambda data: "Письмо-напоминание",
    )
    arguments.update(overrides)
    return KindSpec(**arguments)


@pytest.fixture
def registered():
    """Registers kinds for the test and removes them afterwards."""
    added = []

    def add(spec):
        added.append(spec.kind)
        return register(spec)

    yield add
    for code in added:
        kinds._REGISTRY.pop(code, None)


@pytest.mark.django_db
def test_a_kind_registered_from_outside_is_issued_named_and_validated(registered, ministry):
    spec = registered(sample_spec())
    document = document_issue(
        kind=spec.kind,
        issuing_organization=ministry,
        artefact=ministry,
        context=spec.sample(ministry),
        signatory=None,
        issued_on=ISSUED_ON,
        actor=None,
    )
    assert document.kind == "test_reminder_letter" and document.number == "1"
    assert "Информируем" in docx_text(document.file.read())
    assert document.kind_label == document.get_kind_display() == "Письмо-напоминание (проверка реестра)"
    assert ("test_reminder_letter", "Письмо-напоминание (проверка реестра)") in kind_choices()
    validate_kind("test_reminder_letter")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"kind": "Reminder-Letter"}, "lower-case latin"),
        ({"kind": "x" * 41}, "at most 40"),
        ({"label": " "}, "label and file_label are required"),
        ({"template_name": "no_such_template.docx"}, "is not a file"),
        ({"template_name": "../settings/base.py"}, "is not a file"),
        ({"number_format": "{year}"}, "должен содержать {n}"),
    ],
)
def test_a_mistaken_registration_stops_the_start(registered, overrides, message):
    with pytest.raises(Exception, match=message) as raised:
        registered(sample_spec(**overrides))
    assert raised.type.__name__ in {"ImproperlyConfigured", "NumberFormatError"}
    assert "test_reminder_letter" not in dict(kind_choices())


def test_a_code_is_registered_once(registered):
    def build(data, requisites):
        return {}

    build.__module__ = "workflows.someone_else.documents"
    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        registered(sample_spec(kind=DocumentKind.RMA_CERTIFICATE, build=build))
    assert get_spec(DocumentKind.RMA_CERTIFICATE).build.__module__ == "workflows.rma.documents"


def test_an_unknown_code_is_refused_and_named_in_russian():
    with pytest.raises(ValidationError, match="Неизвестный вид документа: «no_such_kind»"):
        validate_kind("no_such_kind")
    assert kind_label("no_such_kind") == "Вид документа «no_such_kind» (не зарегистрирован)"


@pytest.mark.django_db
class TestRussianTitlesOnScreen:
    @pytest.fixture
    def refusal(self, ministry, school):
        # the letter is seen only where its application is (artefact_model): issue it on one
        application = apps.get_model("rma.RmaApplication").objects.create(
            person=make_person(school), kind="nomination", check_date=ISSUED_ON, submitted_by=make_user()
        )
        spec = get_spec(DocumentKind.RMA_REFUSAL)
        return document_issue(
            kind=spec.kind,
            issuing_organization=ministry,
            artefact=application,
            person=application.person,
            context=spec.sample(ministry),
            signatory=None,
            issued_on=ISSUED_ON,
            actor=None,
        )

    def test_documents_page(self, client, refusal, school):
        # the head of the nominating school handles the application, so sees its letter
        client.force_login(make_user(role=Role.SCHOOL_HEAD, organization=school))
        page = client.get(reverse("documents:list")).content.decode()
        assert "Уведомление об отказе во включении в состав РМА" in page
        assert "rma_refusal" not in page

    @pytest.mark.parametrize("model", ["issueddocument", "numberingregister", "documenttemplate"])
    def test_admin_lists_and_filters(self, client, refusal, model):
        user = make_user("admin")
        user.is_staff = user.is_superuser = True
        user.save()
        client.force_login(user)
        page = client.get(f"/admin/documents/{model}/").content.decode()
        assert "Уведомление об отказе во включении в состав РМА" in page
        assert ">rma_refusal<" not in page and "Rma refusal" not in page

    def test_admin_upload_form_offers_every_registered_kind(self, client):
        user = make_user("admin")
        user.is_staff = user.is_superuser = True
        user.save()
        client.force_login(user)
        page = client.get("/admin/documents/documenttemplate/add/").content.decode()
        for code, label in kind_choices():
            assert f'value="{code}"' in page and label in page
        upload = io.BytesIO(b"not a docx")
        upload.name = "x.docx"
        response = client.post("/admin/documents/documenttemplate/add/", {"kind": "no_such_kind", "upload": upload})
        assert response.status_code == 200
        assert "Выберите корректный вариант" in response.content.decode()
        assert not IssuedDocument.objects.exists()
