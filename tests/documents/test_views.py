"""Downloads: only within the user's scope (foreign answers 404 like missing), as an attachment
with an ASCII fallback and an RFC 5987 UTF-8 file name."""

from urllib.parse import quote

import pytest
from django.urls import reverse

from documents.issuing import document_issue
from documents.kinds import get_spec
from documents.models import IssuedDocument, PdfStatus
from documents.views import ascii_filename, content_disposition, download_filename
from orgstructure.models import OrganizationKind, Role
from tests.documents.kinds import DocumentKind
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
        'attachment; filename="Spravka_N_1_Petrova-Vodkina_M.I._ot_30.08.2024.docx"; '
        f"filename*=UTF-8''{quote('Справка № 1 — Петрова-Водкина М.И. от 30.08.2024.docx', safe='')}"
    )
    assert "Дана Петровой-Водкиной Марии Ильиничне" in docx_text(b"".join(response.streaming_content))


def test_another_region_gets_404_like_missing(client, certificate):
    other = make_region(name="Другой край")
    login(client, role=Role.MINISTRY_OFFICER, organization=make_organization(other, kind=OrganizationKind.MINISTRY))
    assert client.get(reverse("documents:download", args=[certificate.pk])).status_code == 404
    assert client.get(reverse("documents:download", args=[certificate.pk + 1000])).status_code == 404
    assert client.get(reverse("documents:pdf", args=[certificate.pk])).status_code == 404


def test_the_holders_school_and_municipality_see_a_regional_document_about_them(client, certificate, school):
    """A справка issued by the ministry about a teacher belongs to the teacher's school and
    municipality too: their head and municipal coordinator may download it; others may not."""
    url = reverse("documents:download", args=[certificate.pk])
    login(client, role=Role.SCHOOL_HEAD, organization=school)
    assert client.get(url).status_code == 200
    neighbour = make_organization(school.region, municipality=school.municipality)
    login(client, role=Role.SCHOOL_HEAD, organization=neighbour)
    assert client.get(url).status_code == 404
    authority = make_organization(school.region, kind=OrganizationKind.MUNI_AUTHORITY, municipality=school.municipality)
    login(client, role=Role.RMA_MUNI_COORDINATOR, organization=authority)
    assert client.get(url).status_code == 200
    elsewhere = make_organization(school.region, kind=OrganizationKind.MUNI_AUTHORITY)
    login(client, role=Role.RMA_MUNI_COORDINATOR, organization=elsewhere)
    assert client.get(url).status_code == 404


def test_school_head_does_not_see_the_ministrys_documents_about_others(client, ministry, school):
    order = document_issue(
        kind=DocumentKind.RMA_LIST_ORDER,
        issuing_organization=ministry,
        artefact=ministry,
        context=get_spec(DocumentKind.RMA_LIST_ORDER).sample(ministry),
        signatory=None,
        issued_on=ISSUED_ON,
        actor=None,
    )
    login(client, role=Role.SCHOOL_HEAD, organization=school)
    assert client.get(reverse("documents:download", args=[order.pk])).status_code == 404


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
        assert download_filename(certificate, "docx") == "Справка № 1 — Петрова-Водкина М.И. от 30.08.2024.docx"

    def test_a_document_about_no_one_keeps_the_short_name(self, certificate):
        certificate.person = None  # an order lists many people: it names none in its file name
        assert download_filename(certificate, "pdf") == "Справка № 1 от 30.08.2024.pdf"

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


def test_a_failed_pdf_shows_a_fixed_message_never_the_raw_error(client, certificate, ministry, admin_client):
    """pdf_message may hold LibreOffice's stderr with server paths: users get a fixed text per
    status, the administrator's list keeps the detail."""
    raw = "Ошибка преобразования в PDF: Error: source file could not be loaded /srv/profrost/media/x.docx"
    IssuedDocument.objects.filter(pk=certificate.pk).update(pdf_status=PdfStatus.FAILED, pdf_message=raw)
    login(client, role=Role.MINISTRY_OFFICER, organization=ministry)
    response = client.get(reverse("documents:pdf", args=[certificate.pk]))
    assert response.status_code == 409
    text = response.content.decode()
    assert text.startswith("PDF не удалось сформировать. Скачайте документ в формате .docx")
    assert "/srv" not in text and "source file" not in text
    changelist = admin_client.get(reverse("admin:documents_issueddocument_changelist"))
    assert "/srv/profrost/media/x.docx" in changelist.content.decode()


@pytest.mark.parametrize("status", [PdfStatus.PENDING, PdfStatus.PROCESSING, PdfStatus.UNAVAILABLE])
def test_every_status_has_its_fixed_message(client, certificate, ministry, status):
    IssuedDocument.objects.filter(pk=certificate.pk).update(pdf_status=status, pdf_message="/tmp/secret detail")
    login(client, role=Role.MINISTRY_OFFICER, organization=ministry)
    text = client.get(reverse("documents:pdf", args=[certificate.pk])).content.decode()
    assert text.startswith("PDF ") and "secret" not in text


class TestDocumentList:
    """«Документы»: the documents a user may download, newest first, keyset pages."""

    def issue_more(self, ministry, school, count):
        spec = get_spec(DocumentKind.RMA_CERTIFICATE)
        return [
            document_issue(
                kind=DocumentKind.RMA_CERTIFICATE,
                issuing_organization=ministry,
                artefact=make_person(school),
                context=spec.sample(ministry),
                signatory=None,
                issued_on=ISSUED_ON,
                actor=None,
            )
            for _ in range(count)
        ]

    def test_officer_sees_the_regions_documents_with_links(self, client, certificate, ministry):
        IssuedDocument.objects.filter(pk=certificate.pk).update(pdf_status=PdfStatus.READY, pdf_file="x.pdf")
        login(client, role=Role.MINISTRY_OFFICER, organization=ministry)
        response = client.get(reverse("documents:list"))
        assert response.status_code == 200
        html = response.content.decode()
        assert f'data-document="{certificate.pk}"' in html
        assert reverse("documents:download", args=[certificate.pk]) in html
        assert reverse("documents:pdf", args=[certificate.pk]) in html
        assert "Справка о включении в состав РМА" in html

    def test_teacher_sees_own_documents_only(self, client, certificate, ministry, school):
        [other] = self.issue_more(ministry, school, 1)
        user = make_user(role=Role.TEACHER, organization=school, person=certificate.person)
        client.force_login(user)
        html = client.get(reverse("documents:list")).content.decode()
        assert f'data-document="{certificate.pk}"' in html
        assert f'data-document="{other.pk}"' not in html
        assert reverse("documents:pdf", args=[certificate.pk]) not in html  # no PDF yet

    def test_another_region_sees_nothing(self, client, certificate):
        other = make_region(name="Другой край")
        login(client, role=Role.MINISTRY_OFFICER, organization=make_organization(other, kind=OrganizationKind.MINISTRY))
        html = client.get(reverse("documents:list")).content.decode()
        assert 'id="no-documents"' in html and "data-document=" not in html

    def test_keyset_pages_newest_first_with_constant_queries(self, certificate, ministry, school):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from documents.selectors import issued_document_page

        documents = [certificate, *self.issue_more(ministry, school, 4)]
        user = make_user(role=Role.MINISTRY_OFFICER, organization=ministry)
        issued_document_page(user=user, page_size=2)  # content type ids are cached per process from then on
        seen = []
        cursor = ""
        for _ in range(3):
            user = type(user).objects.get(pk=user.pk)  # a fresh request: memberships not cached
            with CaptureQueriesContext(connection) as queries:
                page = issued_document_page(user=user, cursor=cursor, page_size=2)
                seen.extend(d.pk for d in page.documents)
                [d.organization.name for d in page.documents]
            assert len(queries) == 2  # the user's memberships, one page of documents
            cursor = page.next_cursor
            if cursor is None:
                break
        assert seen == sorted((d.pk for d in documents), reverse=True)
        assert issued_document_page(user=user, cursor="garbage", page_size=2).documents[0].pk == seen[0]

    def test_next_page_link(self, client, certificate, ministry, school, monkeypatch):
        from documents import selectors

        monkeypatch.setattr(selectors, "PAGE_SIZE", 1)
        newer = self.issue_more(ministry, school, 1)[0]
        login(client, role=Role.MINISTRY_OFFICER, organization=ministry)
        html = client.get(reverse("documents:list")).content.decode()
        assert f'data-document="{newer.pk}"' in html and f'data-document="{certificate.pk}"' not in html
        href = html.split('id="next-page"')[0].rsplit('href="', 1)[1].split('"')[0]
        assert href.startswith("?after=") and "page=" not in href
        html = client.get(reverse("documents:list") + href).content.decode()
        assert f'data-document="{certificate.pk}"' in html and f'data-document="{newer.pk}"' not in html

    def test_a_superseded_document_is_marked(self, client, certificate, ministry):
        from documents.issuing import document_reissue

        new = document_reissue(document=certificate, reason="ошибка в должности", actor=None, issued_on=ISSUED_ON)
        login(client, role=Role.MINISTRY_OFFICER, organization=ministry)
        html = client.get(reverse("documents:list")).content.decode()
        assert f'data-document="{new.pk}"' in html and "заменен" in html

    def test_anonymous_is_sent_to_login(self, client):
        response = client.get(reverse("documents:list"))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
