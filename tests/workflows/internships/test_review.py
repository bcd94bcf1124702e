"""Expert scoring of an endorsed application on the kit's review (issue 14, step 3): experts
proposed by lowest load with conflicts ruled out, an inbox task with a due date per expert, «не
могу оценить» left out, completion at k of n (the remaining task withdrawn), the weighted rating
and the spread kept, a late expert escalated to the coordinator and replaced, the ranked list."""

import datetime as dt
from decimal import Decimal

import pytest
from viewflow.workflow.models import Task

from orgstructure.models import OrganizationKind, Role
from tests.factories import make_organization, make_person, make_user
from workflows.core.audit import history
from workflows.core.flowkit import flow_url, task_action_url
from workflows.core.models import Notification, OutboxKind, TaskDeadline
from workflows.core.notifications import deliver_outbox, scan_due_notifications
from workflows.core.review import review_outcome
from workflows.core.review.models import AssignmentStatus
from workflows.internships import review_services
from workflows.internships.flows import ExpertFlow, InternshipsFlow, apply
from workflows.internships.models import Application, ApplicationStatus, ExpertAssignment, InternshipEvent

from .test_application import client, open_call, world  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

PROGRAMME = [{"theme": "Медиаобразование", "target_group": "учителя", "format": "групповая", "hours": 36}]


def expert(organization, role, name):
    person = make_person(organization, last_name=name)
    make_user(f"expert-{name}", role=role, organization=organization, person=person)
    return person


@pytest.fixture
def review(world):  # noqa: F811
    region = world.region
    iro = make_organization(region, kind=OrganizationKind.IRO, name="ИРО (тест площадок)")
    cnppm = world.coordinator.memberships.get().organization
    south_school = make_organization(
        region, municipality=world.foreign.memberships.get().organization.municipality, name="СОШ Южного (тест)"
    )
    north_school = make_organization(region, municipality=world.school.municipality, name="СОШ Северного (тест)")
    experts = {
        "a": expert(iro, Role.IRO_STAFF, "Алексеева"),
        "b": expert(south_school, Role.RMA_MEMBER, "Борисова"),
        "c": expert(cnppm, Role.CNPPM_METHODIST, "Васильева"),
        "d": expert(iro, Role.IRO_STAFF, "Григорьева"),
        "neighbour": expert(north_school, Role.RMA_MEMBER, "Соседова"),
        "own": expert(world.school, Role.RMA_MEMBER, "Своя"),
    }
    call = open_call(world)
    application = apply(
        actor=world.head,
        call=call,
        organization=world.school,
        experience="опыт",
        resources="ресурсы",
        programmes=PROGRAMME,
    )
    task = Task.objects.get(process__artifact_object_id=application.pk, flow_task=InternshipsFlow.endorse)
    assert client(world.methodist).post(task_action_url(task, "execute"), {"decision": "endorse"}).status_code == 302
    application.refresh_from_db()
    return type("Review", (), {"call": call, "application": application, "experts": experts})


def expert_task(assignment):
    return Task.objects.get(process__artifact_object_id=assignment.pk, flow_task=ExpertFlow.score)


def sheet_post(scores):
    data = {}
    for code, score in scores.items():
        data[f"score_{code}"] = "na" if score is None else str(score)
        data[f"comment_{code}"] = "обосновано в заявке" if score is not None else "нет сведений"
    return data


FULL = {"k1": 8, "k2": 7, "k3": 6, "k4": 5, "k5": 10}


def test_the_proposal_rules_out_conflicts_and_takes_the_lowest_load_first(world, review):  # noqa: F811
    people = review.experts
    busy = Application.objects.create(
        call=review.call,
        organization=make_organization(world.region, name="Другая"),
        experience="о",
        resources="р",
        submitted_by=world.head,
    )
    ExpertAssignment.objects.create(application=busy, expert=people["a"], appointed_by=world.coordinator)
    proposed = [p.person.pk for p in review_services.proposal(review.application, count=10)]
    assert proposed == [people["b"].pk, people["c"].pk, people["d"].pk, people["a"].pk]
    page = client(world.coordinator).get(flow_url(InternshipsFlow, "appoint", review.application.pk))
    assert page.status_code == 200 and "Соседова" not in page.content.decode()
    assert page.context["form"].initial["experts"] == [str(people["b"].pk), str(people["c"].pk), str(people["d"].pk)]


def test_appointing_a_conflicted_expert_is_refused_with_the_reason(world, review):  # noqa: F811
    people = review.experts
    response = client(world.coordinator).post(
        flow_url(InternshipsFlow, "appoint", review.application.pk),
        {"experts": [people["a"].pk, people["b"].pk, people["own"].pk]},
    )
    assert response.status_code == 200  # «Своя» is not even offered: the form refuses the choice
    with pytest.raises(review_services.InvalidInput) as refused:
        review_services.experts_appoint(
            actor=world.coordinator,
            application=review.application,
            experts=[people["a"], people["b"], people["neighbour"]],
            start_task=lambda assignment: None,
        )
    assert (
        "Соседова" in str(refused.value.errors["experts"][0]) and "муниципалитете" in refused.value.errors["experts"][0]
    )
    review.application.refresh_from_db()
    assert review.application.status == ApplicationStatus.ENDORSED and not ExpertAssignment.objects.exists()


def appoint_three(world, review):  # noqa: F811
    people = review.experts
    response = client(world.coordinator).post(
        flow_url(InternshipsFlow, "appoint", review.application.pk),
        {"experts": [people["a"].pk, people["b"].pk, people["c"].pk]},
    )
    assert response.status_code == 302
    return {a.expert_id: a for a in ExpertAssignment.objects.filter(application=review.application)}


def test_each_expert_gets_a_task_with_a_due_date_and_k_of_n_completes_the_review(world, review):  # noqa: F811
    people = review.experts
    assignments = appoint_three(world, review)
    for person in (people["a"], people["b"], people["c"]):
        task = expert_task(assignments[person.pk])
        deadline = TaskDeadline.objects.get(task=task)
        assert task.owner_id == person.user_id and deadline.due_at is not None
        assert deadline.escalation_role == Role.CNPPM_COORDINATOR
    a_task, b_task, c_task = (expert_task(assignments[people[k].pk]) for k in "abc")
    # another expert cannot open or do someone else's task
    assert client(people["b"].user).get(task_action_url(a_task, "execute")).status_code == 404
    expert_a = client(people["a"].user)
    incomplete = expert_a.post(task_action_url(a_task, "execute"), {**sheet_post(FULL), "comment_k5": ""})
    assert incomplete.status_code == 200 and "Нужен комментарий к оценке" in incomplete.content.decode()
    with_na = {**FULL, "k4": None}
    assert expert_a.post(task_action_url(a_task, "execute"), sheet_post(with_na)).status_code == 302
    review.application.refresh_from_db()
    assert review.application.status == ApplicationStatus.UNDER_REVIEW  # 1 of 2
    low = dict.fromkeys(FULL, 5)
    assert client(people["b"].user).post(task_action_url(b_task, "execute"), sheet_post(low)).status_code == 302
    application = Application.objects.get(pk=review.application.pk)
    expected = review_outcome(
        review.call.scheme(), [{k: (v, "к") for k, v in with_na.items()}, {k: (v, "к") for k, v in low.items()}]
    )
    assert application.status == ApplicationStatus.REVIEWED
    assert application.rating == expected.rating_display and application.spread == expected.spread_display
    assert application.passed is True and application.rating == Decimal("61.00")  # (3·65 + 3·60 + 2·55 + 50 + 75) / 10
    c_task.refresh_from_db()
    assert c_task.status == "CANCELED"
    assert ExpertAssignment.objects.get(pk=assignments[people["c"].pk].pk).status == AssignmentStatus.CLOSED
    assert not TaskDeadline.objects.get(task=c_task).is_open
    ranking = client(world.coordinator).get(flow_url(InternshipsFlow, "ranking", review.call.pk))
    assert [a.pk for a in ranking.context["rows"]] == [application.pk]
    assert client(world.head).get(flow_url(InternshipsFlow, "ranking", review.call.pk)).status_code == 404


def test_a_late_expert_is_escalated_to_the_coordinator_and_replaced(world, review):  # noqa: F811
    people = review.experts
    assignments = appoint_three(world, review)
    late = assignments[people["c"].pk]
    task = expert_task(late)
    deadline = TaskDeadline.objects.get(task=task)
    scan_due_notifications(now=deadline.escalate_at + dt.timedelta(hours=1))
    deliver_outbox(now=deadline.escalate_at + dt.timedelta(hours=1))
    assert Notification.objects.filter(user=world.coordinator, kind=OutboxKind.ESCALATION).exists()

    coordinator = client(world.coordinator)
    url = flow_url(InternshipsFlow, "replace", review.application.pk, late.pk)
    no_reason = coordinator.post(url, {"expert": people["d"].pk, "reason": ""})
    assert no_reason.status_code == 200 and ExpertAssignment.objects.filter(status="appointed").count() == 3
    assert coordinator.post(url, {"expert": people["d"].pk, "reason": "срок истёк"}).status_code == 302
    task.refresh_from_db()
    late.refresh_from_db()
    assert (
        task.status == "CANCELED" and late.status == AssignmentStatus.REPLACED and late.replaced_reason == "срок истёк"
    )
    new = ExpertAssignment.objects.get(application=review.application, expert=people["d"])
    assert expert_task(new).owner_id == people["d"].user_id
    assert InternshipEvent.EXPERT_REPLACED in [e.event for e in history(review.application)]
    # the replaced expert's old task is gone for them
    assert client(people["c"].user).post(task_action_url(task, "execute"), sheet_post(FULL)).status_code in (404, 409)
    assert client(world.methodist).get(url).status_code == 404


def test_a_large_spread_is_flagged_for_the_coordinator(world, review):  # noqa: F811
    people = review.experts
    assignments = appoint_three(world, review)
    high = dict.fromkeys(FULL, 10)
    low = dict.fromkeys(FULL, 2)
    client(people["a"].user).post(
        task_action_url(expert_task(assignments[people["a"].pk]), "execute"), sheet_post(high)
    )
    client(people["b"].user).post(task_action_url(expert_task(assignments[people["b"].pk]), "execute"), sheet_post(low))
    application = Application.objects.get(pk=review.application.pk)
    assert (
        application.spread == Decimal("80.00") and application.spread_flagged and application.rating == Decimal("60.00")
    )
    page = client(world.coordinator).get(flow_url(InternshipsFlow, "application", application.pk)).content.decode()
    assert 'id="spread-flag"' in page
    assert (
        'id="spread-flag"'
        not in client(world.head).get(flow_url(InternshipsFlow, "application", application.pk)).content.decode()
    )
