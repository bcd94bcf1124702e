"""API v1 of the РМА process: submit with files (multipart), read the status and the reasons,
list the register — scoped, in Russian, in the OpenAPI schema."""

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from workflows.rma import services
from workflows.rma.models import RmaApplication, Status

from .conftest import pdf, required_files
from .test_batch import draft_list

pytestmark = pytest.mark.django_db

APPLICATIONS = "/api/v1/rma/applications/"
REGISTER = "/api/v1/rma/register/"


@pytest.fixture
def api_as():
    def _as(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return _as


def test_teacher_submits_with_files_and_reads_the_reasons(perm, api_as):
    client = api_as(perm.users.teacher)
    response = client.post(
        APPLICATIONS,
        {"person": perm.persons.teacher.pk, "subjects": [perm.subjects.math.pk], **required_files()},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == Status.REJECTED and body["application_kind"] == "application"
    assert [r["code"] for r in body["refusals"]] == ["category_not_highest", "experience_too_short"]
    assert "требуется не менее 5 лет" in body["refusals"][1]["message"]
    assert sorted(f["document_kind"] for f in body["files"]) == ["attestation_order", "diploma", "employment_record"]

    detail = client.get(f"{APPLICATIONS}{body['id']}/")
    assert detail.status_code == 200 and detail.json()["status_display"].startswith("Отказано")
    listing = client.get(APPLICATIONS)
    assert [item["id"] for item in listing.json()["results"]] == [body["id"]]


def test_school_head_nominates_an_eligible_teacher(perm, api_as):
    response = api_as(perm.users.school_head).post(
        APPLICATIONS,
        {"person": perm.persons.eligible.pk, "subjects": [perm.subjects.math.pk], **required_files()},
        format="multipart",
    )
    assert response.status_code == 201
    assert response.json()["status"] == Status.ELIGIBLE and response.json()["refusals"] == []


def test_errors_are_russian_and_foreign_ids_answer_404(perm, api_as):
    client = api_as(perm.users.school_head)
    files = required_files()
    files["diploma"] = pdf("diplom.pdf", data=b"PK\x03\x04 not really a document")
    bad = client.post(
        APPLICATIONS,
        {"person": perm.persons.eligible.pk, "subjects": [perm.subjects.math.pk], **files},
        format="multipart",
    )
    assert bad.status_code == 400
    assert bad.json()["errors"]["diploma"] == [
        "Диплом о высшем образовании: файл «diplom.pdf»: недопустимый формат. "
        "Загрузите документ в формате PDF, JPEG, PNG или DOCX"
    ]
    missing = client.post(APPLICATIONS, {"person": perm.persons.eligible.pk}, format="multipart")
    assert missing.status_code == 400 and "attestation_order" in missing.json()["errors"]
    foreign = client.post(
        APPLICATIONS,
        {"person": perm.persons.kungur_teacher.pk, "subjects": [perm.subjects.math.pk], **required_files()},
        format="multipart",
    )
    assert foreign.status_code == 404 and foreign.json() == {"detail": "Объект не найден", "code": "not_found"}
    assert not RmaApplication.objects.exists()


def test_a_second_open_application_is_a_conflict(perm, api_as):
    client = api_as(perm.users.school_head)
    data = {"person": perm.persons.eligible.pk, "subjects": [perm.subjects.math.pk]}
    assert client.post(APPLICATIONS, {**data, **required_files()}, format="multipart").status_code == 201
    again = client.post(APPLICATIONS, {**data, **required_files()}, format="multipart")
    assert again.status_code == 409 and "незавершённая заявка" in again.json()["detail"]


def test_applications_are_scoped(perm, api_as):
    application = services.application_submit(
        actor=perm.users.school_head,
        person=perm.persons.eligible,
        subjects=[perm.subjects.math],
        files=required_files(),
    )
    assert api_as(perm.users.kungur_coord).get(f"{APPLICATIONS}{application.pk}/").status_code == 404
    assert api_as(perm.users.kungur_coord).get(APPLICATIONS).json()["results"] == []
    assert api_as(perm.users.rma_coord).get(f"{APPLICATIONS}{application.pk}/").status_code == 200


def test_register_lists_members_in_scope_by_cursor(perm, api_as):
    rma_list = draft_list(perm, size=6)
    services.list_approve(actor=perm.users.signatory, rma_list=rma_list)
    regional = api_as(perm.users.ministry).get(REGISTER, {"page_size": 4})
    body = regional.json()
    assert len(body["results"]) == 4 and body["next"]
    second = api_as(perm.users.ministry).get(body["next"]).json()
    names = [m["person_name"] for m in body["results"] + second["results"]]
    assert len(names) == 6 == len(set(names))
    assert body["results"][0]["order"]["number"] == "1/ОД"
    berezniki = api_as(perm.users.rma_coord).get(REGISTER).json()["results"]
    assert {m["municipality"] for m in berezniki} == {"Березники"} and len(berezniki) == 3
    kungur = api_as(perm.users.ministry).get(REGISTER, {"municipality": perm.kungur.pk}).json()["results"]
    assert {m["municipality"] for m in kungur} == {"Кунгур"}
    assert APIClient().get(REGISTER).status_code == 401


def test_schema_has_the_rma_endpoints_and_no_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    schema = (tmp_path / "schema.yml").read_text()
    for path in ("/api/v1/rma/applications/:", "/api/v1/rma/applications/{id}/:", "/api/v1/rma/register/:"):
        assert path in schema
    assert "multipart/form-data" in schema
