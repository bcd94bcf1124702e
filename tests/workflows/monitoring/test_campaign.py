"""Issue 12, step 3 (first part): a municipal campaign of Пермский край opens one submission per
school of the municipality — in bulk, each in its head's inbox with the profile's deadline —
and the head submits the form built from the indicator set, validated as a whole."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from viewflow.workflow.models import Task

from orgstructure.models import Role
from tests.factories import make_municipality, make_organization, make_region, make_user
from workflows.core.audit import history
from workflows.core.calendar import WorkCalendar, local_date
from workflows.core.flowkit import flow_url, task_action_url
from workflows.core.models import TaskDeadline
from workflows.monitoring.flows import MonitoringFlow
from workflows.monitoring.models import Campaign, CampaignIndicator, Submission, SubmissionStatus, ValueKind
from workflows.monitoring.opening import campaign_open

pytestmark = pytest.mark.django_db
PERM_TZ = "Asia/Yekaterinburg"


@pytest.fixture
def world():
    region = make_region(name="Пермский край (тест)", code="59", timezone=PERM_TZ)
    berezniki, kungur = make_municipality(region, "Березники"), make_municipality(region, "Кунгур")
    one, two, three = (make_organization(region, municipality=berezniki, name=f"СОШ № {n}") for n in (1, 2, 3))
    foreign_school = make_organization(region, municipality=kungur, name="СОШ Кунгура")
    head = make_user("head1", role=Role.SCHOOL_HEAD, organization=one)
    make_user("head2a", role=Role.SCHOOL_HEAD, organization=two)  # two heads: the school's queue
    make_user("head2b", role=Role.SCHOOL_HEAD, organization=two)
    foreign = make_user("head-kungur", role=Role.SCHOOL_HEAD, organization=foreign_school)
    official = make_user("official")
    campaign = Campaign.objects.create(
        region=region, municipality=berezniki, title="Мониторинг 2026, II полугодие", created_by=official,
        period_start=dt.date(2026, 7, 1), period_end=dt.date(2026, 12, 31), opens_on=dt.date(2026, 11, 1),
    )
    for position, (code, title, kind, target, source) in enumerate([
        ("IND-03", "Доля педагогических работников, освоивших программы ДПО из ФР ДПП", ValueKind.SHARE, 30,
         "«не менее 30%» [000:L217]"),
        ("IND-06", "Доля педагогов до 35 лет в формах поддержки", ValueKind.SHARE, 70, "«не менее 70%» [000:L220]"),
        ("IND-22", "Наличие плана наставничества", ValueKind.YES_NO, None, "[002:L135-153]"),
        ("NOTE", "Комментарий школы", ValueKind.TEXT, None, ""),
    ]):
        CampaignIndicator.objects.create(campaign=campaign, code=code, title=title, kind=kind, target=target,
                                         source=source, position=position, required=code != "NOTE")
    return type("W", (), {"campaign": campaign, "schools": (one, two, three), "head": head, "foreign": foreign,
                          "official": official, "berezniki": berezniki, "region": region})


def _task(submission):
    return Task.objects.get(process__artifact_object_id=submission.pk, flow_task=MonitoringFlow.fill)


def _half_year_last_working_day(today):
    end = dt.date(today.year, 6, 30) if today.month <= 6 else dt.date(today.year, 12, 31)
    calendar = WorkCalendar.load()
    while not calendar.is_working_day(end):
        end -= dt.timedelta(days=1)
    return end


def test_opening_gives_each_school_of_the_municipality_one_submission_in_its_heads_inbox(world):
    assert campaign_open(actor=world.official, campaign=world.campaign) == 3
    submissions = {s.organization: s for s in Submission.objects.filter(campaign=world.campaign)}
    assert set(submissions) == set(world.schools)  # Кунгур's school is not in this campaign
    first, second = _task(submissions[world.schools[0]]), _task(submissions[world.schools[1]])
    assert first.owner == world.head and first.status == "ASSIGNED"
    assert second.owner is None  # two heads: the school's queue
    deadline = TaskDeadline.objects.get(task=first)
    assert deadline.role == Role.SCHOOL_HEAD and deadline.organization == world.schools[0]
    # Пермский край: «1 раз в полгода» [003:L1476-1477] — by the last working day of the half-year
    today = local_date(timezone.now(), PERM_TZ)
    assert local_date(deadline.due_at, PERM_TZ) == _half_year_last_working_day(today)
    assert deadline.rule_code == "monitoring.collection"
    assert [e.event for e in history(world.campaign)] == ["monitoring.campaign_opened"]


def test_opening_again_creates_nothing_and_a_new_school_gets_its_own(world):
    campaign_open(actor=world.official, campaign=world.campaign)
    assert campaign_open(actor=world.official, campaign=world.campaign) == 0
    make_organization(world.region, municipality=world.berezniki, name="СОШ № 4 (новая)")
    assert campaign_open(actor=world.official, campaign=world.campaign) == 1
    assert Submission.objects.filter(campaign=world.campaign).count() == 4
    assert Task.objects.filter(flow_task=MonitoringFlow.fill).count() == 4


def _form(**overrides):
    data = {
        "v_IND-03__numerator": "12", "v_IND-03__denominator": "40",
        "v_IND-06__numerator": "5", "v_IND-06__denominator": "6",
        "v_IND-22": "1", "v_NOTE": "",
    }
    return {**data, **overrides}


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_head_submits_the_form_built_from_the_set(world):
    campaign_open(actor=world.official, campaign=world.campaign)
    submission = Submission.objects.get(campaign=world.campaign, organization=world.schools[0])
    task = _task(submission)
    page = _client(world.head).get(task_action_url(task, "execute"))
    assert page.status_code == 200 and "IND-03" in page.content.decode()
    response = _client(world.head).post(task_action_url(task, "execute"), _form())
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.values["IND-03"] == {"numerator": "12", "denominator": "40"}
    assert submission.values["IND-22"] is True
    assert [e.event for e in history(submission)] == ["monitoring.submitted"]


def test_a_numerator_above_its_denominator_and_a_missing_answer_are_refused_together(world):
    campaign_open(actor=world.official, campaign=world.campaign)
    submission = Submission.objects.get(campaign=world.campaign, organization=world.schools[0])
    task = _task(submission)
    response = _client(world.head).post(
        task_action_url(task, "execute"), _form(**{"v_IND-06__numerator": "7", "v_IND-22": ""})
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "числитель (7) больше знаменателя (6)" in text and "выберите «да» или «нет»" in text
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.NOT_STARTED and submission.values == {}
    task.refresh_from_db()
    assert task.status == "ASSIGNED"


def test_another_municipalitys_head_gets_404(world):
    campaign_open(actor=world.official, campaign=world.campaign)
    submission = Submission.objects.get(campaign=world.campaign, organization=world.schools[0])
    assert _client(world.foreign).get(task_action_url(_task(submission), "execute")).status_code == 404


def test_a_draft_saves_without_validation_and_the_form_shows_it_again(world):
    campaign_open(actor=world.official, campaign=world.campaign)
    submission = Submission.objects.get(campaign=world.campaign, organization=world.schools[0])
    task = _task(submission)
    client = _client(world.head)
    half = {"v_IND-03__numerator": "50", "v_IND-03__denominator": "40", "save_draft": "1"}  # wrong, but a draft
    assert client.post(task_action_url(task, "execute"), half).status_code == 302
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.DRAFT and submission.values["IND-03"]["numerator"] == "50"
    task.refresh_from_db()
    assert task.status == "ASSIGNED"  # still the head's to submit
    assert 'value="50"' in client.get(task_action_url(task, "execute")).content.decode()


def _past_deadline(submission):
    TaskDeadline.objects.filter(task=_task(submission)).update(due_at=timezone.now() - dt.timedelta(days=1))


def test_the_form_is_locked_after_the_deadline_until_the_methodist_reopens_it(world):
    from orgstructure.models import OrganizationKind
    from workflows.monitoring.services import submission_reopen

    campaign_open(actor=world.official, campaign=world.campaign)
    submission = Submission.objects.get(campaign=world.campaign, organization=world.schools[0])
    task = _task(submission)
    _past_deadline(submission)
    response = _client(world.head).post(task_action_url(task, "execute"), _form())
    assert response.status_code == 200 and "форма закрыта" in response.content.decode()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.NOT_STARTED

    mms = make_organization(world.region, kind=OrganizationKind.MMS, municipality=world.berezniki, name="ЦСОРО")
    methodist = make_user("methodist", role=Role.MMS_METHODIST, organization=mms)
    other_mms = make_organization(world.region, kind=OrganizationKind.MMS, municipality=make_municipality(world.region))
    stranger = make_user("stranger", role=Role.MMS_METHODIST, organization=other_mms)
    until = timezone.localdate() + dt.timedelta(days=3)
    from common.errors import ActionForbidden, InvalidInput

    with pytest.raises(InvalidInput):
        submission_reopen(actor=methodist, submission=submission, until=until, reason=" ")
    with pytest.raises(ActionForbidden):
        submission_reopen(actor=stranger, submission=submission, until=until, reason="болезнь")
    submission_reopen(actor=methodist, submission=submission, until=until, reason="болезнь ответственного")
    event = list(history(submission))[-1]
    assert (event.event, event.actor, event.comment) == ("monitoring.reopened", methodist, "болезнь ответственного")
    assert _client(world.head).post(task_action_url(task, "execute"), _form()).status_code == 302
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED


def test_the_form_does_not_take_values_before_it_opens(world):
    from workflows.monitoring.services import submission_save_draft

    campaign_open(actor=world.official, campaign=world.campaign)
    Campaign.objects.filter(pk=world.campaign.pk).update(opens_on=timezone.localdate() + dt.timedelta(days=5))
    submission = Submission.objects.get(campaign=world.campaign, organization=world.schools[0])
    from common.errors import ActionRefused

    with pytest.raises(ActionRefused, match="Приём данных откроется"):
        submission_save_draft(actor=world.head, submission=submission, values={})


def test_the_flows_pages_in_the_menu_open_for_the_roles_that_see_them(world):
    from orgstructure.models import OrganizationKind

    campaign_open(actor=world.official, campaign=world.campaign)
    mms = make_organization(world.region, kind=OrganizationKind.MMS, municipality=world.berezniki, name="ЦСОРО")
    methodist = make_user("methodist", role=Role.MMS_METHODIST, organization=mms)
    for user in (world.head, methodist, world.foreign):
        client = _client(user)
        assert client.get(flow_url(MonitoringFlow, "index"), follow=True).status_code == 200
        assert client.get("/workflow/", follow=True).status_code == 200
