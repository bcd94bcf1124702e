"""Template versions: the shipped files, uploads validated with the sample data, issued documents
keeping the version they were made with; the builder reproduces the committed binaries."""

import io
import zipfile

import pytest
from docx import Document
from docx.shared import Pt

from documents import template_builder
from documents.errors import TemplateValidationError
from documents.issuing import document_issue
from documents.kinds import all_specs, get_spec
from documents.models import DocumentTemplate, TemplateSource
from documents.template_versions import BUILTIN_TEMPLATES_DIR, template_active, template_upload
from tests.documents.kinds import DocumentKind
from tests.factories import make_organization, make_user

from .conftest import ISSUED_ON, docx_text

pytestmark = pytest.mark.django_db


def replace_text(docx: bytes, old: str, new: str) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(docx))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                assert old.encode() in data
                data = data.replace(old.encode(), new.encode())
            target.writestr(info, data)
    return output.getvalue()


def builtin(kind) -> bytes:
    return (BUILTIN_TEMPLATES_DIR / get_spec(kind).template_name).read_bytes()


def docx_with(*paragraphs) -> bytes:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def mm(length) -> int:
    return round(length.mm)  # twips do not hold whole millimetres


@pytest.mark.parametrize("spec", all_specs(), ids=lambda spec: spec.kind)
def test_shipped_templates_are_official_a4_times_14(spec):
    document = Document(io.BytesIO(builtin(spec.kind)))
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size == Pt(14)
    section = document.sections[0]
    assert {mm(section.page_width), mm(section.page_height)} == {210, 297}
    assert (mm(section.left_margin), mm(section.right_margin)) == (30, 15)
    assert (mm(section.top_margin), mm(section.bottom_margin)) == (20, 20)


@pytest.mark.parametrize("kind", DocumentKind.values)
def test_committed_templates_match_the_builder(kind, tmp_path):
    """The .docx binaries are what documents/template_builder.py makes: rebuild to change them."""
    rebuilt = template_builder.build(kind, directory=tmp_path)
    assert rebuilt.read_bytes() == builtin(kind), f"run: python -m documents.template_builder {kind}"


def test_builtin_is_registered_once_as_version_1():
    first = template_active(kind=DocumentKind.IOM)
    again = template_active(kind=DocumentKind.IOM)
    assert first.pk == again.pk
    assert (first.version, first.source, first.is_active) == (1, TemplateSource.BUILTIN, True)
    assert first.file.read() == builtin(DocumentKind.IOM)


class TestUpload:
    def test_a_template_that_does_not_render_is_refused(self):
        with pytest.raises(TemplateValidationError, match="Новая версия шаблона не принята"):
            template_upload(
                kind=DocumentKind.RMA_CERTIFICATE, file=docx_with("{{ number }} {{ person_dative "), uploaded_by=None
            )
        assert not DocumentTemplate.objects.exists()

    def test_a_misspelt_placeholder_is_refused(self):
        with pytest.raises(TemplateValidationError, match="person_dativ"):
            template_upload(
                kind=DocumentKind.RMA_CERTIFICATE, file=docx_with("{{ number }} {{ person_dativ }}"), uploaded_by=None
            )

    def test_a_numbered_kind_needs_the_number(self):
        with pytest.raises(TemplateValidationError, match="нет поля номера"):
            template_upload(
                kind=DocumentKind.RMA_CERTIFICATE, file=docx_with("Дана {{ person_dative }}"), uploaded_by=None
            )

    def test_the_sandbox_refuses_python_internals(self):
        with pytest.raises(TemplateValidationError):
            template_upload(
                kind=DocumentKind.RMA_CERTIFICATE,
                file=docx_with("{{ number }} {{ person_dative.__class__.__mro__ }}"),
                uploaded_by=None,
            )

    def test_a_new_version_is_used_and_old_documents_keep_theirs(self, ministry, region):
        user = make_user()
        old = document_issue(
            kind=DocumentKind.RMA_CERTIFICATE,
            issuing_organization=ministry,
            artefact=make_organization(region),
            context=get_spec(DocumentKind.RMA_CERTIFICATE).sample(ministry),
            signatory=None,
            issued_on=ISSUED_ON,
            actor=None,
        )
        edited = replace_text(
            builtin(DocumentKind.RMA_CERTIFICATE),
            "Справка выдана для предъявления по месту требования.",
            "Справка выдана для представления по месту работы.",
        )
        version = template_upload(
            kind=DocumentKind.RMA_CERTIFICATE, file=io.BytesIO(edited), uploaded_by=user, comment="новая формулировка"
        )
        assert (version.version, version.source, version.uploaded_by) == (2, TemplateSource.UPLOAD, user)
        assert template_active(kind=DocumentKind.RMA_CERTIFICATE) == version
        new = document_issue(
            kind=DocumentKind.RMA_CERTIFICATE,
            issuing_organization=ministry,
            artefact=make_organization(region),
            context=get_spec(DocumentKind.RMA_CERTIFICATE).sample(ministry),
            signatory=None,
            issued_on=ISSUED_ON,
            actor=None,
        )
        assert new.template == version and new.number == "2"
        assert "Справка выдана для представления по месту работы." in docx_text(new.file.read())
        old.refresh_from_db()
        assert old.template.version == 1
        assert "Справка выдана для предъявления по месту требования." in docx_text(old.file.read())
        assert DocumentTemplate.objects.filter(kind=DocumentKind.RMA_CERTIFICATE, is_active=True).count() == 1


class TestAdmin:
    @pytest.fixture
    def admin_client(self, client):
        user = make_user("admin")
        user.is_staff = user.is_superuser = True
        user.save()
        client.force_login(user)
        return client

    def test_upload_through_the_admin(self, admin_client):
        edited = replace_text(builtin(DocumentKind.IOM), "ЛИСТ СОГЛАСОВАНИЯ ИОМ", "ЛИСТ СОГЛАСОВАНИЯ")
        upload = io.BytesIO(edited)
        upload.name = "iom-v2.docx"
        response = admin_client.post(
            "/admin/documents/documenttemplate/add/",
            {"kind": DocumentKind.IOM, "comment": "правка", "upload": upload},
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        template = DocumentTemplate.objects.get(kind=DocumentKind.IOM, is_active=True)
        assert template.source == TemplateSource.UPLOAD and template.comment == "правка"

    def test_admin_refuses_a_broken_template_with_the_reason(self, admin_client):
        upload = io.BytesIO(docx_with("{% for %}"))
        upload.name = "broken.docx"
        response = admin_client.post(
            "/admin/documents/documenttemplate/add/", {"kind": DocumentKind.IOM, "upload": upload}
        )
        assert response.status_code == 200
        assert "Новая версия шаблона не принята" in response.content.decode()
        assert not DocumentTemplate.objects.exists()

    def test_sample_download_action(self, admin_client):
        template = template_active(kind=DocumentKind.DEADLINE_NOTICE)
        response = admin_client.post(
            "/admin/documents/documenttemplate/",
            {"action": "download_sample", "_selected_action": [template.pk]},
        )
        assert response.status_code == 200
        assert "Уважаемый Виктор Андреевич!" in docx_text(response.content)

    @pytest.mark.parametrize("model", ["documenttemplate", "numberingregister", "issueddocument"])
    def test_changelists_open(self, admin_client, model, ministry):
        document_issue(
            kind=DocumentKind.RMA_CERTIFICATE,
            issuing_organization=ministry,
            artefact=ministry,
            context=get_spec(DocumentKind.RMA_CERTIFICATE).sample(ministry),
            signatory=None,
            issued_on=ISSUED_ON,
            actor=None,
        )
        assert admin_client.get(f"/admin/documents/{model}/").status_code == 200

    def test_register_cannot_go_below_an_issued_number(self, admin_client, ministry):
        document_issue(
            kind=DocumentKind.RMA_CERTIFICATE,
            issuing_organization=ministry,
            artefact=ministry,
            context=get_spec(DocumentKind.RMA_CERTIFICATE).sample(ministry),
            signatory=None,
            issued_on=ISSUED_ON,
            actor=None,
        )
        from documents.models import NumberingRegister

        register = NumberingRegister.objects.get()
        response = admin_client.post(
            f"/admin/documents/numberingregister/{register.pk}/change/",
            {"number_format": "{n}", "next_number": 1},
        )
        assert response.status_code == 200
        assert "номер 1 уже присвоен документу" in response.content.decode()
