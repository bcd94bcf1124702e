"""The one state change of the kit (workflows.core.state.fire) and its error family
(common.errors), on the test process's artefact — not through РМА."""

import pytest
from django.db import models, transaction
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from common import errors
from orgstructure.models import OrganizationKind, Role
from tests.factories import make_municipality, make_organization, make_region, make_user
from tests.kitprocess.models import Report, ReportEvent, ReportStatus
from workflows.core.audit import history
from workflows.core.state import event_label, fire, history_rows, register_events

pytestmark = pytest.mark.django_db


@pytest.fixture
def report():
    region = make_region()
    municipality = make_municipality(region)
    school = make_organization(region, municipality=municipality)
    return Report.objects.create(organization=school, title="Отчёт")


@pytest.fixture
def methodist(report):
    organization = report.organization
    mms = make_organization(organization.region, kind=OrganizationKind.MMS, municipality=organization.municipality)
    return make_user(role=Role.MMS_METHODIST, organization=mms)


def test_fire_changes_the_status_and_writes_one_audit_event(report, methodist):
    fire(report, "accept", actor=methodist, event=ReportEvent.ACCEPTED, comment="Замечаний нет", data={"n": 1})
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    [event] = history(report)
    assert (event.event, event.from_state, event.to_state, event.actor, event.comment, event.data) == (
        "kitprocess.accepted",
        "submitted",
        "accepted",
        methodist,
        "Замечаний нет",
        {"n": 1},
    )
    [row] = history_rows(report)
    assert (row["label"], row["from_label"], row["to_label"]) == ("Отчёт принят", "Представлен", "Принят")


def test_a_status_that_does_not_allow_the_transition_is_refused_in_russian(report, methodist):
    fire(report, "accept", actor=methodist, event=ReportEvent.ACCEPTED)
    with pytest.raises(errors.ActionRefused, match="статус «Принят»"):
        fire(report, "accept", actor=methodist, event=ReportEvent.ACCEPTED)
    assert len(history(report)) == 1


def test_an_actor_without_the_role_over_the_object_is_forbidden(report):
    other_region = make_region(name="Другой край")
    stranger_mms = make_organization(
        other_region, kind=OrganizationKind.MMS, municipality=make_municipality(other_region)
    )
    stranger = make_user(role=Role.MMS_METHODIST, organization=stranger_mms)
    with pytest.raises(errors.ActionForbidden):
        fire(report, "accept", actor=stranger, event=ReportEvent.ACCEPTED)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and not history(report).exists()
    fire(report, "accept", actor=None, event=ReportEvent.ACCEPTED, check_permission=False)  # a system action


def test_a_concurrent_change_of_the_same_row_loses_with_already_processed(report, methodist):
    stale = Report.objects.get(pk=report.pk)
    fire(report, "accept", actor=methodist, event=ReportEvent.ACCEPTED)
    with pytest.raises(errors.AlreadyProcessed, match="уже изменена"), transaction.atomic():  # as a service is
        fire(stale, "accept", actor=methodist, event=ReportEvent.ACCEPTED)
    assert len(history(report)) == 1


def test_events_register_their_labels_once():
    assert event_label("kitprocess.submitted") == "Отчёт представлен"
    assert event_label("nobody.knows") == "nobody.knows"

    class Same(models.TextChoices):
        SUBMITTED = "kitprocess.submitted", "Отчёт представлен"

    register_events(Same)  # the same label again is harmless

    class Clash(models.TextChoices):
        SUBMITTED = "kitprocess.submitted", "Другое"

    with pytest.raises(ValueError):
        register_events(Clash)


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (errors.InvalidInput({"title": ["Укажите название"], errors.NON_FIELD: "Проверьте форму"}), 400, "invalid"),
        (errors.ActionForbidden(), 403, "forbidden"),
        (errors.NotAvailable("чужой объект"), 404, "not_found"),
        (errors.AlreadyProcessed(), 409, "already_processed"),
        (errors.ActionRefused("Действие невозможно: статус «Принят»"), 409, "conflict"),
    ],
)
def test_the_api_answers_each_action_error_the_same_way(error, status, code):
    class View(APIView):
        authentication_classes = ()
        permission_classes = ()

        def get(self, request):
            raise error

    response = View.as_view()(APIRequestFactory().get("/api/v1/x/"))
    assert response.status_code == status
    assert response.data["code"] == code
    if status == 404:
        assert response.data["detail"] == "Объект не найден"  # whatever the service said
    elif status == 400:
        assert response.data["errors"] == {"title": ["Укажите название"], "non_field_errors": ["Проверьте форму"]}
    else:
        assert response.data["detail"] == str(error)


def test_a_form_gets_field_errors_where_it_has_the_field_and_the_rest_above_it():
    from django import forms

    class Form(forms.Form):
        title = forms.CharField(required=False)

    form = Form(data={})
    assert form.is_valid()
    errors.add_to_form(form, errors.InvalidInput({"title": "Укажите название", "file": ["Файл пуст"]}))
    assert form.errors == {"title": ["Укажите название"], "__all__": ["Файл пуст"]}
    other = Form(data={})
    other.is_valid()
    errors.add_to_form(other, errors.ActionRefused("Нельзя"))
    assert other.non_field_errors() == ["Нельзя"]
