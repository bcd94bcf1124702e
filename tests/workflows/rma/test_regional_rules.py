"""Regional rules as data, faithful to the seeds: each criterion of 003:L953 switches on or off per
region (Rostov admits by the assessment alone); the pass mark has no invented default (no mark →
the assessment cannot be entered, with a Russian message for the assessor); the ПК gate of
003:L763 sends a passed candidate without the course to «требуется ПК» until the certificate is
uploaded; the Perm profile approves the list in «Февраль-март» (003:L1483); a future «Дата оценки»
is refused in Russian."""

import datetime as dt
from decimal import Decimal

import pytest
from viewflow.workflow.models import Task

from common import errors
from orgstructure.models import EducationLevel, QualificationCategory
from tests.factories import make_person
from workflows.core import clock
from workflows.core.flowkit import task_complete
from workflows.core.models import DeadlineRule, RegulationProfile, TaskDeadline
from workflows.rma import flows, links, services
from workflows.rma.flows import RmaFlow
from workflows.rma.models import FileKind, RmaApplication, RmaRegionSettings, Status

from .conftest import pdf, required_files, today

pytestmark = pytest.mark.django_db


def submit(perm, person):
    return flows.application_start(
        actor=perm.users.school_head, person=person, subjects=[perm.subjects.math], files=required_files()
    )


def nobody_meets_anything(perm):
    return make_person(
        perm.orgs.school,
        category=QualificationCategory.NONE,
        category_assigned_on=None,
        category_valid_until=None,
        education_level=EducationLevel.SECONDARY_VOCATIONAL,
        education_is_pedagogical=False,
        specialty_experience_since=today(perm.region) - dt.timedelta(days=200),
    )


def test_each_criterion_switches_off_and_with_all_off_the_assessment_alone_decides(perm):
    person = nobody_meets_anything(perm)
    refused = submit(perm, person)
    assert [r["code"] for r in refused.refusals] == [
        "category_not_highest",
        "education_not_higher",
        "experience_too_short",
    ]
    settings = RmaRegionSettings.objects.get(region=perm.region)
    for switch, gone in (
        ("check_category", "category_not_highest"),
        ("check_education", "education_not_higher"),
        ("check_experience", "experience_too_short"),
    ):
        setattr(settings, switch, False)
        settings.save()
        again = submit(perm, nobody_meets_anything(perm))
        assert gone not in [r["code"] for r in again.refusals], switch
    assert settings.criteria.check_category is settings.criteria.check_experience is False
    admitted_to_assessment = submit(perm, nobody_meets_anything(perm))
    assert admitted_to_assessment.status == Status.ELIGIBLE and admitted_to_assessment.refusals == []


def open_task(node, application):
    return Task.objects.get(flow_task=node, status__in=["NEW", "ASSIGNED"], process__artifact_object_id=application.pk)


def verified(perm, person=None, coordinator=None, files=None):
    """An application through the document check (by its task, so the flow moves on to assessment)."""
    coordinator = coordinator or perm.users.rma_coord
    application = flows.application_start(
        actor=coordinator,
        person=person or perm.persons.eligible,
        subjects=[perm.subjects.math],
        files=files or required_files(),
    )
    task_complete(
        actor=coordinator,
        task_id=open_task(RmaFlow.verify, application).pk,
        perform=lambda a: services.application_verify(actor=coordinator, application=application),
    )
    application.refresh_from_db()
    return application


def test_without_a_pass_mark_the_assessment_cannot_be_entered(perm, client_as):
    RmaRegionSettings.objects.filter(region=perm.region).update(subject_pass_mark=None, methodical_pass_mark=None)
    assert RmaRegionSettings._meta.get_field("subject_pass_mark").default is not Decimal("70")
    assert not RmaRegionSettings._meta.get_field("subject_pass_mark").has_default()
    application = verified(perm)
    with pytest.raises(errors.ActionRefused, match="не задан проходной балл"):
        services.application_assess(
            actor=perm.users.copmkp,
            application=application,
            subject_score=Decimal("95"),
            methodical_score=Decimal("95"),
            assessed_on=today(perm.region),
        )
    application.refresh_from_db()
    assert application.status == Status.DOCUMENTS_VERIFIED and application.subject_score is None
    # the assessor reads why on the step page
    task = open_task(RmaFlow.assess, application)
    page = client_as(perm.users.copmkp).get(links.task_action_url(task, "execute"))
    assert "не задан проходной балл (предметные компетенции и методические компетенции)" in page.content.decode()
    posted = client_as(perm.users.copmkp).post(
        links.task_action_url(task, "execute"),
        {"subject_score": "95", "methodical_score": "95", "assessed_on": today(perm.region).isoformat()},
    )
    assert posted.status_code == 200 and "не задан проходной балл" in str(posted.context["form"].errors)
    # and so does the coordinator, on the application page
    detail = client_as(perm.users.rma_coord).get(links.application_url(application.pk))
    assert "не задан проходной балл" in detail.content.decode()


def test_a_region_without_a_settings_row_has_no_pass_mark(perm):
    RmaRegionSettings.objects.filter(region=perm.region).delete()
    assert RmaRegionSettings.for_region(perm.region.pk).pass_marks.missing == [
        "предметные компетенции",
        "методические компетенции",
    ]


def test_a_future_assessment_date_is_refused(perm):
    application = verified(perm)
    with pytest.raises(errors.InvalidInput) as error:
        assess_on(perm, application, today(perm.region) + dt.timedelta(days=1))
    assert "Дата оценки не может быть позже сегодняшнего дня" in str(error.value.errors)


def assess_on(perm, application, day):
    return services.application_assess(
        actor=perm.users.copmkp,
        application=application,
        subject_score=Decimal("95"),
        methodical_score=Decimal("95"),
        assessed_on=day,
    )


def test_the_assessment_date_is_measured_against_the_regions_today_on_the_kits_clock(perm):
    """At 20:00 UTC on 31 March it is already 1 April in Perm (UTC+5): 1 April is accepted, 2 April
    is refused naming the region's today — read through workflows.core.clock, not datetime."""
    application = verified(perm)
    evening = dt.datetime(2026, 3, 31, 20, 0, tzinfo=dt.UTC)
    with clock.set_now(evening):
        with pytest.raises(errors.InvalidInput) as error:
            assess_on(perm, application, dt.date(2026, 4, 2))
        assert error.value.errors == {"assessed_on": ["Дата оценки не может быть позже сегодняшнего дня (01.04.2026)"]}
        application.refresh_from_db()
        assert application.status == Status.DOCUMENTS_VERIFIED and application.assessed_on is None
        assess_on(perm, application, dt.date(2026, 4, 1))
    application.refresh_from_db()
    assert application.assessed_on == dt.date(2026, 4, 1)


class TestTrainingGate:
    def assess(self, perm, application):
        task = open_task(RmaFlow.assess, application)
        return task_complete(
            actor=perm.users.copmkp,
            task_id=task.pk,
            perform=lambda a: services.application_assess(
                actor=perm.users.copmkp,
                application=application,
                subject_score=Decimal("90"),
                methodical_score=Decimal("90"),
                assessed_on=today(perm.region),
            ),
        )

    def test_passed_without_the_course_waits_for_the_certificate(self, perm, client_as):
        RmaRegionSettings.objects.filter(region=perm.region).update(require_methodical_training=True)
        application = verified(perm)
        self.assess(perm, application)
        application.refresh_from_db()
        assert application.status == Status.TRAINING_REQUIRED
        assert application.get_status_display() == "Прошла оценку, требуется ПК в области методической поддержки"
        training = open_task(RmaFlow.training, application)
        assert training.owner == perm.users.rma_coord  # who filed the application
        assert TaskDeadline.objects.get(task_id=training.pk).due_at is not None

        head = client_as(perm.users.rma_coord)
        empty = head.post(links.task_action_url(training, "execute"), {})
        assert empty.status_code == 200
        application.refresh_from_db()
        assert application.status == Status.TRAINING_REQUIRED
        done = head.post(links.task_action_url(training, "execute"), {"methodical_training": pdf("udostoverenie.pdf")})
        assert done.status_code == 302
        application.refresh_from_db()
        assert application.status == Status.QUALIFIED
        assert application.files.filter(kind=FileKind.METHODICAL_TRAINING, is_current=True).count() == 1
        assert open_task(RmaFlow.include, application)

    def test_with_the_certificate_attached_or_the_gate_off_the_candidate_goes_on(self, perm):
        application = verified(perm)
        self.assess(perm, application)
        application.refresh_from_db()
        assert application.status == Status.QUALIFIED  # gate off (the default)

        RmaRegionSettings.objects.filter(region=perm.region).update(require_methodical_training=True)
        files = {**required_files(), FileKind.METHODICAL_TRAINING: pdf("pk.pdf")}
        other = verified(perm, person=perm.persons.kungur_teacher, coordinator=perm.users.kungur_coord, files=files)
        self.assess(perm, other)
        assert RmaApplication.objects.get(pk=other.pk).status == Status.QUALIFIED


def test_the_perm_profile_approves_the_list_in_february_march(perm):
    profile = RegulationProfile.objects.get(region_code="59")
    rule = DeadlineRule.objects.get(profile=profile, code="rma.list_approval")
    assert (rule.kind, rule.month, rule.end_month) == ("month_window", 2, 3)
    assert "003:L1483" in rule.source
