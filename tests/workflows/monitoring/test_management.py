"""Issue 12 §7-9 end to end on the hand-checked region of test_analysis: the аналитическая справка
drafted, edited, issued with a number in the worker (eager here) and opened back with python-docx
(its tables and the chart images inside); адресные рекомендации from the library's rules; the
plan of measures as inbox tasks with their own due dates; the приказ from the plan; the
effectiveness review against the next period and the next cycle's goals."""

import datetime as dt
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone
from docx import Document
from viewflow.workflow.models import Task

from common.errors import ActionRefused, InvalidInput
from documents.models import IssuedDocument
from orgstructure.models import Membership, OrganizationKind, Role
from tests.factories import make_organization, make_user
from workflows.core.demo import complete_open_task
from workflows.core.flowkit import flow_url
from workflows.core.models import TaskDeadline
from workflows.monitoring import analysis_services as services
from workflows.monitoring import effectiveness, measures_planning, measures_services
from workflows.monitoring.analysis import campaign_analysis
from workflows.monitoring.analysis_models import (
    AnalysisReport,
    DraftStatus,
    Measure,
    MeasureStatus,
    RecommendationLetter,
    RecommendationText,
)
from workflows.monitoring.measures_flows import MeasureFlow

from .test_analysis import make_campaign, put, region_data, share  # noqa: F401  (region_data: fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def loop(region_data):  # noqa: F811
    w = region_data
    center = make_organization(w.region, kind=OrganizationKind.CNPPMPR, name="ЦНППМПР (тест)")
    center.head_name, center.head_position = "Сидорова Анна Петровна", "директор"
    center.email = "cnppm@example.org"
    center.save()
    w.coordinator = make_user("coord", role=Role.CNPPM_COORDINATOR, organization=center)
    w.coordinator.last_name, w.coordinator.first_name = "Петрова", "Ольга"
    w.coordinator.save()
    Membership.objects.filter(user=w.coordinator).update(phone="(342) 200-00-00", position="координатор")
    w.mms1 = make_organization(w.region, kind=OrganizationKind.MMS, municipality=w.m1, name="ММС Березники")
    w.mms2 = make_organization(w.region, kind=OrganizationKind.MMS, municipality=w.m2, name="ММС Кунгура")
    w.methodist = make_user("mms1", role=Role.MMS_METHODIST, organization=w.mms1)
    Membership.objects.filter(user=w.methodist).update(position="методист ММС")
    RecommendationText.objects.create(indicator_code="IND-03", addressee="municipality", responsible="ММС",
                                      text="Направить педагогов на ДПП из ФР ДПП по итогам диагностики")
    return w


def _docx(artefact, kind):
    document = IssuedDocument.objects.get(artefact_type=ContentType.objects.get_for_model(type(artefact)),
                                          artefact_id=str(artefact.pk), kind=kind)
    with document.file.open("rb") as handle:
        return document, Document(io.BytesIO(handle.read()))


def _cells(docx):
    return [cell.text.replace("\u00a0", " ") for table in docx.tables for row in table.rows for cell in row.cells]


def test_the_report_is_drafted_edited_and_issued_with_its_tables_and_charts(loop, django_capture_on_commit_callbacks):
    w = loop
    commit = django_capture_on_commit_callbacks
    report = services.report_prepare(actor=w.coordinator, campaign=w.now)
    assert services.report_prepare(actor=w.coordinator, campaign=w.now) == report  # once
    with pytest.raises(InvalidInput):
        services.report_update(actor=w.coordinator, report=report, texts={"basis": ""})
    texts = services.default_texts(w.now, campaign_analysis(w.now))
    texts["analysis"] = ["Основной фактор – перенос курсов в Березниках."]
    services.report_update(actor=w.coordinator, report=report, texts=texts)
    with commit(execute=True):
        services.report_issue(actor=w.coordinator, report=report)
    report.refresh_from_db()
    assert report.status == DraftStatus.ISSUED
    with pytest.raises(ActionRefused):
        services.report_issue(actor=w.coordinator, report=report)
    document, docx = _docx(report, "monitoring_report")
    assert document.number
    cells = _cells(docx)
    assert "25 % (25 из 100)" in cells  # IND-03 of the region, pooled
    assert any("69,2 %" in cell for cell in cells)  # IND-06
    assert "Березники" in cells and "Кунгур" in cells  # the table by municipality
    text = "\n".join(p.text for p in docx.paragraphs).replace("\u00a0", " ")
    assert "Основной фактор – перенос курсов в Березниках." in text
    assert "IND-03 «Показатель IND-03» ниже целевого значения (30 %)" in text  # the «зона риска»
    assert "СОШ № 2 – 15 %" in text
    images = [rel for rel in docx.part.rels.values() if "image" in rel.reltype]
    assert len(images) == 3  # a chart per share and yes/no indicator (IND-03, IND-06, IND-22)


def test_recommendations_from_the_library_are_edited_and_issued_as_letters(loop, django_capture_on_commit_callbacks):
    w = loop
    commit = django_capture_on_commit_callbacks
    letters = services.letters_generate(actor=w.coordinator, campaign=w.now)
    assert {x.addressee for x in letters} == {w.mms1, w.mms2}  # both municipalities are below IND-03's target
    berezniki = next(x for x in letters if x.addressee == w.mms1)
    rows = {item["recommendation"] for item in berezniki.items}
    assert "Направить педагогов на ДПП из ФР ДПП по итогам диагностики" in rows  # the library's text
    assert services.GENERIC_TEXT in rows  # IND-06 (60 %) has no text in the library: the generic one
    assert services.letters_generate(actor=w.coordinator, campaign=w.now) == []  # drafts are kept as edited
    with pytest.raises(ActionRefused, match="Сначала выпустите аналитическую справку"):
        services.letter_issue(actor=w.coordinator, letter=berezniki)
    report = services.report_prepare(actor=w.coordinator, campaign=w.now)
    with commit(execute=True):
        services.report_issue(actor=w.coordinator, report=report)
    items = [dict(item) for item in berezniki.items]
    items[0]["recommendation"] = "Организовать курсы ДПП из ФР ДПП для 10 педагогов СОШ № 2"
    services.letter_update(actor=w.coordinator, letter=berezniki, items=items)
    page, coordinator = flow_url(MeasureFlow, "letter", berezniki.pk), Client()
    coordinator.force_login(w.coordinator)
    assert 'id="letter-form"' in coordinator.get(page).content.decode()  # a draft is edited on its page
    with commit(execute=True):
        services.letter_issue(actor=w.coordinator, letter=berezniki)
    berezniki.refresh_from_db()
    assert berezniki.status == DraftStatus.ISSUED
    # issued: the letter as sent, as text — it showed editable fields with nothing to save them
    html = coordinator.get(page).content.decode()
    assert 'id="letter-items"' in html and "<textarea" not in html and 'type="date"' not in html
    assert "Организовать курсы ДПП из ФР ДПП для 10 педагогов СОШ № 2" in html
    _, docx = _docx(berezniki, "monitoring_recommendations")
    cells = _cells(docx)
    assert "Организовать курсы ДПП из ФР ДПП для 10 педагогов СОШ № 2" in cells
    assert "25 % (15 из 60)" in cells and "25 %" in cells  # the municipality against the region


def test_measures_are_tasks_with_their_due_dates_and_the_order_lists_the_plan(loop, django_capture_on_commit_callbacks):
    w = loop
    commit = django_capture_on_commit_callbacks
    due = timezone.localdate() + dt.timedelta(days=40)
    owner = Membership.objects.get(user=w.methodist)
    with pytest.raises(InvalidInput):
        measures_planning.measure_add(actor=w.coordinator, campaign=w.now, title="", indicator_code="IND-99",
                                      owner_membership=owner, due=due)
    measure = measures_planning.measure_add(
        actor=w.coordinator, campaign=w.now, title="Курсы ДПП из ФР ДПП для педагогов без ИОМ",
        indicator_code="IND-03", owner_membership=owner, due=due)
    task = Task.objects.get(process__artifact_object_id=measure.pk, flow_task=MeasureFlow.do)
    assert task.owner == w.methodist and task.status == "ASSIGNED"
    deadline = TaskDeadline.objects.get(task=task)
    # the measure's own date (a day off moves it to the next working day)
    assert deadline.due_at.astimezone(dt.timezone(dt.timedelta(hours=5))).date() >= due
    assert measures_services.plan_progress(w.now) == {"total": 1, "done": 0, "overdue": 0}

    with commit(execute=True):
        measures_services.decisions_issue(actor=w.coordinator, campaign=w.now)
    _, docx = _docx(w.now, "monitoring_decisions_order")
    assert "Курсы ДПП из ФР ДПП для педагогов без ИОМ" in _cells(docx)
    assert any("О принятии управленческих решений по результатам мониторинга" in p.text for p in docx.paragraphs)
    with pytest.raises(ActionRefused):
        measures_services.decisions_issue(actor=w.coordinator, campaign=w.now)

    complete_open_task(actor=w.methodist, artefact=measure, flow_class=MeasureFlow,
                       perform=lambda activation: measures_services.measure_complete(
                           actor=w.methodist, measure=measure, result="Обучены 12 педагогов"))
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.DONE and measure.result == "Обучены 12 педагогов"


def test_a_measure_due_on_a_day_off_is_due_on_the_next_working_day(loop):
    """Seen on the demo: a measure «до 27.12.2026» (a Sunday) had its task due 28.12 (the kit moves
    a day off, ГК РФ ст. 193) while the plan, the приказ and the step page said 27.12."""
    from workflows.core.calendar import WorkCalendar

    w = loop
    owner = Membership.objects.get(user=w.methodist)
    calendar = WorkCalendar.load()
    sunday = timezone.localdate() + dt.timedelta(days=30)
    while calendar.is_working_day(sunday):
        sunday += dt.timedelta(days=1)
    monday = calendar.next_working_day(sunday)
    page, client = flow_url(MeasureFlow, "management", w.now.pk), Client()
    client.force_login(w.coordinator)
    response = client.post(page, {"action": "measure", "title": "Курсы ДПП", "indicator_code": "IND-03",
                                  "owner": owner.pk, "due": sunday.isoformat()}, follow=True)
    measure = Measure.objects.get(campaign=w.now, title="Курсы ДПП")
    assert measure.due == monday
    deadline = TaskDeadline.objects.get(task__process__artifact_object_id=measure.pk, task__flow_task=MeasureFlow.do)
    assert deadline.due_at.astimezone(dt.timezone(dt.timedelta(hours=5))).date() == monday
    assert f"{sunday:%d.%m.%Y} — выходной день, срок — {monday:%d.%m.%Y}" in response.content.decode()
    working = calendar.next_working_day(monday)  # a working day stays as it is
    kept = measures_planning.measure_add(actor=w.coordinator, campaign=w.now, title="Диагностика",
                                         indicator_code="IND-03", owner_membership=owner, due=working)
    assert kept.due == working


def test_effectiveness_compares_before_and_after_and_seeds_the_next_goals(loop, django_capture_on_commit_callbacks):
    w = loop
    commit = django_capture_on_commit_callbacks
    owner = Membership.objects.get(user=w.methodist)
    measures_planning.measure_add(actor=w.coordinator, campaign=w.now, title="Курсы ДПП", indicator_code="IND-03",
                                  owner_membership=owner, due=timezone.localdate() + dt.timedelta(days=5))
    with pytest.raises(ActionRefused, match="сравнивать не с чем"):
        effectiveness.effectiveness_issue(actor=w.coordinator, campaign=w.now)
    after = make_campaign(w.region, w.coordinator, year=2027)
    # after the measures: IND-03 (14 + 6 + 12) / 100 = 32 % (met); IND-06 (5 + 2 + 3) / 13 = 76,9 %
    put(after, w.a, {"IND-03": share(14, 40), "IND-06": share(5, 6), "IND-22": True, "IND-18": "1"})
    put(after, w.b, {"IND-03": share(6, 20), "IND-06": share(2, 4), "IND-22": False, "IND-18": "0"})
    put(after, w.c, {"IND-03": share(12, 40), "IND-06": share(3, 3), "IND-22": False, "IND-18": "2"})
    found, rows = effectiveness.compare(w.now)
    assert found == after
    page, coordinator = flow_url(MeasureFlow, "management", w.now.pk), Client()
    coordinator.force_login(w.coordinator)
    assert 'value="effectiveness"' in coordinator.get(page).content.decode()
    by_code = {row.indicator.code: row for row in rows}
    assert str(by_code["IND-03"].change) == "7.0" and by_code["IND-03"].verdict == "улучшение, цель достигнута"
    assert len(by_code["IND-03"].measures) == 1
    # IND-22: 2 of 3 → 1 of 3 schools: 33,3 % < 50 %
    assert by_code["IND-22"].verdict == "ухудшение, цель не достигнута"
    with commit(execute=True):
        effectiveness.effectiveness_issue(actor=w.coordinator, campaign=w.now)
    _, docx = _docx(w.now, "monitoring_effectiveness")
    cells = _cells(docx)
    assert "32 % (32 из 100)" in cells and "+7 п.п." in cells
    html = coordinator.get(page).content.decode()  # issued: said so, no greyed-out button left
    assert 'id="effectiveness-issued"' in html and 'value="effectiveness"' not in html
    nxt = effectiveness.goals_seed(actor=w.coordinator, campaign=w.now)
    assert nxt.status == "draft" and (nxt.period_start, nxt.period_end) == (dt.date(2028, 1, 1), dt.date(2028, 12, 31))
    assert [g.indicator_code for g in nxt.goals.all()] == ["IND-22"]
    assert set(nxt.indicators.values_list("code", flat=True)) == {"IND-03", "IND-06", "IND-22", "IND-18", "NOTE"}
    effectiveness.goals_seed(actor=w.coordinator, campaign=w.now)
    assert nxt.goals.count() == 1  # seeding again adds nothing


def test_pages_are_scoped(loop):
    w = loop
    stranger_region = make_user("other-head", role=Role.SCHOOL_HEAD, organization=w.a)
    url = flow_url(MeasureFlow, "analysis", w.now.pk)
    coordinator, methodist, head = Client(), Client(), Client()
    coordinator.force_login(w.coordinator)
    methodist.force_login(w.methodist)
    head.force_login(stranger_region)
    page = coordinator.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "25 % (25 из 100)" in text and "СОШ № 3" in text
    own = methodist.get(url).content.decode()
    assert "СОШ № 2" in own and "СОШ № 3" not in own  # Березники's methodist sees Березники only
    assert head.get(url).status_code == 404
    assert head.get(flow_url(MeasureFlow, "management", w.now.pk)).status_code == 404
    assert coordinator.get(flow_url(MeasureFlow, "management", w.now.pk)).status_code == 200
    services.report_prepare(actor=w.coordinator, campaign=w.now)
    report = AnalysisReport.objects.get(campaign=w.now)
    assert methodist.get(flow_url(MeasureFlow, "report", report.pk)).status_code == 404
    assert coordinator.get(flow_url(MeasureFlow, "report", report.pk)).status_code == 200
    assert RecommendationLetter.objects.count() == 0
