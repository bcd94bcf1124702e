"""Issue 12 §10, the API: a school's system reads its form and submits values and evidence; a
locked form refuses in the API as in the UI; a double submit makes one submission; a campaign's
progress is readable; a foreign object answers 404 like a missing one; the schema has it all."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient
from viewflow.workflow.models import Task

from tests import corpus
from workflows.core.audit import history
from workflows.core.models import TaskDeadline
from workflows.monitoring.flows import MonitoringFlow
from workflows.monitoring.models import CampaignIndicator, Submission, SubmissionStatus, ValueKind
from workflows.monitoring.opening import campaign_open

pytestmark = pytest.mark.django_db
VALUES = {"IND-03": {"numerator": "12", "denominator": "40"}, "IND-06": {"numerator": 5, "denominator": 6},
          "IND-22": True, "NOTE": ""}


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def opened(world):
    campaign_open(actor=world.official, campaign=world.campaign)
    world.submission = Submission.objects.get(campaign=world.campaign, organization=world.schools[0])
    world.url = f"/api/v1/monitoring/submissions/{world.submission.pk}/"
    return world


def test_the_school_reads_its_form_and_submits_once(opened):
    w = opened
    client = _api(w.head)
    form = client.get(w.url).json()
    assert [i["code"] for i in form["indicators"]] == ["IND-03", "IND-06", "IND-22", "NOTE"]
    assert form["status"] == "not_started" and form["closed_reason"] == ""
    assert client.post(w.url + "submit/", {"values": VALUES}, format="json").status_code == 200
    again = client.post(w.url + "submit/", {"values": VALUES}, format="json")
    assert again.status_code == 409 and again.json()["detail"] == "Данные уже представлены"
    w.submission.refresh_from_db()
    assert w.submission.status == SubmissionStatus.SUBMITTED
    assert [e.event for e in history(w.submission)] == ["monitoring.submitted"]
    # the flow moved on: the methodist's review task exists, the head's fill task is done
    tasks = Task.objects.filter(process__artifact_object_id=w.submission.pk)
    assert tasks.get(flow_task=MonitoringFlow.fill).status == "DONE"
    assert tasks.filter(flow_task=MonitoringFlow.review).count() == 1


def test_invalid_values_answer_400_with_every_error_in_russian(opened):
    w = opened
    bad = {**VALUES, "IND-06": {"numerator": 7, "denominator": 6}, "IND-22": None}
    response = _api(w.head).post(w.url + "submit/", {"values": bad}, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "числитель (7) больше знаменателя (6)" in errors["v_IND-06"][0]
    assert "выберите «да» или «нет»" in errors["v_IND-22"][0]
    w.submission.refresh_from_db()
    assert w.submission.status == SubmissionStatus.NOT_STARTED


def test_a_locked_form_refuses_in_the_api_as_in_the_ui(opened):
    w = opened
    TaskDeadline.objects.filter(process__artifact_object_id=w.submission.pk).update(
        due_at=timezone.now() - dt.timedelta(days=1))
    client = _api(w.head)
    assert "форма закрыта" in client.get(w.url).json()["closed_reason"]
    for action in ("submit/", "draft/"):
        response = client.post(w.url + action, {"values": VALUES}, format="json")
        assert response.status_code == 409 and "форма закрыта" in response.json()["detail"]
    w.submission.refresh_from_db()
    assert w.submission.status == SubmissionStatus.NOT_STARTED and w.submission.values == {}


def test_evidence_through_the_api(opened):
    w = opened
    CampaignIndicator.objects.create(campaign=w.campaign, code="PLAN", title="План (скан)", kind=ValueKind.FILE,
                                     position=9)
    client = _api(w.head)
    bad = client.post(w.url + "files/", {"code": "PLAN", "file": SimpleUploadedFile("a.pdf", corpus.pdf_launch())})
    assert bad.status_code == 400 and not w.submission.files.exists()
    good = client.post(w.url + "files/", {"code": "PLAN", "file": SimpleUploadedFile("план.pdf", corpus.PDF)})
    assert good.status_code == 200 and good.json()["values"]["PLAN"]["name"] == "план.pdf"
    assert client.post(w.url + "submit/", {"values": VALUES}, format="json").status_code == 200
    w.submission.refresh_from_db()
    assert w.submission.values["PLAN"]["file"] == w.submission.files.get().pk


def test_foreign_and_missing_submissions_answer_the_same_404(opened):
    w = opened
    client = _api(w.foreign)
    foreign, missing = client.get(w.url), client.get("/api/v1/monitoring/submissions/999999/")
    assert foreign.status_code == missing.status_code == 404 and foreign.json() == missing.json()
    assert client.post(w.url + "submit/", {"values": VALUES}, format="json").status_code == 404
    assert [row["id"] for row in client.get("/api/v1/monitoring/submissions/").json()["results"]] == [
        s.pk for s in Submission.objects.filter(organization__name="СОШ Кунгура")]


def test_progress_is_readable_in_scope(opened):
    w = opened
    _api(w.head).post(w.url + "submit/", {"values": VALUES}, format="json")
    from orgstructure.models import OrganizationKind, Role
    from tests.factories import make_organization, make_user

    mms = make_organization(w.region, kind=OrganizationKind.MMS, municipality=w.berezniki, name="ЦСОРО")
    methodist = make_user("mms", role=Role.MMS_METHODIST, organization=mms)
    body = _api(methodist).get(f"/api/v1/monitoring/campaigns/{w.campaign.pk}/progress/").json()
    assert body["total"]["total"] == 3 and body["total"]["submitted"] == 1 and body["total"]["not_started"] == 2
    assert body["total"]["completeness"] == pytest.approx(33.3)
    assert _api(w.foreign).get(f"/api/v1/monitoring/campaigns/{w.campaign.pk}/progress/").status_code == 404


def test_schema_has_the_monitoring_endpoints_and_no_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    schema = (tmp_path / "schema.yml").read_text()
    for path in ("/api/v1/monitoring/submissions/{id}/submit/:", "/api/v1/monitoring/submissions/{id}/files/:",
                 "/api/v1/monitoring/campaigns/{id}/progress/:"):
        assert path in schema
