"""Conflicts of interest an expert declares (issue 14 §3): ahead of any review on their own page —
then the proposal and the appointment rule them out for that organization — or on a task they were
appointed to: the task is withdrawn, the coordinator told, and the expert replaced like a late one.
The application's files: downloadable by whoever sees the application (and its appointed experts),
under a name the server makes; a foreign user gets the 404 of a missing file."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from viewflow.workflow.models import Task

from tests import corpus
from workflows.core.audit import history
from workflows.core.flowkit import flow_url, task_action_url
from workflows.core.models import Notification
from workflows.core.review.models import AssignmentStatus
from workflows.internships import review_services
from workflows.internships.flows import InternshipsFlow, apply
from workflows.internships.models import ConflictDeclaration, ExpertAssignment, InternshipEvent

from .test_application import client, open_call, world  # noqa: F401  (the fixture)
from .test_review import PROGRAMME, appoint_three, expert_task, review  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def test_a_declared_conflict_rules_the_expert_out(world, review):  # noqa: F811
    people = review.experts
    page = client(people["b"].user)
    url = flow_url(InternshipsFlow, "conflicts")
    assert page.get(url).status_code == 200
    assert client(world.head).get(url).status_code == 404  # not an expert
    short = page.post(url, {"organization": world.school.pk, "reason": "да"})
    assert short.status_code == 200 and not ConflictDeclaration.objects.exists()
    assert page.post(url, {"organization": world.school.pk, "reason": "сестра работает в школе"}).status_code == 302
    proposed = [p.person.pk for p in review_services.proposal(review.application, count=10)]
    assert people["b"].pk not in proposed and people["c"].pk in proposed
    with pytest.raises(review_services.InvalidInput) as refused:
        review_services.experts_appoint(
            actor=world.coordinator,
            application=review.application,
            experts=[people["a"], people["b"], people["c"]],
            start_task=lambda assignment: None,
        )
    assert "заявленный конфликт интересов: сестра работает в школе" in refused.value.errors["experts"][0]
    again = page.post(url, {"organization": world.school.pk, "reason": "ещё раз то же самое"})
    assert "уже заявлен" in again.content.decode()


def test_an_appointed_expert_declines_and_is_replaced(world, review):  # noqa: F811
    people = review.experts
    assignments = appoint_three(world, review)
    declined = assignments[people["c"].pk]
    task = expert_task(declined)
    url = flow_url(InternshipsFlow, "decline", declined.pk)
    assert client(people["a"].user).get(url).status_code == 404  # not theirs
    expert = client(people["c"].user)
    assert "decline-link" in expert.get(task_action_url(task, "execute")).content.decode()
    assert expert.post(url, {"reason": "работала в этой школе до 2025 года"}).status_code == 302
    declined.refresh_from_db()
    task.refresh_from_db()
    assert declined.status == AssignmentStatus.DECLINED and task.status == "CANCELED"
    assert ConflictDeclaration.objects.filter(expert=people["c"], organization=world.school).exists()
    assert Notification.objects.filter(user=world.coordinator, title__contains="конфликте интересов").exists()
    assert InternshipEvent.CONFLICT_DECLARED in [e.event for e in history(review.application)]
    assert expert.post(url, {"reason": "повторно"}).status_code == 404  # no longer appointed
    page = client(world.coordinator).get(flow_url(InternshipsFlow, "application", review.application.pk))
    assert f'data-assignment="{declined.pk}"' in page.content.decode()
    replace = flow_url(InternshipsFlow, "replace", review.application.pk, declined.pk)
    assert (
        client(world.coordinator).post(replace, {"expert": people["d"].pk, "reason": "конфликт интересов"}).status_code
        == 302
    )
    declined.refresh_from_db()
    assert declined.status == AssignmentStatus.REPLACED
    new = ExpertAssignment.objects.get(application=review.application, expert=people["d"])
    assert Task.objects.filter(process__artifact_object_id=new.pk).exists()


def test_the_files_of_an_application_download_for_those_who_see_it(world):  # noqa: F811
    call = open_call(world)
    upload = SimpleUploadedFile("мой диплом.pdf", corpus.PDF, content_type="application/pdf")
    application = apply(
        actor=world.head,
        call=call,
        organization=world.school,
        experience="опыт",
        resources="ресурсы",
        programmes=PROGRAMME,
        files=[upload],
    )
    record = application.files.get()
    assert record.extension == "pdf"
    url = flow_url(InternshipsFlow, "application_file", application.pk, record.pk)
    for user in (world.head, world.methodist, world.coordinator):
        response = client(user).get(url)
        assert response.status_code == 200, user
        assert response["Content-Type"] == "application/pdf" and "мой" not in response["Content-Disposition"]
        assert f"Zayavka_N_{application.pk}" in response["Content-Disposition"]
    assert client(world.foreign).get(url).status_code == 404
    assert (
        client(world.head)
        .get(flow_url(InternshipsFlow, "application_file", application.pk, record.pk + 99))
        .status_code
        == 404
    )
    page = client(world.head).get(flow_url(InternshipsFlow, "application", application.pk)).content.decode()
    assert f'data-file="{record.pk}"' in page
