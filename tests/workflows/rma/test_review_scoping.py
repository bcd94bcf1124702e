"""Regressions found in review: what a user outside an application's scope may reach."""

import os

import pytest
from viewflow.workflow.models import Process, Task

from orgstructure.models import Role
from tests.factories import make_user
from workflows.core import flowkit
from workflows.core.flowkit import routing
from workflows.rma import flows, services
from workflows.rma.models import RmaApplication, RmaApplicationFile, Status

from .conftest import pdf, required_files

pytestmark = pytest.mark.django_db


def _system_task_detail_urls(process):
    """The stock detail pages of the process's non-human tasks (start, the formal-check gateway)."""
    return [
        f"/workflow/flows/rma/{process.pk}/{task.flow_task.name}/{task.pk}/detail/"
        for task in Task.objects.filter(process=process).exclude(flow_task_type="HUMAN").order_by("id")
    ]


class TestSystemTaskPagesAreScoped:
    def test_a_teacher_of_another_municipality_does_not_see_the_applicant(self, perm, client_as):
        application = flows.application_start(
            actor=perm.users.school_head,
            person=perm.persons.eligible,
            subjects=[perm.subjects.math],
            files=required_files(),
        )
        process = Process.objects.get(flow_class=flows.RmaFlow, artifact_object_id=application.pk)
        urls = _system_task_detail_urls(process)
        assert urls
        outsider = make_user(
            "kungur_teacher",
            role=Role.TEACHER,
            organization=perm.orgs.school_kungur,
            person=perm.persons.kungur_teacher,
        )
        for client in (client_as(outsider), client_as(perm.users.kungur_coord)):
            for url in urls:
                response = client.get(url)
                assert response.status_code in (403, 404), url
                assert perm.persons.eligible.last_name not in response.content.decode()
        coordinator = client_as(perm.users.rma_coord)
        for url in urls:
            assert coordinator.get(url).status_code == 200, url


def _stored_files():
    from django.conf import settings

    root = settings.MEDIA_ROOT
    return sorted(os.path.join(path, name) for path, _, names in os.walk(root) for name in names)


def _open_task(application):
    processes = Process.objects.filter(flow_class=flows.RmaFlow, artifact_object_id=application.pk)
    return Task.objects.get(process__in=processes, status__in=["NEW", "ASSIGNED"], flow_task_type="HUMAN")


class TestFilesGoWithARolledBackAction:
    """The files are written before the transaction commits; when the action fails after the
    service stored them (here: the next task cannot be assigned), its rows roll back and the files
    must not stay behind in the storage."""

    def test_submission(self, perm, monkeypatch):
        before = _stored_files()
        monkeypatch.setattr(routing, "sole_holder", _fail)
        with pytest.raises(RuntimeError):
            flows.application_start(
                actor=perm.users.school_head,
                person=perm.persons.eligible,
                subjects=[perm.subjects.math],
                files=required_files(),
            )
        assert not RmaApplication.objects.exists() and not RmaApplicationFile.objects.exists()
        assert _stored_files() == before

    def test_resubmission(self, perm, monkeypatch):
        users = perm.users
        application = flows.application_start(
            actor=users.school_head, person=perm.persons.eligible, subjects=[perm.subjects.math], files=required_files()
        )
        flowkit.task_complete(
            actor=users.rma_coord,
            task_id=_open_task(application).pk,
            perform=lambda activation: services.application_return(
                actor=users.rma_coord, application=application, comment="Приложите диплом с вкладышем"
            ),
        )
        before = _stored_files()
        monkeypatch.setattr(routing, "sole_holder", _fail)
        with pytest.raises(RuntimeError):
            flowkit.task_complete(
                actor=users.school_head,
                task_id=_open_task(application).pk,
                perform=lambda activation: services.application_resubmit(
                    actor=users.school_head, application=application, files={"diploma": pdf("diplom-2.pdf")}
                ),
            )
        application.refresh_from_db()
        assert application.status == Status.RETURNED
        assert application.files.count() == 3
        assert _stored_files() == before


def _fail(**kwargs):
    raise RuntimeError("the next task cannot be assigned")
