"""The API of the selection of sites (/api/v1/internships/): calls of the user's region, a school's
application submitted as JSON (and refused in Russian when the call no longer takes them),
applications in scope (a foreign id is a missing one), the register of sites; all in the OpenAPI
schema without warnings."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from rest_framework.test import APIClient

from orgstructure.models import Role
from tests import corpus
from tests.factories import make_municipality, make_organization, make_region, make_user
from workflows.core.audit import history
from workflows.internships import decision_services
from workflows.internships.models import Application, ApplicationFile, InternshipEvent

from .test_application import open_call, world  # noqa: F401  (the fixture)
from .test_decision import decided  # noqa: F401  (the fixture)
from .test_register import sites  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

PROGRAMMES = [{"theme": "Медиаобразование", "target_group": "учителя", "format": "групповая", "hours": 36}]


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_school_applies_through_the_api_and_reads_its_application(world):  # noqa: F811
    call = open_call(world)
    calls = api(world.head).get("/api/v1/internships/calls/")
    assert calls.status_code == 200 and [c["id"] for c in calls.json()["results"]] == [call.pk]
    assert calls.json()["results"][0]["criteria"][0]["code"] == "k1"
    body = {"call": call.pk, "experience": "опыт", "resources": "ресурсы", "programmes": PROGRAMMES}
    bad = api(world.head).post("/api/v1/internships/applications/", {**body, "programmes": []}, format="json")
    assert bad.status_code == 400
    created = api(world.head).post("/api/v1/internships/applications/", body, format="json")
    assert created.status_code == 201, created.json()
    data = created.json()
    assert data["status"] == "submitted" and data["programmes"][0]["hours"] == 36
    again = api(world.head).post("/api/v1/internships/applications/", body, format="json")
    assert again.status_code == 409 and "уже подала" in str(again.json())
    assert api(world.methodist).get(f"/api/v1/internships/applications/{data['id']}/").status_code == 200
    assert api(world.foreign).get(f"/api/v1/internships/applications/{data['id']}/").status_code == 404
    assert api(world.foreign).get("/api/v1/internships/applications/").json()["results"] == []
    assert api(world.methodist).post("/api/v1/internships/applications/", body, format="json").status_code == 403
    other_region = make_region(name="Другой край", code="95")
    stranger = make_user(
        role=Role.SCHOOL_HEAD,
        organization=make_organization(other_region, municipality=make_municipality(other_region)),
    )
    assert api(stranger).get(f"/api/v1/internships/calls/{call.pk}/").status_code == 404
    decision_services.call_close(actor=world.coordinator, call=call)
    school = make_organization(world.region, municipality=world.school.municipality)
    late = api(make_user(role=Role.SCHOOL_HEAD, organization=school)).post(
        "/api/v1/internships/applications/", body, format="json"
    )
    assert late.status_code == 409 and "завершён" in str(late.json())


def test_the_register_through_the_api(world, sites):  # noqa: F811
    response = api(world.methodist).get("/api/v1/internships/register/")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert sorted(r["id"] for r in rows) == sorted(s.pk for s in sites)
    assert rows[0]["order_number"] == "1/ОД" and "curator" not in rows[0]
    assert api(world.methodist).get("/api/v1/internships/register/", {"status": "revoked"}).json()["results"] == []


def test_the_schema_lists_the_endpoints_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    schema = (tmp_path / "schema.yml").read_text()
    for endpoint in (
        "/api/v1/internships/calls/",
        "/api/v1/internships/applications/{id}/",
        "/api/v1/internships/applications/{id}/files/",
        "/api/v1/internships/register/",
    ):
        assert endpoint in schema


def test_a_school_adds_supporting_files_through_the_api(world, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = str(tmp_path)
    call = open_call(world)
    body = {"call": call.pk, "experience": "опыт", "resources": "ресурсы", "programmes": PROGRAMMES}
    application_id = api(world.head).post("/api/v1/internships/applications/", body, format="json").json()["id"]
    url = f"/api/v1/internships/applications/{application_id}/files/"

    def upload(user, name, data):
        return api(user).post(url, {"file": SimpleUploadedFile(name, data)}, format="multipart")

    added = upload(world.head, "Опыт.pdf", corpus.PDF)
    assert added.status_code == 201, added.json()
    files = added.json()["files"]
    assert [(f["original_name"], f["extension"]) for f in files] == [("Опыт.pdf", "pdf")]
    record = ApplicationFile.objects.get()
    assert record.file.read() == corpus.PDF and "Опыт" not in record.file.name  # a server-made name
    application = Application.objects.get(pk=application_id)
    assert [e.event for e in history(application)][-1] == InternshipEvent.FILE_ADDED
    # a hostile file is refused in Russian and nothing is kept
    hostile = upload(world.head, "Отчёт.pdf", corpus.pdf_javascript())
    assert hostile.status_code == 400 and "JavaScript" in hostile.json()["errors"]["file"][0]
    stored = [path for path in tmp_path.rglob("*") if path.is_file()]
    assert ApplicationFile.objects.count() == 1 and len(stored) == 1, stored
    missing = api(world.head).post(url, {}, format="multipart")
    assert missing.status_code == 400
    # the ММС methodist reads the application but adds nothing; a foreign one does not even see it
    assert upload(world.methodist, "a.pdf", corpus.PDF).status_code == 403
    assert upload(world.foreign, "a.pdf", corpus.PDF).status_code == 404
    # once endorsed, the application is no longer the school's to change
    services_endorse(world, application)
    late = upload(world.head, "Ещё.pdf", corpus.PDF)
    assert late.status_code == 409 and "на согласовании" in str(late.json())
    assert ApplicationFile.objects.count() == 1


def services_endorse(world, application):  # noqa: F811
    from viewflow.workflow.models import Task

    from workflows.core.flowkit import task_action_url
    from workflows.internships.flows import InternshipsFlow

    from .test_application import client

    task = Task.objects.get(process__artifact_object_id=application.pk, flow_task=InternshipsFlow.endorse)
    assert client(world.methodist).post(task_action_url(task, "execute"), {"decision": "endorse"}).status_code == 302
