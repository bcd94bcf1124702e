"""The artefact services: the formal check at submission (each refusal with its facts), the roles
that may act, the coordinator's override, the assessment's pass marks, one open application per
person, and exactly one audit event per transition."""

import datetime as dt
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, transaction

from common import errors
from documents.models import IssuedDocument
from orgstructure.models import EducationLevel, QualificationCategory
from tests.factories import make_person
from workflows.core.models import AuditEvent
from workflows.rma import flows, services
from workflows.rma.models import RmaApplication, RmaRegionSettings, Status

from .conftest import required_files, today

pytestmark = pytest.mark.django_db


def submit(perm, person, actor=None, **kwargs):
    return flows.application_start(
        actor=actor or perm.users.school_head,
        person=person,
        subjects=[perm.subjects.math],
        files=required_files(),
        **kwargs,
    )


def events(application):
    return list(AuditEvent.objects.for_object(application).values_list("event", "from_state", "to_state"))


class TestRefusalsAtSubmission:
    def test_category_lapsed_the_day_before_is_refused(self, perm):
        day = today(perm.region)
        person = make_person(perm.orgs.school, category_valid_until=day - dt.timedelta(days=1))
        application = submit(perm, person)
        assert application.status == Status.REJECTED
        (refusal,) = application.refusal_list
        assert refusal.code == "category_expired"
        assert f"действовала до {(day - dt.timedelta(days=1)):%d.%m.%Y}" in refusal.message

    def test_category_valid_through_the_check_day_passes(self, perm):
        person = make_person(perm.orgs.school, category_valid_until=today(perm.region))
        assert submit(perm, person).status == Status.ELIGIBLE

    def test_exactly_five_years_on_the_day_passes_and_4_years_11_months_is_refused(self, perm):
        day = today(perm.region)
        five = make_person(perm.orgs.school, specialty_experience_since=day - relativedelta(years=5))
        assert submit(perm, five).status == Status.ELIGIBLE
        short = make_person(perm.orgs.school, specialty_experience_since=day - relativedelta(years=4, months=11))
        application = submit(perm, short)
        assert application.status == Status.REJECTED
        assert application.refusals == [
            {
                "code": "experience_too_short",
                "message": f"стаж по специальности 4 года 11 месяцев на {day:%d.%m.%Y}, требуется не менее 5 лет",
            }
        ]

    def test_non_pedagogical_education_is_refused_and_retraining_counts_where_the_region_says(self, perm):
        person = make_person(perm.orgs.school, education_is_pedagogical=False, has_pedagogical_retraining=True)
        refused = submit(perm, person)
        assert [r["code"] for r in refused.refusals] == ["education_not_pedagogical"]
        RmaRegionSettings.objects.filter(region=perm.region).update(accept_pedagogical_retraining=True)
        other = make_person(perm.orgs.school, education_is_pedagogical=False, has_pedagogical_retraining=True)
        assert submit(perm, other).status == Status.ELIGIBLE

    def test_secondary_vocational_is_refused(self, perm):
        person = make_person(perm.orgs.school, education_level=EducationLevel.SECONDARY_VOCATIONAL)
        assert [r["code"] for r in submit(perm, person).refusals] == ["education_not_higher"]

    def test_refusal_writes_two_events_and_queues_a_notice(self, perm, django_capture_on_commit_callbacks):
        person = make_person(perm.orgs.school, category=QualificationCategory.FIRST)
        with django_capture_on_commit_callbacks(execute=True):
            application = submit(perm, person)
        assert events(application)[:2] == [
            ("rma.nominated", "", "submitted"),
            ("rma.refused", "submitted", "rejected"),
        ]
        notice = IssuedDocument.objects.get(kind="rma_refusal")
        assert notice.organization == perm.orgs.cnppmpr and notice.person == person
        assert notice.title == f"Уведомление об отказе во включении в состав РМА: {person.full_name}"


class TestWhoMaySubmit:
    def test_teacher_only_for_themselves(self, perm):
        with pytest.raises(errors.ActionForbidden):
            submit(perm, perm.persons.eligible, actor=perm.users.teacher)
        application = submit(perm, perm.persons.teacher, actor=perm.users.teacher)
        assert application.kind == "application"

    def test_school_head_only_in_their_school_and_coordinator_in_their_municipality(self, perm):
        with pytest.raises(errors.ActionForbidden):
            submit(perm, perm.persons.kungur_teacher, actor=perm.users.school_head)
        with pytest.raises(errors.ActionForbidden):
            submit(perm, perm.persons.kungur_teacher, actor=perm.users.rma_coord)
        assert submit(perm, perm.persons.kungur_teacher, actor=perm.users.kungur_coord).kind == "nomination"

    def test_one_open_application_per_person(self, perm):
        submit(perm, perm.persons.eligible)
        with pytest.raises(errors.ActionError, match="уже есть незавершённая заявка"):
            submit(perm, perm.persons.eligible, actor=perm.users.rma_coord)

    def test_the_database_refuses_a_second_open_application_too(self, perm):
        first = submit(perm, perm.persons.eligible)
        with pytest.raises(IntegrityError), transaction.atomic():
            RmaApplication.objects.create(
                person=first.person, kind="nomination", submitted_by=perm.users.rma_coord, check_date=first.check_date
            )

    def test_after_a_refusal_the_person_may_apply_again(self, perm):
        person = make_person(perm.orgs.school, category=QualificationCategory.FIRST)
        assert submit(perm, person).status == Status.REJECTED
        person.category = QualificationCategory.HIGHEST
        person.save()
        assert submit(perm, person).status == Status.ELIGIBLE

    def test_all_three_files_are_required(self, perm):
        files = required_files()
        del files["employment_record"]
        with pytest.raises(errors.InvalidInput) as error:
            flows.application_start(
                actor=perm.users.school_head, person=perm.persons.eligible, subjects=[perm.subjects.math], files=files
            )
        assert error.value.errors == {
            "employment_record": ["Приложите документ: трудовая книжка (сведения о трудовой деятельности)"]
        }


class TestOverride:
    def test_coordinator_overrides_with_a_written_reason(self, perm):
        person = make_person(perm.orgs.school, category=QualificationCategory.FIRST)
        application = submit(perm, person)
        with pytest.raises(errors.InvalidInput):
            flows.application_override_start(actor=perm.users.rma_coord, application=application, reason="да")
        flows.application_override_start(
            actor=perm.users.rma_coord,
            application=application,
            reason="Аттестация на высшую категорию пройдена, приказ ожидается (протокол № 12)",
        )
        application.refresh_from_db()
        assert application.status == Status.ELIGIBLE and application.overridden_by == perm.users.rma_coord
        assert events(application)[-1] == ("rma.overridden", "rejected", "eligible")
        verify = flows.RmaFlow.verify
        from viewflow.workflow.models import Task

        assert Task.objects.filter(flow_task=verify, status="ASSIGNED", owner=perm.users.rma_coord).count() == 1

    def test_only_a_coordinator_in_scope_may_override(self, perm):
        application = submit(perm, make_person(perm.orgs.school, category=QualificationCategory.FIRST))
        for user in (perm.users.school_head, perm.users.kungur_coord, perm.users.copmkp):
            with pytest.raises(errors.ActionForbidden):
                services.application_override(
                    actor=user, application=application, reason="достаточно длинное основание"
                )
        services.application_override(actor=perm.users.cnppm, application=application, reason="решение ЦНППМПР № 5")


class TestAssessmentAndTransitions:
    def verified(self, perm):
        application = submit(perm, perm.persons.eligible)
        return services.application_verify(actor=perm.users.rma_coord, application=application)

    def test_pass_mark_is_inclusive_and_configurable(self, perm):
        application = self.verified(perm)
        assessed = services.application_assess(
            actor=perm.users.copmkp,
            application=application,
            subject_score=Decimal("70"),
            methodical_score=Decimal("70"),
            assessed_on=today(perm.region),
        )
        assert assessed.status == Status.QUALIFIED

    def test_a_score_below_the_pass_mark_fails_with_the_facts(self, perm):
        RmaRegionSettings.objects.filter(region=perm.region).update(methodical_pass_mark=Decimal("75"))
        application = self.verified(perm)
        assessed = services.application_assess(
            actor=perm.users.copmkp,
            application=application,
            subject_score=Decimal("90"),
            methodical_score=Decimal("74.5"),
            assessed_on=today(perm.region),
        )
        assert assessed.status == Status.ASSESSMENT_FAILED
        assert events(assessed)[-1][0] == "rma.assessment_failed"
        failed = AuditEvent.objects.for_object(assessed).last()
        assert failed.comment == "методические компетенции: 74,5 % при проходном балле 75 %"

    def test_the_role_must_reach_the_application(self, perm):
        application = submit(perm, perm.persons.eligible)
        with pytest.raises(errors.ActionForbidden):
            services.application_verify(actor=perm.users.kungur_coord, application=application)
        with pytest.raises(errors.ActionForbidden):
            services.application_verify(actor=perm.users.copmkp, application=application)
        with pytest.raises(errors.ActionError, match="Действие невозможно"):
            services.application_assess(
                actor=perm.users.copmkp,
                application=application,
                subject_score=Decimal("90"),
                methodical_score=Decimal("90"),
                assessed_on=today(perm.region),
            )

    def test_return_needs_a_comment_and_a_future_due_date(self, perm):
        application = submit(perm, perm.persons.eligible)
        with pytest.raises(errors.InvalidInput):
            services.application_return(actor=perm.users.rma_coord, application=application, comment=" ")
        with pytest.raises(errors.InvalidInput):
            services.application_return(
                actor=perm.users.rma_coord, application=application, comment="исправить", due_date=today(perm.region)
            )


def test_each_service_writes_exactly_one_event_per_transition(perm):
    """Count audit rows around every transition of the path (no extra, none missing)."""
    application = submit(perm, perm.persons.eligible)
    calls = [
        (
            ["rma.returned"],
            lambda: services.application_return(
                actor=perm.users.rma_coord, application=application, comment="Нужна копия диплома"
            ),
        ),
        (
            ["rma.resubmitted", "rma.formal_check_passed"],
            lambda: services.application_resubmit(actor=perm.users.school_head, application=application),
        ),
        (["rma.verified"], lambda: services.application_verify(actor=perm.users.rma_coord, application=application)),
        (
            ["rma.assessment_passed"],
            lambda: services.application_assess(
                actor=perm.users.copmkp,
                application=application,
                subject_score=80,
                methodical_score=80,
                assessed_on=today(perm.region),
            ),
        ),
        (["rma.included"], lambda: services.application_include(actor=perm.users.cnppm, application=application)),
    ]
    for expected, call in calls:
        before = AuditEvent.objects.count()
        seen = AuditEvent.objects.for_object(application).count()
        call()
        written = list(AuditEvent.objects.for_object(application))[seen:]
        assert [event.event for event in written] == expected
        # nothing else written (the list opened by the inclusion has its own single event)
        assert AuditEvent.objects.count() - before == len(expected) + (1 if expected == ["rma.included"] else 0)


class TestRefusalLetterPrivacy:
    """152-ФЗ: an РМА member of the same school or municipality listed colleagues' refusal letters
    under «Документы» (the letter followed the generic document scope, not the application's)."""

    def test_only_those_who_handle_the_application_see_its_refusal(
        self, perm, client_as, django_capture_on_commit_callbacks
    ):
        from django.urls import reverse

        from documents.selectors import issued_document_list
        from orgstructure.models import Role
        from tests.factories import make_user

        person = make_person(perm.orgs.school, category=QualificationCategory.FIRST)
        with django_capture_on_commit_callbacks(execute=True):
            submit(perm, person)
        notice = IssuedDocument.objects.get(kind="rma_refusal")
        colleague = make_person(perm.orgs.school, last_name="Коллегова")
        member = make_user(
            "rma_member_colleague", role=Role.RMA_MEMBER, organization=perm.orgs.school, person=colleague
        )
        assert not issued_document_list(user=member).filter(pk=notice.pk).exists()
        assert client_as(member).get(reverse("documents:download", args=[notice.pk])).status_code == 404
        for handler in (perm.users.school_head, perm.users.rma_coord):
            assert issued_document_list(user=handler).filter(pk=notice.pk).exists()
        applicant = make_user("refused_applicant", role=Role.TEACHER, organization=perm.orgs.school, person=person)
        assert client_as(applicant).get(reverse("documents:download", args=[notice.pk])).status_code == 200
