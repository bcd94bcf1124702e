"""Issue 12, step 4: the ММС methodist accepts or returns each school's submission; a return needs
a reason the school sees and gives it the working days to resubmit; the resubmission shows what
changed; of two methodists deciding at once one wins, the other gets a clear answer."""

import threading

import pytest
from django.db import connection
from viewflow.workflow.models import Task

from orgstructure.models import OrganizationKind, Role
from tests.factories import make_organization, make_user
from workflows.core.audit import history
from workflows.core.flowkit import TaskAlreadyProcessed, task_action_url, task_complete
from workflows.core.models import TaskDeadline
from workflows.monitoring import services
from workflows.monitoring.flows import MonitoringFlow
from workflows.monitoring.models import Submission, SubmissionStatus
from workflows.monitoring.opening import campaign_open

from .test_campaign import _client, _form


def _open(world, flow_task):
    submission = Submission.objects.get(campaign=world.campaign, organization=world.schools[0])
    return submission, Task.objects.get(process__artifact_object_id=submission.pk, flow_task=flow_task,
                                        status__in=("NEW", "ASSIGNED"))


@pytest.fixture
def submitted(world):
    mms = make_organization(world.region, kind=OrganizationKind.MMS, municipality=world.berezniki, name="ЦСОРО")
    world.methodist = make_user("methodist", role=Role.MMS_METHODIST, organization=mms)
    campaign_open(actor=world.official, campaign=world.campaign)
    _, fill = _open(world, MonitoringFlow.fill)
    assert _client(world.head).post(task_action_url(fill, "execute"), _form()).status_code == 302
    return world


@pytest.mark.django_db
def test_return_with_reason_resubmit_shows_changes_then_accept(submitted):
    w = submitted
    submission, review = _open(w, MonitoringFlow.review)
    assert review.owner == w.methodist
    methodist = _client(w.methodist)
    refused = methodist.post(task_action_url(review, "execute"), {"decision": "return", "reason": ""})
    assert refused.status_code == 200 and "Укажите, что школе нужно исправить" in refused.content.decode()
    reason = "IND-03: в знаменателе учтены совместители"
    returned = methodist.post(task_action_url(review, "execute"), {"decision": "return", "reason": reason})
    assert returned.status_code == 302
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RETURNED

    _, revise = _open(w, MonitoringFlow.revise)
    assert revise.owner == w.head
    deadline = TaskDeadline.objects.get(task=revise)
    assert deadline.due_at is not None and deadline.rule_code == "monitoring.resubmission"
    page = _client(w.head).get(task_action_url(revise, "execute")).content.decode()
    assert reason in page  # the school sees why
    fixed = _form(**{"v_IND-03__denominator": "36"})
    assert _client(w.head).post(task_action_url(revise, "execute"), fixed).status_code == 302

    submission, review = _open(w, MonitoringFlow.review)
    assert "изменено: IND-03" in methodist.get(task_action_url(review, "execute")).content.decode()
    assert methodist.post(task_action_url(review, "execute"), {"decision": "accept", "reason": ""}).status_code == 302
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.ACCEPTED
    assert [e.event for e in history(submission)] == [
        "monitoring.submitted", "monitoring.returned", "monitoring.submitted", "monitoring.accepted",
    ]
    assert not Task.objects.filter(process=review.process, status__in=("NEW", "ASSIGNED", "STARTED")).exists()


@pytest.mark.django_db
def test_a_methodist_of_another_municipality_cannot_decide(submitted):
    from tests.factories import make_municipality

    other = make_organization(
        submitted.region, kind=OrganizationKind.MMS, municipality=make_municipality(submitted.region)
    )
    stranger = make_user("stranger", role=Role.MMS_METHODIST, organization=other)
    _, review = _open(submitted, MonitoringFlow.review)
    assert _client(stranger).post(task_action_url(review, "execute"), {"decision": "accept"}).status_code == 404


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a real race needs PostgreSQL's row locks")
def test_two_methodists_deciding_at_once_one_wins_the_other_is_told(world):
    mms = make_organization(world.region, kind=OrganizationKind.MMS, municipality=world.berezniki, name="ЦСОРО")
    first = make_user("m1", role=Role.MMS_METHODIST, organization=mms)
    second = make_user("m2", role=Role.MMS_METHODIST, organization=mms)  # two: the ММС's queue
    campaign_open(actor=world.official, campaign=world.campaign)
    _, fill = _open(world, MonitoringFlow.fill)
    _client(world.head).post(task_action_url(fill, "execute"), _form())
    submission, review = _open(world, MonitoringFlow.review)
    assert review.owner is None
    barrier, outcomes = threading.Barrier(2), {}

    def decide(user, accept):
        try:
            barrier.wait()
            task_complete(actor=user, task_id=review.pk, perform=lambda activation: services.submission_review(
                actor=user, submission=Submission.objects.get(pk=submission.pk), accept=accept, reason="нет данных"))
            outcomes[user.username] = "won"
        except TaskAlreadyProcessed as exc:
            outcomes[user.username] = str(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(first, True)),
        threading.Thread(target=decide, args=(second, False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values()) == ["won", "Задача уже обработана"]
    submission.refresh_from_db()
    winner = "m1" if outcomes["m1"] == "won" else "m2"
    assert submission.status == (SubmissionStatus.ACCEPTED if winner == "m1" else SubmissionStatus.RETURNED)
    assert len([e for e in history(submission) if e.event in ("monitoring.accepted", "monitoring.returned")]) == 1


@pytest.mark.django_db
def test_a_returned_form_saves_a_draft_and_stays_returned(submitted):
    w = submitted
    submission, review = _open(w, MonitoringFlow.review)
    _client(w.methodist).post(task_action_url(review, "execute"), {"decision": "return", "reason": "IND-03"})
    _, revise = _open(w, MonitoringFlow.revise)
    draft = _form(**{"v_IND-03__denominator": "38", "save_draft": "1"})
    assert _client(w.head).post(task_action_url(revise, "execute"), draft).status_code == 302
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RETURNED
    assert submission.values["IND-03"]["denominator"] == "38"
