"""«Список РМА»: current members with municipality, subject and the приказ, filterable, scoped,
paged by keyset with a constant number of queries, exported to .xlsx; and the nightly re-check of
members whose category lapsed."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from viewflow.workflow.models import Task

from orgstructure.models import QualificationCategory
from workflows.core.models import AuditEvent
from workflows.rma import links, services
from workflows.rma.flows import RmaReviewFlow
from workflows.rma.models import ListStatus, Status
from workflows.rma.tasks import scan_lapsed_categories

from .conftest import today
from .test_batch import draft_list

pytestmark = pytest.mark.django_db


@pytest.fixture
def members(perm):
    rma_list = draft_list(perm, size=12)
    services.list_approve(actor=perm.users.signatory, rma_list=rma_list)
    rma_list.refresh_from_db()
    return rma_list


def names(response):
    return [row["name"] for row in response.context["rows"]]


def test_register_is_scoped_and_filtered(perm, members, client_as):
    regional = client_as(perm.users.ministry).get(links.register_url())
    assert len(regional.context["rows"]) == 12
    assert regional.context["rows"][0]["order_number"] == members.order_number
    berezniki = client_as(perm.users.rma_coord).get(links.register_url())
    assert len(berezniki.context["rows"]) == 6
    assert {row["municipality"] for row in berezniki.context["rows"]} == {"Березники"}
    kungur_only = client_as(perm.users.ministry).get(links.register_url(), {"municipality": perm.kungur.pk})
    assert {row["municipality"] for row in kungur_only.context["rows"]} == {"Кунгур"}
    physics = client_as(perm.users.ministry).get(links.register_url(), {"subject": perm.subjects.physics.pk})
    assert {row["subjects"] for row in physics.context["rows"]} == {"Физика"} and len(physics.context["rows"]) == 4
    assert names(client_as(perm.users.teacher).get(links.register_url())) == []


def test_register_pages_by_keyset_with_constant_queries(perm, members, client_as, monkeypatch):
    monkeypatch.setattr("workflows.rma.selectors.REGISTER_PAGE_SIZE", 5)
    client = client_as(perm.users.ministry)
    client.get(links.register_url())  # warm the session and the URLconf
    seen, cursor, counts = [], "", []
    while True:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(links.register_url(), {"after": cursor} if cursor else {})
        counts.append(len(queries))
        seen += names(response)
        cursor = response.context["page"].next_cursor
        if not cursor:
            break
    assert len(seen) == 12 and len(set(seen)) == 12 and seen == sorted(seen)
    # session, user, memberships, the page and its subjects, the user's permissions (menu, two),
    # municipalities and subjects of the filters: 9 on every page, however many members there are
    assert counts == [9, 9, 9], counts


def test_export_matches_the_page(perm, members, client_as):
    response = client_as(perm.users.rma_coord).get(links.register_export_url())
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("ФИО", "Должность", "Образовательная организация", "Муниципальное образование")
    assert len(rows) == 7 and {row[3] for row in rows[1:]} == {"Березники"}
    assert {row[6] for row in rows[1:]} == {members.order_number}


def test_override_is_visible_on_the_list_and_the_register(perm, client_as):
    rma_list = draft_list(perm, size=1, status=ListStatus.SIGNING)
    application = rma_list.applications.get()
    application.override_reason = "Решение координатора: категория присвоена, приказ № 77 в пути"
    application.save()
    services.list_approve(actor=perm.users.signatory, rma_list=rma_list)
    page = client_as(perm.users.ministry).get(links.register_url())
    assert page.context["rows"][0]["override_reason"].startswith("Решение координатора")
    assert "допущен вопреки критериям" in page.content.decode()


class TestLapsedCategory:
    def test_the_scan_flags_the_member_and_opens_a_task_for_the_coordinator(self, perm, members, client_as):
        member = members.applications.filter(person__organization=perm.orgs.school).first()
        person = member.person
        person.category_valid_until = today(perm.region) - dt.timedelta(days=1)
        person.save()

        assert scan_lapsed_categories() == 1
        assert scan_lapsed_categories() == 0  # state-based: nobody is flagged twice
        member.refresh_from_db()
        assert member.status == Status.UNDER_REVIEW
        assert [r["code"] for r in member.refusals] == ["category_expired"]
        review = Task.objects.get(flow_task=RmaReviewFlow.review)
        assert review.owner == perm.users.rma_coord
        register = client_as(perm.users.rma_coord).get(links.register_url())
        flagged = [row for row in register.context["rows"] if row["application"].pk == member.pk]
        assert flagged[0]["under_review"]  # still a member until the coordinator decides

        coordinator = client_as(perm.users.rma_coord)
        refused = coordinator.post(links.task_action_url(review, "execute"), {"decision": "confirm", "reason": ""})
        assert refused.status_code == 200
        assert "Членство подтвердить нельзя" in str(refused.context["form"].non_field_errors())
        done = coordinator.post(
            links.task_action_url(review, "execute"),
            {"decision": "exclude", "reason": "Высшая категория истекла, заявление на аттестацию не подано"},
        )
        assert done.status_code == 302
        member.refresh_from_db()
        assert member.status == Status.EXCLUDED
        assert [e.event for e in AuditEvent.objects.for_object(member)][-2:] == ["rma.flagged", "rma.excluded"]

    def test_a_renewed_category_is_confirmed(self, perm, members, client_as):
        member = members.applications.filter(person__organization=perm.orgs.school).first()
        person = member.person
        person.category = QualificationCategory.FIRST
        person.save()
        scan_lapsed_categories()
        person.category = QualificationCategory.HIGHEST
        person.save()
        review = Task.objects.get(flow_task=RmaReviewFlow.review)
        response = client_as(perm.users.rma_coord).post(
            links.task_action_url(review, "execute"), {"decision": "confirm", "reason": ""}
        )
        assert response.status_code == 302
        member.refresh_from_db()
        assert member.status == Status.ADMITTED and member.refusals == []


def test_export_keeps_a_member_name_that_looks_like_a_formula_as_text(perm, members, client_as):
    """Issue 11: a name imported as «=…» is exported as the literal text, never as a formula."""
    person = members.applications.filter(person__organization=perm.orgs.school).first().person
    person.last_name = '=HYPERLINK("http://example.org","Открыть")'
    person.save()
    sheet = load_workbook(io.BytesIO(client_as(perm.users.rma_coord).get(links.register_export_url()).content)).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2) if str(row[0].value).startswith("=")]
    assert len(cells) == 1 and cells[0].value.startswith('=HYPERLINK("http://example.org","Открыть") ')
    assert cells[0].data_type == "s" and cells[0].quotePrefix


def test_export_is_capped_with_a_request_to_narrow_the_filter(perm, members, client_as, monkeypatch):
    """Issue 8: the register export was uncapped."""
    monkeypatch.setattr("workflows.rma.views.EXPORT_LIMIT", 5)
    client = client_as(perm.users.ministry)
    response = client.get(links.register_export_url(), {"municipality": perm.berezniki.pk})
    assert response.status_code == 302
    assert response["Location"] == f"{links.register_url()}?municipality={perm.berezniki.pk}&subject="
    body = client.get(response["Location"]).content.decode()
    assert "В выгрузке больше 5 строк" in body and "Сузьте отбор: выберите муниципалитет или предмет" in body
    monkeypatch.setattr("workflows.rma.views.EXPORT_LIMIT", 6)
    response = client.get(links.register_export_url(), {"municipality": perm.berezniki.pk})
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert len(list(load_workbook(io.BytesIO(response.content)).active.iter_rows())) == 1 + 6
