"""The протокол (ведомость) результатов оценки по кандидатам (DOMAIN.md §2(d) «Generated documents»):
the region's ЦОПМКП sees its assessment dates with their counts and issues the ведомость of a date
or a period — numbered in its register, landscape, a row per candidate with both scores, the pass
marks that applied and the result, and the totals; each application's «протокол (ведомость)
оценки» points to it where it was empty. Read by ЦОПМКП, the ЦНППМПР coordinator and the ministry
only (404 like a missing one for anyone else). Real rendering, opened back with python-docx."""

import datetime as dt
import io
from decimal import Decimal

import docx
import pytest
from django.urls import reverse
from docx.enum.section import WD_ORIENT

from documents.models import IssuedDocument
from orgstructure.models import OrganizationKind, Role
from tests.factories import make_organization, make_person, make_user
from workflows.core.models import AuditEvent
from workflows.rma import links, services
from workflows.rma.models import RmaApplication

from .conftest import today
from .test_regional_rules import verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def day(perm):
    perm.orgs.copmkp.head_name, perm.orgs.copmkp.head_position = "Рябова Наталья Геннадьевна", "Руководитель центра"
    perm.orgs.copmkp.save()
    return today(perm.region) - dt.timedelta(days=10)


def assessed(perm, on, last_name, subject, methodical, school=None, sex="f"):
    person = make_person(
        school or perm.orgs.school,
        last_name=last_name,
        first_name="Мария" if sex == "f" else "Олег",
        middle_name="Ивановна" if sex == "f" else "Петрович",
        sex=sex,
    )
    application = verified(perm, person=person, coordinator=perm.users.kungur_coord if school else None)
    services.application_assess(
        actor=perm.users.copmkp,
        application=application,
        subject_score=Decimal(subject),
        methodical_score=Decimal(methodical),
        assessed_on=on,
    )
    return RmaApplication.objects.get(pk=application.pk)


@pytest.fixture
def candidates(perm, day):
    return [
        assessed(perm, day, "Агеева", "84.5", "80"),
        assessed(perm, day, "Борисов", "65", "90", sex="m"),
        assessed(perm, day, "Вяткина", "70", "70", school=perm.orgs.school_kungur),  # the pass mark itself passes
    ]


def issue(client, perm, date_from, date_to=""):
    return client.post(
        links.assessments_url(),
        {"region": perm.region.pk, "date_from": date_from.isoformat(), "date_to": date_to},
        follow=True,
    )


def opened(document):
    with document.file.open("rb") as stream:
        return docx.Document(io.BytesIO(stream.read()))


def test_copmkp_sees_its_dates_and_issues_the_protocol_of_a_day(perm, day, candidates, client_as):
    assessor = client_as(perm.users.copmkp)
    page = assessor.get(links.assessments_url())
    assert page.status_code == 200
    [row] = page.context["days"]
    assert (row["assessed_on"], row["total"], row["passed"], row["unreferenced"]) == (day, 3, 2, 3)
    candidates[0].assessment_reference = "Протокол ФО № 5"
    RmaApplication.objects.filter(pk=candidates[0].pk).update(assessment_reference="Протокол ФО № 5")

    answer = issue(assessor, perm, day)
    document = IssuedDocument.objects.get(kind="rma_assessment_protocol")
    assert f"Ведомость № 1 от {document.issued_on:%d.%m.%Y}" in answer.content.decode()
    assert document.organization == perm.orgs.copmkp and document.number == "1"

    built = opened(document)
    assert built.sections[0].orientation == WD_ORIENT.LANDSCAPE
    body = "\n".join(p.text for p in built.paragraphs).replace("\u00a0", " ")
    assert "ВЕДОМОСТЬ № 1" in body and "кандидатов в региональный методический актив Пермского края" in body
    assert f"Дата (период) оценки: {day:%d.%m.%Y}" in body
    assert "Оценено кандидатов: 3, прошли оценку: 2, не прошли: 1." in body
    rows = [[cell.text.replace("\u00a0", " ") for cell in r.cells] for r in built.tables[0].rows]
    assert rows[0][:3] == ["№ п/п", "Фамилия, имя, отчество", "Образовательная организация"]
    people = {r[1]: r for r in rows if r[0].isdigit() and len(r[0]) < 3 and r[1] != "2"}
    assert people["Агеева Мария Ивановна"][2:] == [
        "МАОУ «СОШ № 7» г. Березники",
        "Березники",
        "Математика",
        f"{day:%d.%m.%Y}",
        "84,5",
        "80",
        "70 / 70",
        "прошла",
    ]
    assert people["Борисов Олег Петрович"][6:] == ["65", "90", "70 / 70", "не прошёл"]
    assert people["Вяткина Мария Ивановна"][3] == "Кунгур" and people["Вяткина Мария Ивановна"][-1] == "прошла"
    assert ["Руководитель центра", "Н.Г. Рябова"] in [[c.text for c in r.cells] for r in built.tables[1].rows]

    references = dict(RmaApplication.objects.values_list("person__last_name", "assessment_reference"))
    reference = f"Ведомость № 1 от {document.issued_on:%d.%m.%Y}"
    assert references == {"Агеева": "Протокол ФО № 5", "Борисов": reference, "Вяткина": reference}
    event = AuditEvent.objects.for_object(candidates[1]).get(event="rma.assessment_referenced")
    assert event.actor == perm.users.copmkp and event.comment == reference
    page = assessor.get(links.assessments_url())
    assert page.context["days"][0]["unreferenced"] == 0
    assert reverse("documents:download", args=[document.pk]) in page.content.decode()


def test_the_same_period_gives_the_same_protocol_and_new_results_issue_it_anew(perm, day, candidates, client_as):
    assessor = client_as(perm.users.copmkp)
    issue(assessor, perm, day)
    issue(assessor, perm, day)
    first = IssuedDocument.objects.get(kind="rma_assessment_protocol")
    late = assessed(perm, day, "Гусева", "91", "88")
    issue(assessor, perm, day)
    first.refresh_from_db()
    second = IssuedDocument.objects.get(kind="rma_assessment_protocol", superseded_at__isnull=True)
    assert first.superseded_at is not None and second.number == "2" and second.replaces == first
    reference = f"Ведомость № 2 от {second.issued_on:%d.%m.%Y}"
    assert set(RmaApplication.objects.values_list("assessment_reference", flat=True)) == {reference}
    assert late.pk in [row["application_id"] for row in second.data["candidates"]]


def test_a_period_and_the_russian_refusals(perm, day, candidates, client_as):
    assessor = client_as(perm.users.copmkp)
    later = assessed(perm, day + dt.timedelta(days=3), "Денисова", "75", "75")
    issue(assessor, perm, day, (day + dt.timedelta(days=3)).isoformat())
    document = IssuedDocument.objects.get(kind="rma_assessment_protocol")
    assert len(document.data["candidates"]) == 4 and later.pk in {
        c["application_id"] for c in document.data["candidates"]
    }
    body = "\n".join(p.text for p in opened(document).paragraphs)
    assert f"с {day:%d.%m.%Y} по {day + dt.timedelta(days=3):%d.%m.%Y}" in body

    tomorrow = today(perm.region) + dt.timedelta(days=1)
    answer = issue(assessor, perm, day, tomorrow.isoformat())
    assert f"Период не может заканчиваться позже сегодняшнего дня ({today(perm.region):%d.%m.%Y})" in (
        answer.content.decode()
    )
    empty_day = day - dt.timedelta(days=20)
    answer = issue(assessor, perm, empty_day)
    assert f"За {empty_day:%d.%m.%Y} результатов оценки кандидатов в РМА нет" in answer.content.decode()
    assert IssuedDocument.objects.filter(kind="rma_assessment_protocol").count() == 1


def test_only_those_who_use_the_results_read_it(perm, day, candidates, client_as):
    issue(client_as(perm.users.copmkp), perm, day)
    document = IssuedDocument.objects.get(kind="rma_assessment_protocol")
    url = reverse("documents:download", args=[document.pk])
    methodist = make_user(
        "methodist",
        role=Role.CNPPM_METHODIST,
        organization=make_organization(perm.region, OrganizationKind.CNPPMPR, name="ЦНППМПР, отдел"),
    )
    readers = {"copmkp": perm.users.copmkp, "cnppm": perm.users.cnppm, "ministry": perm.users.ministry}
    others = {"rma_coord": perm.users.rma_coord, "school_head": perm.users.school_head, "methodist": methodist}
    for name, user in {**readers, **others}.items():
        client = client_as(user)
        assert client.get(url).status_code == (200 if name in readers else 404), name
        if name != "copmkp":  # the page and the issue are ЦОПМКП's
            assert client.get(links.assessments_url()).status_code == 404, name
            assert issue(client, perm, day).status_code == 404, name
            menu = client.get(links.application_list_url()).content.decode()
            assert links.assessments_url() not in menu, name
    page = client_as(perm.users.copmkp).get(links.application_list_url()).content.decode()
    assert f'href="{links.assessments_url()}" id="assessments-link"' in page
    assert IssuedDocument.objects.filter(kind="rma_assessment_protocol").count() == 1
