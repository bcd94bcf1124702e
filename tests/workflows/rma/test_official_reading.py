"""The steps as an official reads them: files open in the browser (PDF, images) or download
(.docx); the nomination form starts empty, searches by surname, marks what is required, takes
subjects as checkboxes and says when files must be chosen again; Russian step names; no decision
preselected; an override reads «Допущен вопреки критериям (основание: …)»; the приказ lists the
coordinators of every municipality with position and phone and keeps both scores of the assessment; a
future «Дата оценки» is refused (test_regional_rules)."""

import datetime as dt
import re

import pytest
from viewflow.workflow.models import Task

from documents.models import IssuedDocument
from orgstructure.models import Membership, Role
from tests.factories import make_municipality, make_person
from workflows.core.models import AuditEvent
from workflows.rma import documents as rma_documents
from workflows.rma import flows, links
from workflows.rma.flows import RmaFlow
from workflows.rma.models import Status

from .conftest import PNG, required_files, today
from .test_batch import draft_list

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(perm):
    return flows.application_start(
        actor=perm.users.school_head,
        person=perm.persons.eligible,
        subjects=[perm.subjects.math],
        files=required_files(),
    )


def test_a_pdf_or_an_image_opens_in_the_browser(perm, application, client_as):
    coordinator = client_as(perm.users.rma_coord)
    for kind, content_type in (("diploma", "application/pdf"), ("employment_record", "image/png")):
        stored = application.files.get(kind=kind)
        response = coordinator.get(links.file_url(application.pk, stored.pk))
        assert response.status_code == 200
        assert response["Content-Type"] == content_type
        assert response["Content-Disposition"].startswith("inline;")
        assert "Воронцова" in response["Content-Disposition"] or "Vorontsova" in response["Content-Disposition"]
        assert "sandbox" in response["Content-Security-Policy"] and response["X-Content-Type-Options"] == "nosniff"
    png = application.files.get(kind="employment_record")
    assert b"".join(coordinator.get(links.file_url(application.pk, png.pk)).streaming_content) == PNG


def test_the_page_links_each_file_and_names_the_step_in_russian(perm, application, client_as):
    page = client_as(perm.users.rma_coord).get(links.application_url(application.pk)).content.decode()
    for stored in application.files.all():
        assert f'href="{links.file_url(application.pk, stored.pk)}"' in page
    steps = page.split('id="open-tasks"')[1].split("</ul>")[0]
    assert "Проверка документов" in steps and "Verify" not in steps


def test_no_decision_is_preselected(perm, application, client_as):
    task = Task.objects.get(flow_task=RmaFlow.verify, status__in=["NEW", "ASSIGNED"])
    body = client_as(perm.users.rma_coord).get(links.task_action_url(task, "execute")).content.decode()
    radios = re.findall(r'<input[^>]*name="decision"[^>]*>', body)
    assert len(radios) == 2 and not any("checked" in radio for radio in radios)


class TestNominationForm:
    def test_starts_empty_marks_what_is_required_and_takes_subjects_as_checkboxes(self, perm, client_as):
        page = client_as(perm.users.school_head).get(links.submit_url())
        form = page.context["form"]
        assert form["person"].value() in (None, "")
        body = page.content.decode()
        assert "— выберите педагога —" in body
        assert 'type="checkbox" name="subjects"' in body
        for name in ("person", "subjects", "attestation_order", "diploma", "employment_record"):
            block = body.split(f'id="field-{name}"')[1].split('<div class="pf-field"')[0]
            assert 'class="pf-required"' in block, name
        retraining = body.split('id="field-retraining"')[1].split('<div class="pf-field"')[0]
        assert 'class="pf-required"' not in retraining

    def test_searches_by_surname(self, perm, client_as):
        page = client_as(perm.users.school_head).get(links.submit_url(), {"q": "ларио"})
        people = list(page.context["form"].fields["person"].queryset)
        assert people == [perm.persons.teacher]

    def test_says_files_must_be_chosen_again_when_another_field_fails(self, perm, client_as):
        response = client_as(perm.users.school_head).post(
            links.submit_url(), {"person": perm.persons.eligible.pk, **required_files()}
        )
        assert response.status_code == 200 and "subjects" in response.context["form"].errors
        assert 'id="files-lost"' in response.content.decode()


def test_an_override_reads_as_an_override_and_the_refusal_notice_loses_force(
    perm, client_as, django_capture_on_commit_callbacks, settings
):
    settings.PROFROST_DOCUMENTS_PDF = False
    person = make_person(perm.orgs.school, category_valid_until=today(perm.region) - dt.timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        refused = flows.application_start(
            actor=perm.users.school_head, person=person, subjects=[perm.subjects.math], files=required_files()
        )
    assert refused.status == Status.REJECTED
    notice = IssuedDocument.objects.get(kind="rma_refusal", artefact_id=str(refused.pk))
    assert notice.superseded_at is None
    flows.application_override_start(
        actor=perm.users.rma_coord, application=refused, reason="Категория продлена, приказ в пути"
    )
    notice.refresh_from_db()
    assert notice.superseded_at is not None
    event = AuditEvent.objects.for_object(refused).get(event="rma.refusal_superseded")
    assert event.actor == perm.users.rma_coord and "утратило силу" in event.comment
    page = client_as(perm.users.rma_coord).get(links.application_url(refused.pk)).content.decode()
    status = page.split('id="application-status">')[1].split("</td>")[0]
    assert status.startswith("Допущен вопреки критериям (основание: Категория продлена, приказ в пути)")
    assert "Соответствует критериям" not in status
    assert "Причины отказа, преодолённые допуском вопреки критериям" in page


def test_the_order_lists_every_municipality_coordinator_with_position_and_phone(perm):
    Membership.objects.filter(user=perm.users.rma_coord, role=Role.RMA_MUNI_COORDINATOR).update(
        position="главный специалист", phone="8 (3424) 00-10-01"
    )
    make_municipality(perm.region, "Чусовой")  # no coordinator yet
    rma_list = draft_list(perm, size=2)
    applications = list(rma_list.applications.select_related("person__organization__municipality"))
    context = rma_documents.list_order_context(rma_list=rma_list, applications=applications, on_date=today(perm.region))
    by_municipality = {row["municipality"]: row for row in context["coordinators"]}
    assert set(by_municipality) == {"Березники", "Кунгур", "Чусовой"}
    assert by_municipality["Березники"]["phone"] == "8 (3424) 00-10-01"
    assert by_municipality["Березники"]["position"].startswith("главный специалист, ")
    assert by_municipality["Чусовой"]["vacant"]
    built = rma_documents.LIST_ORDER_SPEC.build(context, None)
    assert {row["municipality"]: row["name"] for row in built["coordinators"]}["Чусовой"] == "не назначен"
    member = context["members"][0]
    assert (member["subject_score"], member["methodical_score"]) == (80.0, 75.0)  # both kept for the annex
