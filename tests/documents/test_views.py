"""Downloads: only within the user's scope (foreign answers 404 like missing), as an attachment
with an ASCII fallback and an RFC 5987 UTF-8 file name."""

from urllib.parse import quote

import pytest
from django.urls import reverse

from documents.kinds import DocumentKind, get_spec
from documents.models import IssuedDocument, PdfStatus
from documents.services import document_issue
from documents.views import ascii_filename, content_disposition, download_filename
from orgstructure.models import OrganizationKind, Role
from tests.factories import make_organization, make_person, make_region, make_user

from .conftest import ISSUED_ON, docx_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(ministry, school):
    holder = make_person(school, last_name="Петрова-Водкина", first_name="Мария", middle_name="Ильинична")
    document = document_issue(
        kind=DocumentKind.RMA_CERTIFICATE,
        issuing_organization=ministry,
        artefact=holder,
        context=get_spec(DocumentKind.RMA_CERTIFICATE).sample(ministry),
        signatory=None,
        issued_on=ISSUED_ON,
        actor=None,
        person=holder,
    )
    return document


def login(client, **membership):
    user = make_user(**membership)
    client.force_login(user)
    return user


def test_officer_of_the_region_downloads(client, certificate, ministry):
    login(client, role=Role.MINISTRY_OFFICER, organization=ministry)
    response = client.get(reverse("documents:download", args=[certificate.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"] == (
        'attachment; filename="Spravka_N_1_ot_30.08.2024.docx"; '
        f"filename*=UTF-8''{quote('Справка № 1 от 30.08.2024.docx', safe='')}"
    )
    assert "Дана Петровой-Водкиной Марии Ильиничне" in docx_text(b"".join(response.streaming_content))


def test_another_region_gets_404_like_missing(client, certificate):
    other = make_region(name="Другой край")
    login(client, role=Role.MINISTRY_OFFICER, organization=make_organization(other, kind=OrganizationKind.MINISTRY))
    assert client.get(reverse("documents:download", args=[certificate.pk])).status_code == 404
    assert client.get(reverse("documents:download", args=[certificate.pk + 1000])).status_code == 404
    assert client.get(reverse("documents:pdf", args=[certificate.pk])).status_code == 404


def test_school_head_does_not_see_the_ministrys_documents(client, certificate, school):
    login(client, role=Role.SCHOOL_HEAD, organization=school)
    assert client.get(reverse("documents:download", args=[certificate.pk])).status_code == 404


def test_teacher_sees_own_certificate_only(client, certificate, school):
    holder = certificate.person
    user = make_user(role=Role.TEACHER, organization=school, person=holder)
    client.force_login(user)
    assert client.get(reverse("documents:download", args=[certificate.pk])).status_code == 200
    colleague = make_user(role=Role.TEACHER, organization=school, person=make_person(school))
    client.force_login(colleague)
    assert client.get(reverse("documents:download", args=[certificate.pk])).status_code == 404


def test_anonymous_is_sent_to_login(client, certificate):
    response = client.get(reverse("documents:download", args=[certificate.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_pdf_not_ready_says_why(client, certificate, ministry):
    login(client, role=Role.MINISTRY_OFFICER, organization=ministry)
    response = client.get(reverse("documents:pdf", args=[certificate.pk]))
    assert response.status_code == 409
    assert "PDF еще не готов" in response.content.decode()
    IssuedDocument.objects.filter(pk=certificate.pk).update(
        pdf_status=PdfStatus.UNAVAILABLE, pdf_message="PDF недоступен: LibreOffice не установлен"
    )
    response = client.get(reverse("documents:pdf", args=[certificate.pk]))
    assert response.content.decode() == "PDF недоступен: LibreOffice не установлен"


class TestFileNames:
    def test_download_name(self, certificate):
        assert download_filename(certificate, "docx") == "Справка № 1 от 30.08.2024.docx"

    def test_slashes_and_quotes_never_reach_the_header(self):
        header = content_disposition('Приказ № 668/ОД "x".docx')
        assert header.startswith('attachment; filename="Prikaz_N_668_OD_x_.docx"; ')
        assert "/" not in header.split("filename*=")[1]

    @pytest.mark.parametrize(
        ("name", "expected"),
        [
            ("Приказ № 26-01-06-545 от 10.06.2022.pdf", "Prikaz_N_26-01-06-545_ot_10.06.2022.pdf"),
            ("ИОМ от 01.09.2024.docx", "IOM_ot_01.09.2024.docx"),
            ("Щёлково.docx", "Shchelkovo.docx"),
            ("«»", "document"),
        ],
    )
    def test_ascii_fallback(self, name, expected):
        assert ascii_filename(name) == expected
