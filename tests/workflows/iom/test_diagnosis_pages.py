"""The diagnostics pages on the demo region: each demo user sees the results they handle and a
foreign result answers 404 like a missing one (152-ФЗ); ЦОПМКП enters a result by hand and loads a
file (a bad one refused row by row, nothing written) and issues the справка."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents.models import IssuedDocument
from orgstructure.demo import load_demo
from tests.tables_helpers import xlsx_bytes
from workflows.iom.diagnostics.demo import load_diagnostics_demo
from workflows.iom.diagnostics.models import DiagnosisResult

pytestmark = pytest.mark.django_db
LIST = reverse("diagnostics:index")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Load the demo once and roll it back when the module is done (a flush would also take the
    migration-seeded regulation profiles from every test module after this one)."""
    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        load_demo()
        load_diagnostics_demo()
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def _as(client, username):
    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    return user


def _ids(html):
    return {int(pk) for pk in re.findall(r'data-result="(\d+)"', html)}


def test_the_demo_diagnoses_about_a_third_and_the_teacher(demo):
    from orgstructure.models import Person

    share = DiagnosisResult.objects.count() / Person.objects.count()
    assert 0.25 < share < 0.35
    teacher = get_user_model().objects.get(username="teacher").person
    assert DiagnosisResult.objects.filter(person=teacher).exists()
    assert load_diagnostics_demo() == "Результаты диагностики: уже загружены."


def test_each_user_sees_the_results_they_handle(client, demo):
    user = _as(client, "teacher")
    assert _ids(client.get(LIST).content.decode()) == set(
        DiagnosisResult.objects.filter(person=user.person).values_list("id", flat=True)
    )

    head = _as(client, "school_head")
    school = head.memberships.get().organization
    seen = _ids(client.get(LIST).content.decode())
    of_school = DiagnosisResult.objects.filter(person__organization=school)
    assert seen and set(of_school.filter(pk__in=seen).values_list("id", flat=True)) == seen
    assert len(seen) == min(of_school.count(), 50)

    _as(client, "mms_berezniki")
    assert _ids(client.get(LIST).content.decode()) == set()
    _as(client, "copmkp")
    assert len(_ids(client.get(LIST).content.decode())) == 50  # the first page of the region's


def test_a_foreign_result_answers_404_like_a_missing_one(client, demo):
    user = _as(client, "teacher")
    own = DiagnosisResult.objects.filter(person=user.person).first()
    foreign = DiagnosisResult.objects.exclude(person=user.person).first()

    assert client.get(reverse("diagnostics:detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("diagnostics:detail", args=[foreign.pk])).status_code == 404
    assert client.get(reverse("diagnostics:detail", args=[10**9])).status_code == 404
    # The ministry handles no diagnosis: the section is closed to it, for any id alike.
    _as(client, "ministry")
    assert client.get(reverse("diagnostics:detail", args=[own.pk])).status_code == 403
    assert client.get(reverse("diagnostics:detail", args=[10**9])).status_code == 403


def test_the_teachers_page_shows_scores_deficits_and_programmes(client, demo):
    from programmes.demo import load_programmes_demo

    load_programmes_demo()
    user = _as(client, "teacher")
    own = DiagnosisResult.objects.filter(person=user.person).first()
    html = client.get(reverse("diagnostics:detail", args=[own.pk])).content.decode()

    assert "формирующее оценивание" in html and "цифровые образовательные ресурсы" in html
    assert "Цифровые инструменты в работе учителя" in html  # the ИТ programme for the ИТ deficit
    assert "действует: используется для ИОМ" in html
    assert 'id="issue-form"' not in html  # only ЦОПМКП issues the справка


def test_only_copmkp_enters_and_imports(client, demo):
    _as(client, "teacher")
    for name in ("diagnostics:create", "diagnostics:import", "diagnostics:import_template"):
        assert client.get(reverse(name)).status_code == 403
    _as(client, "copmkp")
    for name in ("diagnostics:create", "diagnostics:import", "diagnostics:import_template"):
        assert client.get(reverse(name)).status_code == 200


def test_a_result_entered_by_hand(client, demo):
    from orgstructure.models import Person

    user = _as(client, "copmkp")
    organization = user.memberships.get().organization
    person = Person.objects.filter(diagnoses__isnull=True).first()
    form = {
        "organization": organization.pk,
        "snils": person.snils,
        "diagnosed_on": "2026-11-20",
        "instrument": "ФОС (ручной ввод)",
        "score_methodical": "55,5",
        "deficits_methodical": "проектирование урока",
    }

    bad = client.post(reverse("diagnostics:create"), {**form, "score_methodical": "150", "snils": "123-456-789 00"})
    assert "Неверная контрольная сумма СНИЛС 123-456-789 00" in bad.content.decode()
    assert "Убедитесь, что это значение меньше либо равно 100." in bad.content.decode()

    response = client.post(reverse("diagnostics:create"), {**form, "score_methodical": "55.5"}, follow=True)
    assert "Результат диагностики внесён" in response.content.decode()
    result = DiagnosisResult.objects.get(person=person)
    assert [(d.area, d.title) for d in result.deficits.all()] == [("methodical", "проектирование урока")]

    again = client.post(reverse("diagnostics:create"), {**form, "score_methodical": "55.5"})
    assert "уже внесён" in again.content.decode()


def test_a_bad_file_through_the_page(client, demo):
    user = _as(client, "copmkp")
    before = DiagnosisResult.objects.count()
    data = xlsx_bytes(
        ("СНИЛС", "Дата диагностики", "Инструментарий", "Методические, %"),
        [("000-000-000 00", "01.11.2026", "ФОС", 50)],
    )
    response = client.post(
        reverse("diagnostics:import"),
        {
            "organization": user.memberships.get().organization.pk,
            "file": SimpleUploadedFile("Д.xlsx", data),
        },
    )
    html = response.content.decode()
    assert "Строка 2: педагог со СНИЛС 000-000-000 00 не найден в кадровой базе" in html
    assert DiagnosisResult.objects.count() == before


def test_copmkp_issues_the_certificate_from_the_page(client, demo, django_capture_on_commit_callbacks):
    _as(client, "copmkp")
    result = DiagnosisResult.objects.filter(deficits__isnull=False).first()
    url = reverse("diagnostics:detail", args=[result.pk])
    assert 'id="issue-form"' in client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)

    document = IssuedDocument.objects.get(kind="diagnosis_certificate", artefact_id=str(result.pk))
    html = client.get(url).content.decode()
    assert reverse("documents:download", args=[document.pk]) in html and 'id="issue-form"' not in html
