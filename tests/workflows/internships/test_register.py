"""The register of sites (issue 14 §5): each site's annual report as an inbox task due on the date
of the приказ, the next one a year later within the term; revocation with a reason (audited, the
pending report withdrawn); expiry by the nightly scan the day after the term's last day; the
register page and .xlsx for the region; the open page and export only where the region publishes
it, and without personal data."""

import datetime as dt
import io

import openpyxl
import pytest
from django.test import Client
from viewflow.workflow.models import Task

from orgstructure.models import Role
from tests.factories import make_user, region_today
from workflows.core.audit import history
from workflows.core.calendar import local_date
from workflows.core.flowkit import flow_url, task_action_url, task_url
from workflows.core.models import TaskDeadline
from workflows.internships import decision_services, rules
from workflows.internships.flows import InternshipsFlow, SiteReportFlow, propose, start_report
from workflows.internships.models import (
    Call,
    InternshipEvent,
    ReportStatus,
    Site,
    SiteReport,
    SiteStatus,
)
from workflows.internships.tasks import EXPIRY

from .test_application import client, world  # noqa: F401  (the fixture)
from .test_decision import decided  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

TODAY = region_today()
CURATOR = "Иванова Анна Петровна"


@pytest.fixture
def sites(world, decided):  # noqa: F811
    best, second, low, _ = decided.applications
    decision_services.call_close(actor=world.coordinator, call=decided.call)
    decision = propose(
        actor=world.coordinator,
        call=Call.objects.get(pk=decided.call.pk),
        protocol_date=TODAY,
        commission="Сидорова Вера Павловна, председатель",
        regulation=rules.DEFAULT_REGULATION,
        report_due=rules.default_report_due(decided.call.status_from),
        choices={best.pk: (True, ""), second.pk: (True, ""), low.pk: (False, "не набран проходной балл")},
    )
    decision_services.decision_approve(actor=decided.signatory, decision=decision, start_report=start_report)
    return list(Site.objects.order_by("application_id"))


def report_task(report):
    return Task.objects.get(process__artifact_object_id=report.pk, flow_task=SiteReportFlow.submit)


def test_each_site_gets_its_first_report_due_on_the_date_of_the_order(world, decided, sites):  # noqa: F811
    site = sites[0]
    report = SiteReport.objects.get(site=site)
    task = report_task(report)
    assert report.number == 1 and report.due_on == rules.default_report_due(decided.call.status_from)
    assert task.owner_id == world.head.pk  # the head of the site's school
    deadline = TaskDeadline.objects.get(task=task)
    # the end of the приказ's day in the region's time (moved to a working day if it is a day off)
    due_day = local_date(deadline.due_at, deadline.timezone)
    assert report.due_on <= due_day <= report.due_on + dt.timedelta(days=3)
    assert deadline.escalation_role == Role.CNPPM_COORDINATOR
    head = client(world.head)
    url = task_action_url(task, "execute")
    refused = head.post(url, {"trainees": "-1", "programmes_run": "2", "summary": ""})
    assert refused.status_code == 200 and SiteReport.objects.get(pk=report.pk).status == ReportStatus.DUE
    assert (
        head.post(url, {"trainees": "14", "programmes_run": "2", "summary": "Две группы стажёров"}).status_code == 302
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.trainees == 14
    following = SiteReport.objects.get(site=site, number=2)
    assert following.due_on == report.due_on.replace(year=report.due_on.year + 1)
    assert report_task(following).owner_id == world.head.pk
    page = client(world.coordinator).get(flow_url(InternshipsFlow, "site", site.pk))
    assert page.status_code == 200 and "Две группы стажёров" in page.content.decode()
    register = client(world.methodist).get(flow_url(InternshipsFlow, "register"))
    row = [s for s in register.context["page"].rows if s.pk == site.pk][0]
    assert row.trainees_total == 14
    # another school's head may not submit it
    other = make_user(role=Role.SCHOOL_HEAD, organization=sites[1].organization)
    assert client(other).post(task_action_url(report_task(following), "execute"), {}).status_code == 404


def test_the_last_report_of_the_term_opens_no_next_one():
    assert rules.next_report_due(dt.date(2029, 6, 30), dt.date(2029, 8, 31)) is None
    assert rules.next_report_due(dt.date(2028, 6, 30), dt.date(2029, 6, 30)) == dt.date(2029, 6, 30)
    assert rules.next_report_due(dt.date(2028, 2, 29), dt.date(2030, 1, 1)) == dt.date(2029, 2, 28)


def test_a_site_expires_the_day_after_its_term(world, sites):  # noqa: F811
    site = sites[0]
    last_day = site.status_to
    region = site.region
    assert list(decision_services_expiring(region, last_day)) == []
    assert sorted(decision_services_expiring(region, last_day + dt.timedelta(days=1))) == sorted(s.pk for s in sites)
    local_noon = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time(12), tzinfo=dt.UTC)
    assert EXPIRY.run(now=local_noon) == 2
    assert EXPIRY.run(now=local_noon) == 0  # state-based: a re-run acts on nobody
    site.refresh_from_db()
    assert site.status == SiteStatus.EXPIRED and site.ended_on == last_day
    assert SiteReport.objects.get(site=site).status == ReportStatus.CANCELLED
    assert InternshipEvent.SITE_EXPIRED in [e.event for e in history(site)]


def decision_services_expiring(region, on_date):
    from workflows.internships import register_services

    return register_services.expiring(region, on_date).values_list("pk", flat=True)


def test_the_register_exports_xlsx_without_personal_data(world, sites):  # noqa: F811
    response = client(world.methodist).get(flow_url(InternshipsFlow, "register_export"))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Образовательная организация" and len(rows) == 1 + 2
    flat = " ".join(str(cell) for row in rows for cell in row)
    assert sites[0].organization.name in flat and CURATOR not in flat


def test_the_open_register_answers_only_where_the_region_publishes_it(world, sites):  # noqa: F811
    region = sites[0].region
    anonymous = Client()
    page_url = f"/open/internships/{region.code}/"
    assert anonymous.get(page_url).status_code == 404
    assert anonymous.get(f"/open/internships/{region.code}/export.xlsx").status_code == 404
    publish = flow_url(InternshipsFlow, "register_publish", region.pk)
    assert client(world.head).post(publish, {"published": "1"}).status_code == 404
    assert client(world.coordinator).post(publish, {"published": "1"}).status_code == 302
    page = anonymous.get(page_url)
    text = page.content.decode()
    assert page.status_code == 200 and sites[0].organization.name in text and CURATOR not in text
    assert "Медиаобразование" in text
    export = anonymous.get(f"/open/internships/{region.code}/export.xlsx")
    assert export.status_code == 200
    Site.objects.filter(pk=sites[0].pk).update(status=SiteStatus.REVOKED)
    assert sites[0].organization.name not in anonymous.get(page_url).content.decode()  # active only
    assert client(world.coordinator).post(publish, {"published": "0"}).status_code == 302
    assert anonymous.get(page_url).status_code == 404
    assert anonymous.get("/open/internships/no-such-region/").status_code == 404


def test_the_site_records_a_trainee_by_snils_and_the_certificate_follows(
    world,  # noqa: F811
    sites,
    django_capture_on_commit_callbacks,
):
    from documents.models import IssuedDocument
    from tests.factories import make_person
    from workflows.internships import documents
    from workflows.internships.models import Internship

    site = sites[0]
    trainee = make_person(sites[1].organization, last_name="Зайцева", first_name="Лена", middle_name="Ильинична")
    url = flow_url(InternshipsFlow, "internship_new", site.pk)
    assert client(world.methodist).get(url).status_code == 404  # only the site's head records
    programme = site.application.programmes.first()
    start = site.status_from
    data = {
        "programme": programme.pk,
        "snils": "000-000-000 00",
        "date_from": start.isoformat(),
        "date_to": (start + dt.timedelta(days=9)).isoformat(),
        "result": "разработан цикл занятий",
    }
    head = client(world.head)
    if start + dt.timedelta(days=9) > TODAY:  # a call opened today starts its status in the future
        Site.objects.filter(pk=site.pk).update(status_from=TODAY - dt.timedelta(days=30))
        data["date_from"] = (TODAY - dt.timedelta(days=20)).isoformat()
        data["date_to"] = (TODAY - dt.timedelta(days=10)).isoformat()
    unknown = head.post(url, data)
    assert unknown.status_code == 200 and "не найден" in unknown.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert head.post(url, {**data, "snils": trainee.snils}).status_code == 302
    internship = Internship.objects.get()
    assert internship.person == trainee and internship.programme == programme
    certificate = IssuedDocument.objects.get(kind=documents.CERTIFICATE_KIND)
    assert internship.certificate_id == certificate.pk and certificate.person == trainee
    again = head.post(url, {**data, "snils": trainee.snils})
    assert again.status_code == 200 and "уже отмечена" in again.content.decode()
    page = client(world.coordinator).get(flow_url(InternshipsFlow, "site", site.pk)).content.decode()
    assert "Зайцева Лена Ильинична" in page
    # a teacher of another municipality's school sees no trainee of this site
    assert "Зайцева" not in client(world.foreign).get(flow_url(InternshipsFlow, "site", site.pk)).content.decode()


def test_a_report_in_the_queue_is_offered_to_the_site_heads_only(request, world):  # noqa: F811
    """Two heads at the site's school: the report waits in their queue. The coordinator who keeps
    the register sees the site but gets no «Представить отчёт» (the task would answer 404); a
    head gets the button and it works."""
    second_head = make_user(role=Role.SCHOOL_HEAD, organization=world.school)
    site = request.getfixturevalue("sites")[0]
    report = SiteReport.objects.get(site=site)
    task = report_task(report)
    assert task.owner_id is None  # no sole holder: the queue
    site_url = flow_url(InternshipsFlow, "site", site.pk)
    coordinator = client(world.coordinator).get(site_url).content.decode()
    assert "Представить отчёт" not in coordinator and f'data-task="{task.pk}"' not in coordinator
    assert client(world.coordinator).get(task_action_url(task, "execute")).status_code == 404
    head = client(second_head)
    page = head.get(site_url).content.decode()
    assert f'data-task="{task.pk}"' in page and "Представить отчёт" in page
    button = head.get(task_url(task))  # the button's address opens the form
    assert button.status_code == 302 and button["Location"] == task_action_url(task, "execute")
    assert head.get(button["Location"]).status_code == 200
    report_data = {"trainees": "3", "programmes_run": "1", "summary": "Одна группа"}
    done = head.post(task_action_url(task, "execute"), report_data)
    assert done.status_code == 302
    assert SiteReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED
