"""The справка о соответствии критериям on request (DOMAIN.md §2(d) «Generated documents»): for an
application that passed the formal check, its applicant, school head or municipal РМА coordinator
asks for it from the application page; the ЦНППМПР's worker issues it, numbered, with each
criterion the region checks (003:L953) and what the person has on the check date; one per
application and date; a failure becomes the coordinator's task; only those who handle the case see
the button and the document (404 like a missing one). Real Celery (eager), real .docx."""

import datetime as dt
import io

import docx
import pytest
from django.urls import reverse
from viewflow.workflow.models import Task

from documents import issuing
from documents.models import IssuedDocument
from documents.tasks import issue_document
from orgstructure.models import Role
from tests.factories import make_person, make_user
from workflows.core import clock
from workflows.core.calendar import local_date
from workflows.core.models import AuditEvent
from workflows.rma import flows, links, services
from workflows.rma.flows import RmaDocumentFlow
from workflows.rma.models import RmaCriteriaStatement, RmaRegionSettings, Status

from .conftest import required_files

pytestmark = pytest.mark.django_db

# 06:00 UTC on 10 March 2026 is 11:00 in Perm: the application's check date is 10.03.2026.
MARCH_10 = dt.datetime(2026, 3, 10, 6, 0, tzinfo=dt.UTC)


@pytest.fixture
def candidate(perm):
    person = make_person(
        perm.orgs.school,
        last_name="Гордеева",
        first_name="Ольга",
        middle_name="Петровна",
        position="учитель физики",
        specialty_experience_since=dt.date(2019, 6, 15),  # 6 лет 8 месяцев on 10.03.2026
    )
    user = make_user("gordeeva", role=Role.TEACHER, organization=perm.orgs.school, person=person)
    return person, user


@pytest.fixture
def application(perm, candidate):
    with clock.set_now(MARCH_10):
        application = flows.application_start(
            actor=perm.users.school_head, person=candidate[0], subjects=[perm.subjects.physics], files=required_files()
        )
    assert application.status == Status.ELIGIBLE and application.check_date == dt.date(2026, 3, 10)
    return application


@pytest.fixture
def issued(settings, django_capture_on_commit_callbacks):
    settings.PROFROST_DOCUMENTS_PDF = False

    def ask(client, application):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(links.criteria_statement_url(application.pk), follow=True)

    return ask


def texts(document: IssuedDocument) -> tuple[str, list[list[str]]]:
    with document.file.open("rb") as stream:
        opened = docx.Document(io.BytesIO(stream.read()))
    body = "\n".join(paragraph.text for paragraph in opened.paragraphs).replace("\u00a0", " ")
    rows = [[cell.text.replace("\u00a0", " ") for cell in row.cells] for table in opened.tables for row in table.rows]
    return body, rows


def test_the_coordinator_asks_and_the_cnppmpr_issues_it_with_each_criterion(perm, application, client_as, issued):
    coordinator = client_as(perm.users.rma_coord)
    page = coordinator.get(links.application_url(application.pk)).content.decode()
    assert 'id="criteria-statement"' in page
    answer = issued(coordinator, application)
    assert "Справка о соответствии критериям запрошена" in answer.content.decode()

    document = IssuedDocument.objects.get(kind="rma_criteria_statement")
    assert document.organization == perm.orgs.cnppmpr and document.number == "1"
    assert document.person == application.person and document.issued_by == perm.users.rma_coord
    body, rows = texts(document)
    assert "СПРАВКА" in body
    assert "Дана Гордеевой Ольге Петровне, учителю физики МАОУ «СОШ № 7» г. Березники" in body
    assert "по состоянию на 10 марта 2026 г. сведения о ней" in body
    assert f"№ {application.pk} от {local_date(application.submitted_at, perm.region.timezone):%d.%m.%Y}" in body
    criteria = {row[1]: row[2:] for row in rows if row[0].isdigit()}
    assert criteria == {
        "Квалификационная категория": [
            "высшая квалификационная категория",
            "Высшая квалификационная категория, установлена 20.12.2022, действует до 19.12.2027 включительно",
            "соответствует",
        ],
        "Образование": ["высшее педагогическое образование", "Высшее, педагогическое", "соответствует"],
        "Стаж работы по специальности": ["не менее 5 лет", "6 лет 8 месяцев", "соответствует"],
    }
    assert "соответствует всем критериям включения в состав регионального методического актива" in body
    assert ["Руководитель центра", "Е.С. Субботина"] in rows  # the head of ЦНППМПР signs
    assert any(" № 1" in cell for row in rows for cell in row)  # numbered in its register

    event = AuditEvent.objects.for_object(application).get(event="rma.criteria_statement_requested")
    assert event.actor == perm.users.rma_coord and event.comment == "сведения на 10.03.2026"
    issued_event = AuditEvent.objects.for_object(application).get(event="rma.document_issued")
    assert issued_event.data["document_id"] == document.pk and issued_event.actor == perm.users.rma_coord
    page = coordinator.get(links.application_url(application.pk)).content.decode()
    assert reverse("documents:download", args=[document.pk]) in page.split('id="documents"')[1].split("</ul>")[0]


def test_asking_twice_gives_the_same_document(perm, application, candidate, client_as, issued):
    issued(client_as(perm.users.school_head), application)
    again = issued(client_as(candidate[1]), application)
    document = IssuedDocument.objects.get(kind="rma_criteria_statement")
    assert f"Справка уже выпущена: № {document.number}" in again.content.decode()
    assert RmaCriteriaStatement.objects.count() == 1 and IssuedDocument.objects.count() == 1


def test_one_per_application_and_date(perm, application, client_as, issued):
    """A new check date (a resubmission checks again on its day) makes a new справка; the first one
    stays in force for its date."""
    issued(client_as(perm.users.rma_coord), application)
    application.check_date = dt.date(2026, 4, 2)
    application.save(update_fields=["check_date"])
    issued(client_as(perm.users.rma_coord), application)
    documents = IssuedDocument.objects.filter(kind="rma_criteria_statement", superseded_at__isnull=True)
    assert sorted(documents.values_list("number", flat=True)) == ["1", "2"]
    assert sorted(RmaCriteriaStatement.objects.values_list("on_date", flat=True)) == [
        dt.date(2026, 3, 10),
        dt.date(2026, 4, 2),
    ]
    _, rows = texts(documents.get(number="2"))
    assert ["3", "Стаж работы по специальности", "не менее 5 лет", "6 лет 9 месяцев", "соответствует"] in rows


def test_only_the_criteria_switched_on_in_the_region_are_stated(perm, application, client_as, issued):
    RmaRegionSettings.objects.filter(region=perm.region).update(check_education=False, min_specialty_years=6)
    issued(client_as(perm.users.rma_coord), application)
    _, rows = texts(IssuedDocument.objects.get(kind="rma_criteria_statement"))
    titles = [row[1] for row in rows if row[0].isdigit()]
    assert titles == ["Квалификационная категория", "Стаж работы по специальности"]
    assert ["2", "Стаж работы по специальности", "не менее 6 лет", "6 лет 8 месяцев", "соответствует"] in rows


def test_with_every_criterion_off_there_is_nothing_to_state(perm, application, client_as, issued):
    RmaRegionSettings.objects.filter(region=perm.region).update(
        check_category=False, check_education=False, check_experience=False
    )
    coordinator = client_as(perm.users.rma_coord)
    assert 'id="criteria-statement"' not in coordinator.get(links.application_url(application.pk)).content.decode()
    answer = issued(coordinator, application)
    assert "критерии включения в РМА не проверяются" in answer.content.decode()
    assert not IssuedDocument.objects.filter(kind="rma_criteria_statement").exists()


def test_not_for_a_refused_or_overridden_application(perm, client_as, issued):
    with clock.set_now(MARCH_10):
        refused = flows.application_start(
            actor=perm.users.school_head,
            person=make_person(perm.orgs.school, category_valid_until=dt.date(2026, 3, 1)),
            subjects=[perm.subjects.math],
            files=required_files(),
        )
    assert refused.status == Status.REJECTED
    coordinator = client_as(perm.users.rma_coord)
    assert 'id="criteria-statement"' not in coordinator.get(links.application_url(refused.pk)).content.decode()
    answer = issued(coordinator, refused)
    assert "только по заявке, прошедшей формальную проверку" in answer.content.decode()
    flows.application_override_start(actor=perm.users.rma_coord, application=refused, reason="Категория продлена")
    answer = issued(coordinator, refused)
    assert "допущен вопреки критериям: справка о соответствии критериям не выдаётся" in answer.content.decode()
    assert not IssuedDocument.objects.filter(kind="rma_criteria_statement").exists()


def test_a_record_changed_since_the_check_gives_no_false_statement(perm, application, candidate):
    person = candidate[0]
    person.category_valid_until = dt.date(2026, 3, 1)  # corrected in the staff records afterwards
    person.save(update_fields=["category_valid_until"])
    with pytest.raises(services.ActionRefused, match="на 10.03.2026 критерии не выполнены: высшая"):
        services.criteria_statement_request(actor=perm.users.rma_coord, application=application)


def test_only_those_who_handle_the_case_see_the_button_and_the_document(
    perm, application, candidate, client_as, issued
):
    issued(client_as(perm.users.rma_coord), application)
    document = IssuedDocument.objects.get(kind="rma_criteria_statement")
    member = make_user("member", role=Role.RMA_MEMBER, organization=perm.orgs.school)
    authority = make_user("uo", role=Role.MUNI_AUTHORITY, organization=perm.orgs.uo_berezniki)
    handlers = {
        "applicant": candidate[1],
        "school_head": perm.users.school_head,
        "rma_coord": perm.users.rma_coord,
        "cnppm": perm.users.cnppm,  # it issued the справка
    }
    outsiders = {
        "colleague": perm.users.teacher,
        "rma_member": member,
        "muni_authority": authority,
        "kungur_coord": perm.users.kungur_coord,
        "ministry": perm.users.ministry,
        "copmkp": perm.users.copmkp,
    }
    url = reverse("documents:download", args=[document.pk])
    missing = reverse("documents:download", args=[document.pk + 100])
    for name, user in {**handlers, **outsiders}.items():
        client = client_as(user)
        download = client.get(url)
        listed = url in client.get(reverse("documents:list")).content.decode()
        if name in handlers:
            assert download.status_code == 200 and listed, name
        else:
            assert download.status_code == 404 == client.get(missing).status_code, name
            assert not listed, name
            assert client.post(links.criteria_statement_url(application.pk)).status_code == 404, name
    assert 'id="criteria-statement"' not in client_as(perm.users.cnppm).get(
        links.application_url(application.pk)
    ).content.decode()  # ЦНППМПР issues it; it does not ask for it
    assert RmaCriteriaStatement.objects.count() == 1


def test_a_statement_that_will_not_come_is_the_coordinators_task(
    perm, application, monkeypatch, django_capture_on_commit_callbacks, settings, client_as
):
    settings.PROFROST_DOCUMENTS_PDF = False
    monkeypatch.setitem(issue_document.app.conf, "task_eager_propagates", False)
    real_issue = issuing.document_issue

    def storage_down(**kwargs):
        raise OSError("/srv/profrost/media: Input/output error")

    monkeypatch.setattr(issuing, "document_issue", storage_down)
    with django_capture_on_commit_callbacks(execute=True):
        client_as(perm.users.school_head).post(links.criteria_statement_url(application.pk))
    assert not IssuedDocument.objects.exists()
    [task] = Task.objects.filter(flow_task=RmaDocumentFlow.reissue, status__in=["NEW", "ASSIGNED"])
    statement = RmaCriteriaStatement.objects.get()
    assert task.owner == perm.users.cnppm and task.process.data["statement_id"] == statement.pk
    assert AuditEvent.objects.for_object(application).filter(event="rma.document_failed").count() == 1

    coordinator = client_as(perm.users.cnppm)
    body = coordinator.get(links.task_action_url(task, "execute")).content.decode()
    assert "Справка о соответствии критериям включения в РМА" in body and "/srv" not in body
    monkeypatch.setattr(issuing, "document_issue", real_issue)  # the storage is back
    with django_capture_on_commit_callbacks(execute=True):
        done = coordinator.post(links.task_action_url(task, "execute"), {"decision": "reissue", "comment": ""})
    assert done.status_code == 302
    document = IssuedDocument.objects.get(kind="rma_criteria_statement")
    assert document.artefact_id == str(statement.pk) and document.issued_by == perm.users.cnppm
