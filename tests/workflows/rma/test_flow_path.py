"""The whole РМА path through the real URLs, each step by its own user from their own inbox:
nomination by the school head → return for corrections and resubmission → document verification
by the municipal coordinator → assessment by ЦОПМКП → inclusion by ЦНППМПР → the ministry officer
prepares the приказ → the signatory approves the list → the member is in «Список РМА» with a
справка. Ends with the audit trail: one event per transition."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from viewflow.workflow.models import Process, Task

from documents.models import IssuedDocument, NumberingRegister
from tests.documents.kinds import DocumentKind
from workflows.core.audit import history
from workflows.core.models import TaskDeadline
from workflows.rma import links
from workflows.rma.flows import RmaFlow, RmaListFlow
from workflows.rma.models import ListStatus, RmaApplication, RmaList, Status

from .conftest import PNG, pdf, required_files, today

pytestmark = pytest.mark.django_db


def open_task(application_or_list, flow_class=RmaFlow):
    processes = Process.objects.filter(flow_class=flow_class, artifact_object_id=application_or_list.pk)
    return Task.objects.get(process__in=processes, status__in=["NEW", "ASSIGNED"], flow_task_type="HUMAN")


def inbox_task_ids(client):
    response = client.get("/workflow/inbox/")
    assert response.status_code == 200
    return {row.task_id for row in response.context["page"].rows}


def do_task(client, task, data, *, expect_status=302):
    index = client.get(links.task_url(task))
    assert index.status_code == 302, index
    form_page = client.get(index["Location"])
    assert form_page.status_code == 200
    response = client.post(index["Location"], data)
    assert response.status_code == expect_status, getattr(response, "context", None) and response.context.get("form")
    return response


def test_full_path_from_nomination_to_the_signed_list(perm, client_as, django_capture_on_commit_callbacks):
    users, person = perm.users, perm.persons.eligible

    # 1. The school head nominates a teacher of the school, with the three supporting files.
    head = client_as(users.school_head)
    assert head.get(links.submit_url()).status_code == 200
    response = head.post(
        links.submit_url(), {"person": person.pk, "subjects": [perm.subjects.math.pk], **required_files()}
    )
    assert response.status_code == 302
    application = RmaApplication.objects.get(person=person)
    assert response["Location"] == links.application_url(application.pk)
    assert application.status == Status.ELIGIBLE and application.kind == "nomination"
    assert application.files.filter(is_current=True).count() == 3

    # 2. Verification lands in the inbox of Березники's coordinator (the only one there), with a due date.
    verify = open_task(application)
    assert verify.owner == users.rma_coord
    assert TaskDeadline.objects.get(task=verify).due_at is not None
    coordinator = client_as(users.rma_coord)
    assert verify.pk in inbox_task_ids(coordinator)
    due = today(perm.region) + dt.timedelta(days=14)
    do_task(coordinator, verify, {"decision": "return", "comment": "Приложите диплом с вкладышем", "due_date": due})
    application.refresh_from_db()
    assert application.status == Status.RETURNED

    # 3. Back to the one who filed it, due on the coordinator's date; the school head resubmits.
    correct = open_task(application)
    assert correct.owner == users.school_head
    deadline = TaskDeadline.objects.get(task=correct)
    assert deadline.due_at.astimezone(perm.region.tzinfo).date() >= due
    head = client_as(users.school_head)
    assert correct.pk in inbox_task_ids(head)
    do_task(
        head, correct, {"decision": "resubmit", "subjects": [perm.subjects.math.pk], "diploma": pdf("diplom-2.pdf")}
    )
    application.refresh_from_db()
    assert application.status == Status.ELIGIBLE
    assert application.files.filter(kind="diploma").count() == 2
    assert application.files.filter(kind="diploma", is_current=True).get().original_name == "diplom-2.pdf"

    # 4. The coordinator confirms the documents.
    coordinator = client_as(users.rma_coord)
    do_task(coordinator, open_task(application), {"decision": "verify", "comment": ""})
    application.refresh_from_db()
    assert application.status == Status.DOCUMENTS_VERIFIED

    # 5. ЦОПМКП enters the scores (pass marks 70 %).
    assess = open_task(application)
    assert assess.owner == users.copmkp
    do_task(
        client_as(users.copmkp),
        assess,
        {"subject_score": "86.5", "methodical_score": "78", "assessed_on": today(perm.region), "reference": "№ 4"},
    )
    application.refresh_from_db()
    assert application.status == Status.QUALIFIED

    # 6. ЦНППМПР includes the candidate: the region's draft list opens and goes to the ministry.
    include = open_task(application)
    assert include.owner == users.cnppm
    do_task(client_as(users.cnppm), include, {"comment": ""})
    application.refresh_from_db()
    assert application.status == Status.IN_DRAFT_LIST
    rma_list = RmaList.objects.get()
    assert application.rma_list == rma_list and rma_list.status == ListStatus.DRAFT
    assert Process.objects.get(flow_class=RmaFlow, artifact_object_id=application.pk).status == "DONE"

    # 7. The ministry officer downloads the draft приказ (no number taken) and sends it for signature.
    prepare = open_task(rma_list, RmaListFlow)
    assert prepare.owner == users.ministry
    officer = client_as(users.ministry)
    preview = officer.get(links.list_preview_url(rma_list.pk))
    assert preview.status_code == 200 and preview.content.startswith(b"PK")
    assert not NumberingRegister.objects.exists()
    do_task(officer, prepare, {"academic_year": "2026/2027", "basis": ""})
    rma_list.refresh_from_db()
    assert rma_list.status == ListStatus.SIGNING

    # 8. The signatory approves: one приказ, the member admitted, a справка issued after commit.
    sign = open_task(rma_list, RmaListFlow)
    assert sign.owner == users.signatory
    signatory = client_as(users.signatory)
    with django_capture_on_commit_callbacks(execute=True):
        do_task(signatory, sign, {"decision": "approve", "comment": "", "confirm": "on"})
    rma_list.refresh_from_db()
    application.refresh_from_db()
    assert rma_list.status == ListStatus.APPROVED and rma_list.order_number == "1/ОД"
    assert application.status == Status.ADMITTED and application.admitted_on == rma_list.order_date
    order = IssuedDocument.objects.get(kind=DocumentKind.RMA_LIST_ORDER)
    assert order.organization == perm.orgs.ministry and rma_list.order == order
    certificate = IssuedDocument.objects.get(kind=DocumentKind.RMA_CERTIFICATE)
    assert certificate.person == person and certificate.organization == perm.orgs.cnppmpr
    assert Process.objects.get(flow_class=RmaListFlow).status == "DONE"

    # 9. «Список РМА» shows the member with the приказ, for the coordinator too; the export agrees.
    coordinator = client_as(users.rma_coord)
    register = coordinator.get(links.register_url())
    assert register.status_code == 200
    row = register.context["rows"][0]
    assert row["name"] == person.full_name and row["order_number"] == "1/ОД"
    export = coordinator.get(links.register_export_url())
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert [cell.value for cell in sheet[2]][:4] == [
        person.full_name,
        person.position,
        str(person.organization),
        "Березники",
    ]

    # 10. The application page tells the story: one audit event per transition, in order.
    page = client_as(users.school_head).get(links.application_url(application.pk))
    assert page.status_code == 200
    events = [event.event for event in history(application)]
    assert events == [
        "rma.nominated",
        "rma.formal_check_passed",
        "rma.returned",
        "rma.resubmitted",
        "rma.formal_check_passed",
        "rma.verified",
        "rma.assessment_passed",
        "rma.included",
        "rma.admitted",
        "rma.document_issued",
    ]
    transitions = [(e.from_state, e.to_state) for e in history(application) if e.event != "rma.document_issued"]
    assert transitions == [
        ("", "submitted"),
        ("submitted", "eligible"),
        ("eligible", "returned"),
        ("returned", "submitted"),
        ("submitted", "eligible"),
        ("eligible", "documents_verified"),
        ("documents_verified", "qualified"),
        ("qualified", "in_draft_list"),
        ("in_draft_list", "admitted"),
    ]
    assert [e.event for e in history(rma_list)] == [
        "rma_list.opened",
        "rma_list.sent_to_signing",
        "rma_list.approved",
    ]


def test_teacher_applies_for_themselves_and_is_refused_with_reasons(
    perm, client_as, django_capture_on_commit_callbacks
):
    teacher = client_as(perm.users.teacher)
    with django_capture_on_commit_callbacks(execute=True):
        response = teacher.post(
            links.submit_url(),
            {"person": perm.persons.teacher.pk, "subjects": [perm.subjects.math.pk], **required_files()},
        )
    application = RmaApplication.objects.get(person=perm.persons.teacher)
    assert response.status_code == 302
    assert application.kind == "application" and application.status == Status.REJECTED
    assert [r["code"] for r in application.refusals] == ["category_not_highest", "experience_too_short"]
    page = teacher.get(links.application_url(application.pk))
    content = page.content.decode()
    assert "квалификационной категории нет" in content and "требуется не менее 5 лет" in content
    refusal = IssuedDocument.objects.get(kind="rma_refusal")
    assert refusal.person == perm.persons.teacher and refusal.artefact_id == str(application.pk)
    assert refusal.pk in [d.pk for d in page.context["documents"]]
    assert not Task.objects.filter(status__in=["NEW", "ASSIGNED"], flow_task_type="HUMAN").exists()
    assert Process.objects.get(flow_class=RmaFlow).status == "DONE"


def test_a_file_is_judged_by_its_content_not_its_name(perm, client_as):
    files = required_files()
    files["diploma"] = pdf("diplom.pdf", data=b"MZ\x90\x00 this is an executable")
    response = client_as(perm.users.school_head).post(
        links.submit_url(), {"person": perm.persons.eligible.pk, "subjects": [perm.subjects.math.pk], **files}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["diploma"]
    assert errors == [
        "Диплом о высшем образовании: файл «diplom.pdf»: недопустимый формат. "
        "Загрузите документ в формате PDF, JPEG, PNG или DOCX"
    ]
    assert not RmaApplication.objects.exists()


def test_png_is_accepted(perm):
    assert PNG.startswith(b"\x89PNG")


def test_returned_application_may_be_withdrawn_by_whoever_filed_it(perm, client_as):
    head = client_as(perm.users.school_head)
    head.post(
        links.submit_url(),
        {"person": perm.persons.eligible.pk, "subjects": [perm.subjects.math.pk], **required_files()},
    )
    application = RmaApplication.objects.get()
    do_task(client_as(perm.users.rma_coord), open_task(application), {"decision": "return", "comment": "Нет диплома"})
    do_task(client_as(perm.users.school_head), open_task(application), {"decision": "withdraw", "comment": "Отзываем"})
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    assert Process.objects.get(flow_class=RmaFlow).status == "DONE"
    # a withdrawn application is not open: the teacher may be nominated again
    again = head.post(
        links.submit_url(),
        {"person": perm.persons.eligible.pk, "subjects": [perm.subjects.math.pk], **required_files()},
    )
    assert again.status_code == 302 and RmaApplication.objects.filter(status=Status.ELIGIBLE).count() == 1


def test_coordinator_overrides_a_refusal_from_the_application_page(perm, client_as):
    from orgstructure.models import QualificationCategory
    from tests.factories import make_person

    person = make_person(perm.orgs.school, category=QualificationCategory.FIRST, last_name="Исключенцева")
    client_as(perm.users.school_head).post(
        links.submit_url(), {"person": person.pk, "subjects": [perm.subjects.math.pk], **required_files()}
    )
    application = RmaApplication.objects.get(person=person)
    assert not client_as(perm.users.school_head).get(links.application_url(application.pk)).context["can_override"]
    coordinator = client_as(perm.users.rma_coord)
    page = coordinator.get(links.application_url(application.pk))
    assert page.context["can_override"] and "override-link" in page.content.decode()
    short = coordinator.post(links.override_url(application.pk), {"reason": "надо"})
    assert short.status_code == 200 and "не короче 10 символов" in short.content.decode()
    reason = "Приказ о высшей категории подписан 20.11, вносится в базу (письмо ГУ № 15)"
    done = coordinator.post(links.override_url(application.pk), {"reason": reason})
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.ELIGIBLE and application.override_reason == reason
    page = coordinator.get(links.application_url(application.pk)).content.decode()
    assert reason in page
    assert open_task(application).owner == perm.users.rma_coord
