"""Issue 12 §2–4, the collection: a set chosen from the catalogue and the registry; values the
registry computes prefilled per school when collection opens (in bulk) and marked «вычислено»; a
school changes one only with a reason the methodist sees; a jump against last period's accepted
value warns without refusing; evidence files through common.uploads; cross-field rules."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from viewflow.workflow.models import Task

from common.errors import InvalidInput
from orgstructure.models import OrganizationKind, QualificationCategory, Role
from tests import corpus
from tests.factories import make_organization, make_person, make_user
from workflows.core.flowkit import task_action_url
from workflows.monitoring import services
from workflows.monitoring.flows import MonitoringFlow
from workflows.monitoring.models import CampaignRule, Submission, SubmissionStatus, ValueKind
from workflows.monitoring.opening import campaign_open

from .test_campaign import _client

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(world):
    cnppm = make_organization(world.region, kind=OrganizationKind.CNPPMPR, name="ЦНППМПР (тест)")
    return make_user("cnppm", role=Role.CNPPM_COORDINATOR, organization=cnppm)


def _staff(school, highest, none):
    for _ in range(highest):
        make_person(school, category=QualificationCategory.HIGHEST)
    for _ in range(none):
        make_person(school, category=QualificationCategory.NONE, category_valid_until=None)


def _campaign(world, actor, codes, **overrides):
    fields = dict(actor=actor, region=world.region, municipality=world.berezniki, title="Мониторинг 2027",
                  period_start=dt.date(2027, 1, 1), period_end=dt.date(2027, 12, 31),
                  opens_on=dt.date(2026, 1, 1), codes=codes)
    return services.campaign_create(**{**fields, **overrides})


def test_the_set_comes_from_the_catalogue_and_the_registry_with_seed_targets_and_rules(world, coordinator):
    campaign = _campaign(world, coordinator, ["IND-06", "IND-14", "IND-04", "IND-04a", "IND-22"])
    rows = {row.code: row for row in campaign.indicators.all()}
    assert rows["IND-14"].computed  # the kit's registry computes it per school (002:L171)
    assert not rows["IND-04"].computed and rows["IND-04"].target == 30  # «не менее 30%», 000:L218
    assert rows["IND-06"].target == 70 and rows["IND-22"].kind == ValueKind.YES_NO  # 000:L220
    rules = {(r.left, r.operator, r.right) for r in CampaignRule.objects.filter(campaign=campaign)}
    assert rules == {("IND-06.denominator", "<=", "IND-14.denominator"),  # 003:L576
                     ("IND-04a.numerator", "<=", "IND-04.numerator")}  # «в том числе», 000:L218
    with pytest.raises(InvalidInput, match="IND-77"):
        _campaign(world, coordinator, ["IND-77"])


def test_a_school_head_cannot_create_a_campaign(world):
    from common.errors import ActionForbidden

    with pytest.raises(ActionForbidden):
        _campaign(world, world.head, ["IND-14"])


def test_opening_prefills_computed_values_per_school_in_constant_queries(world, coordinator):
    one, two, three = world.schools
    _staff(one, 3, 1)
    _staff(two, 1, 1)
    campaign = _campaign(world, coordinator, ["IND-14", "IND-22"])
    with CaptureQueriesContext(connection) as few:
        campaign_open(actor=coordinator, campaign=campaign)
    submissions = {s.organization_id: s for s in Submission.objects.filter(campaign=campaign)}
    assert submissions[one.pk].computed == {"IND-14": {"numerator": "3", "denominator": "4"}}
    assert submissions[one.pk].values["IND-14"] == {"numerator": "3", "denominator": "4"}
    assert submissions[two.pk].computed["IND-14"] == {"numerator": "1", "denominator": "2"}
    assert submissions[three.pk].computed["IND-14"] == {"numerator": "0", "denominator": "0"}

    # ten more schools cost no more queries: prefill and fan-out are set-based
    for n in range(10):
        _staff(make_organization(world.region, municipality=world.berezniki, name=f"Школа {n}"), 2, 1)
    again = _campaign(world, coordinator, ["IND-14", "IND-22"], title="Ещё одна")
    with CaptureQueriesContext(connection) as many:
        campaign_open(actor=coordinator, campaign=again)
    assert len(many) <= len(few)  # (the first opening also warms the content-type and calendar caches)


def _fill_task(submission):
    return Task.objects.get(process__artifact_object_id=submission.pk, flow_task=MonitoringFlow.fill)


def _open_one(world, coordinator, codes):
    _staff(world.schools[0], 3, 1)
    campaign = _campaign(world, coordinator, codes)
    campaign_open(actor=coordinator, campaign=campaign)
    submission = Submission.objects.get(campaign=campaign, organization=world.schools[0])
    return campaign, submission, _fill_task(submission)


def test_the_form_marks_a_computed_value_and_a_change_needs_a_reason_the_methodist_sees(world, coordinator):
    campaign, submission, task = _open_one(world, coordinator, ["IND-14", "IND-22"])
    head = _client(world.head)
    page = head.get(task_action_url(task, "execute")).content.decode()
    assert "(вычислено)" in page and "Вычислено системой: 3 из 4 (75 %)" in page and 'value="3"' in page

    changed = {"v_IND-14__numerator": "2", "v_IND-14__denominator": "4", "v_IND-22": "1"}
    refused = head.post(task_action_url(task, "execute"), changed)
    assert refused.status_code == 200 and "укажите причину его изменения" in refused.content.decode()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.NOT_STARTED

    reason = "у одного педагога категория истекла 30.11, приказ о продлении не издан"
    assert head.post(task_action_url(task, "execute"), {**changed, "r_IND-14": reason}).status_code == 302
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED and submission.corrections == {"IND-14": reason}
    assert submission.computed["IND-14"] == {"numerator": "3", "denominator": "4"}  # kept as computed

    mms = make_organization(world.region, kind=OrganizationKind.MMS, municipality=world.berezniki)
    methodist = make_user("mms", role=Role.MMS_METHODIST, organization=mms)
    review = Task.objects.get(process__artifact_object_id=submission.pk, flow_task=MonitoringFlow.review)
    page = _client(methodist).get(task_action_url(review, "execute")).content.decode()
    assert reason in page and "3 из 4 (75 %)" in page and "2 из 4 (50 %)" in page


def test_an_unchanged_computed_value_needs_no_reason(world, coordinator):
    _, submission, task = _open_one(world, coordinator, ["IND-14", "IND-22"])
    same = {"v_IND-14__numerator": "3", "v_IND-14__denominator": "4", "v_IND-22": "0"}
    assert _client(world.head).post(task_action_url(task, "execute"), same).status_code == 302
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED and submission.corrections == {}


def test_a_jump_against_last_periods_accepted_value_warns_and_does_not_refuse(world, coordinator, settings):
    settings.PROFROST_MONITORING_JUMP_PP = 20
    school = world.schools[0]
    earlier = _campaign(world, coordinator, ["IND-04"], title="Мониторинг 2026",
                        period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 12, 31))
    campaign_open(actor=coordinator, campaign=earlier)
    Submission.objects.filter(campaign=earlier, organization=school).update(
        status=SubmissionStatus.ACCEPTED, values={"IND-04": {"numerator": "10", "denominator": "40"}})
    campaign, submission, task = _open_one(world, coordinator, ["IND-04"])
    jump = {"v_IND-04__numerator": "30", "v_IND-04__denominator": "40"}  # 75 % against 25 %
    head = _client(world.head)
    assert head.post(task_action_url(task, "execute"), {**jump, "save_draft": "1"}).status_code == 302
    page = head.get(task_action_url(task, "execute")).content.decode()
    assert "IND-04: 75 % против 25 % в прошлом периоде (+50 п.п.) — проверьте значение" in page
    assert head.post(task_action_url(task, "execute"), jump).status_code == 302
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.warnings == ["IND-04: 75 % против 25 % в прошлом периоде (+50 п.п.) — проверьте значение"]


def test_evidence_files_go_through_common_uploads(world, coordinator):
    from workflows.monitoring.models import CampaignIndicator

    campaign, submission, task = _open_one(world, coordinator, ["IND-22"])
    CampaignIndicator.objects.create(campaign=campaign, code="PLAN", title="План наставничества (скан)",
                                     kind=ValueKind.FILE, position=9)
    head = _client(world.head)
    bad = SimpleUploadedFile("план.pdf", corpus.pdf_javascript(), content_type="application/pdf")
    refused = head.post(task_action_url(task, "execute"), {"v_IND-22": "1", "v_PLAN": bad})
    assert refused.status_code == 200 and "план.pdf" in refused.content.decode()
    assert not submission.files.exists()
    missing = head.post(task_action_url(task, "execute"), {"v_IND-22": "1"})
    assert "приложите файл-подтверждение" in missing.content.decode()
    good = SimpleUploadedFile("план.pdf", corpus.PDF, content_type="application/pdf")
    assert head.post(task_action_url(task, "execute"), {"v_IND-22": "1", "v_PLAN": good}).status_code == 302
    submission.refresh_from_db()
    stored = submission.files.get()
    assert submission.values["PLAN"] == {"file": stored.pk, "name": "план.pdf"}
    assert stored.file.name.startswith("monitoring/") and "план" not in stored.file.name
    from workflows.core.flowkit import flow_url

    url = flow_url(MonitoringFlow, "evidence", stored.pk)
    opened = head.get(url)
    assert opened.status_code == 200 and b"".join(opened.streaming_content).startswith(b"%PDF")
    assert _client(world.foreign).get(url).status_code == 404
    assert _client(world.foreign).get(flow_url(MonitoringFlow, "evidence", 999999)).status_code == 404


def test_a_cross_field_rule_refuses_the_submission(world, coordinator):
    campaign, submission, task = _open_one(world, coordinator, ["IND-06", "IND-14"])
    values = {"v_IND-14__numerator": "3", "v_IND-14__denominator": "4",
              "v_IND-06__numerator": "1", "v_IND-06__denominator": "5"}  # 5 young teachers of 4 teachers
    response = _client(world.head).post(task_action_url(task, "execute"), values)
    assert response.status_code == 200
    assert ("IND-06 (знаменатель) = 5, IND-14 (знаменатель) = 4: условие «IND-06 (знаменатель) ≤ IND-14 "
            "(знаменатель)» не выполняется") in response.content.decode()


def test_opening_a_region_of_1100_schools_gives_each_its_form_task_due_date_and_alarm(world, coordinator):
    """Issue 12 §3 at a region's scale (≈ 1,100 schools, «Done means»: «the fan-out at 1,100
    schools»): one submission per school, each with its own fill task, due date and alarm, in the
    same number of queries as three schools; the speed itself is bench/monitoring_fanout.py's."""
    from orgstructure.models import Municipality, Organization
    from workflows.core.models import TaskAlarm, TaskDeadline

    municipalities = Municipality.objects.bulk_create(
        [Municipality(region=world.region, name=f"Округ {n:02d}") for n in range(48)])
    Organization.objects.bulk_create([
        Organization(region=world.region, municipality=municipalities[n % 48], kind=OrganizationKind.SCHOOL,
                     name=f"МБОУ «СОШ № {n}»") for n in range(1100 - len(world.schools) - 1)
    ])  # with the world's four schools: 1,100 in the region
    small = _campaign(world, coordinator, ["IND-14", "IND-22"], municipality=world.berezniki, title="Березники")
    with CaptureQueriesContext(connection) as few:
        campaign_open(actor=coordinator, campaign=small)
    campaign = _campaign(world, coordinator, ["IND-14", "IND-22"], municipality=None, title="Регион")
    with CaptureQueriesContext(connection) as region:
        campaign_open(actor=coordinator, campaign=campaign)
    schools = Organization.objects.filter(region=world.region, kind=OrganizationKind.SCHOOL)
    assert schools.count() == 1100
    submissions = Submission.objects.filter(campaign=campaign)
    assert submissions.count() == 1100
    assert set(submissions.values_list("organization_id", flat=True)) == set(schools.values_list("pk", flat=True))
    fills = Task.objects.filter(flow_task=MonitoringFlow.fill, process__artifact_object_id__in=submissions.values("pk"))
    assert fills.count() == 1100
    assert TaskDeadline.objects.filter(task__in=fills, is_open=True, due_at__isnull=False).count() == 1100
    assert TaskAlarm.objects.filter(task__in=fills).count() == 1100
    assert submissions.filter(computed__has_key="IND-14").count() == 1100  # prefilled from the registry
    # set-based: the same statements as for three schools, the inserts only split into batches
    # (SQLite's 999 parameters a statement) — never one per school
    def others(captured):
        return [q["sql"] for q in captured.captured_queries if not q["sql"].lstrip().upper().startswith("INSERT")]

    assert len(others(region)) <= len(others(few)) + 2, others(region)[:40]
    # ~110 INSERT batches on SQLite for some ten tables (a handful on PostgreSQL); one per school
    # would be 1,100 for each table
    assert len(region) - len(others(region)) < 1100 / 4
