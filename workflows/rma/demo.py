"""РМА applications in the demo region, loaded idempotently by `manage.py load_rma_demo` (after
`load_demo`). Every application goes through the real entry points and services, each step by its
demo user, so the processes, tasks, audit trail and documents are what the UI would have made.

What it puts in place (invented people of orgstructure/demo.py, МАОУ «СОШ № 7» г. Березники):

* three refused applications, one per edge case, each showing its reasons — lapsed высшая
  категория (Кондратьева), 4 years 11 months of experience (Михеев), higher non-pedagogical
  education without retraining (Жданов);
* a member: Щербакова (the `rma_member` user) admitted by an approved list with its приказ;
* a candidate waiting for document verification in `rma_coord`'s inbox (a teacher of another
  Березники school who meets the criteria);
* nobody else: Голубев Максим Юрьевич is left for the walk-through in workflows/rma/README.md —
  `school_head` nominates him in the UI and each demo user takes their step from their inbox.

Idempotency: an application is keyed by its person; a person who already has one is left as they
are (whatever its status), so a second run changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from common.uploads import samples
from orgstructure.demo import EDGE_CASES_BY_KEY, USER_PERSONS_BY_KEY
from orgstructure.models import Membership, Person, Role, Subject
from workflows.core import demo
from workflows.core.calendar import local_date
from workflows.core.deadline_defaults import install_deadline_defaults
from workflows.core.demo import DemoNotLoaded, DemoReport  # noqa: F401  (the command catches DemoNotLoaded)
from workflows.core.roles import sync_all_role_groups

from . import flows, rules, services
from .models import RmaApplication, RmaRegionSettings

REFUSED_CASES = ("lapsed_highest_category", "experience_4_years_11_months", "non_pedagogical_without_retraining")
WALKTHROUGH_PERSON = "turns_35_not_young"  # Голубев Максим Юрьевич: the UI walk-through's candidate
DEMO_PDF = samples.pdf("Demo document (invented)")
DEMO_USERS = ("school_head", "rma_coord", "copmkp", "cnppm", "ministry", "signatory")
OVERDUE_WORKING_DAYS = 3
OVERDUE_ARRIVED_DAYS_AGO = 15


def _files() -> dict:
    return {
        kind: SimpleUploadedFile(f"{kind}.pdf", DEMO_PDF, content_type="application/pdf")
        for kind in ("attestation_order", "diploma", "employment_record")
    }


def _person(fixed) -> Person:
    person = Person.objects.filter(snils=fixed.snils).select_related("organization__region").first()
    if person is None:
        raise DemoNotLoaded(f"Нет демо-педагога «{fixed.name}»: сначала выполните manage.py load_demo")
    return person


def _subjects(person) -> list[Subject]:
    return list(person.subjects.all()) or [Subject.objects.order_by("name").first()]


def _submit(*, actor, person) -> RmaApplication:
    return flows.application_start(actor=actor, person=person, subjects=_subjects(person), files=_files())


def _step(*, actor, artefact, flow_class, perform: Callable):
    return demo.complete_open_task(actor=actor, artefact=artefact, flow_class=flow_class, perform=perform)


def _admit(person, users, today: dt.date) -> None:
    """The whole path for one candidate of the demo school, each step by its demo user, ending with
    a signed list."""
    application = _submit(actor=users["school_head"], person=person)
    _step(
        actor=users["rma_coord"],
        artefact=application,
        flow_class=flows.RmaFlow,
        perform=lambda a: services.application_verify(actor=users["rma_coord"], application=application),
    )
    _step(
        actor=users["copmkp"],
        artefact=application,
        flow_class=flows.RmaFlow,
        perform=lambda a: services.application_assess(
            actor=users["copmkp"],
            application=application,
            subject_score=Decimal("88.5"),
            methodical_score=Decimal("81"),
            assessed_on=today,
            reference="ведомость № 1 (демо)",
        ),
    )
    _step(
        actor=users["cnppm"],
        artefact=application,
        flow_class=flows.RmaFlow,
        perform=lambda a: services.application_include(actor=users["cnppm"], application=application),
    )
    application.refresh_from_db()
    rma_list = application.rma_list
    _step(
        actor=users["ministry"],
        artefact=rma_list,
        flow_class=flows.RmaListFlow,
        perform=lambda a: services.list_send_to_signing(
            actor=users["ministry"], rma_list=rma_list, academic_year=rules.academic_year(today)
        ),
    )
    _step(
        actor=users["signatory"],
        artefact=rma_list,
        flow_class=flows.RmaListFlow,
        perform=lambda a: services.list_approve(actor=users["signatory"], rma_list=rma_list),
    )


def _verification_candidate(region, demo_school, exclude_ids) -> Person | None:
    """A teacher of another Березники school who meets the criteria today (deterministic: the
    first by СНИЛС)."""
    today = local_date(timezone.now(), region.timezone)
    criteria = RmaRegionSettings.for_region(region.pk).criteria
    queryset = (
        Person.objects.filter(
            organization__region=region, organization__municipality__name="Березники", category="highest"
        )
        .exclude(pk__in=exclude_ids)
        .exclude(organization=demo_school)
        .select_related("organization")
        .order_by("snils")
    )
    for person in queryset[:200]:
        if not rules.formal_check(person, today, criteria):
            return person
    return None


def _age_verification(application, region) -> None:
    """Demo history: this application's document check arrived two weeks ago and its due date
    passed OVERDUE_WORKING_DAYS working days ago, so that the inbox, the overdue page and the
    reminder scan (beat) have a real overdue task to show."""
    demo.age_task(
        demo.open_task(flows.RmaFlow, application),
        arrived_days_ago=OVERDUE_ARRIVED_DAYS_AGO,
        overdue_working_days=OVERDUE_WORKING_DAYS,
        tz=region.timezone,
    )


DEMO_PASS_MARKS = {"subject_pass_mark": 70, "methodical_pass_mark": 70}


def _coordinator_contacts(region) -> None:
    """Invented positions and phones of the demo region's municipal РМА coordinators (Приложение 2
    of the приказ lists them); set once, never over what an administrator entered."""
    coordinators = Membership.objects.filter(
        role=Role.RMA_MUNI_COORDINATOR, organization__region=region, phone=""
    ).order_by("id")
    for n, membership in enumerate(coordinators, start=1):
        membership.position = membership.position or "главный специалист управления образования"
        membership.phone = f"8 (3424) 00-10-{n:02d}"
        membership.save(update_fields=["position", "phone"])


def load_rma_demo() -> DemoReport:
    report = DemoReport(title="РМА", what="демо-заявки РМА")
    region = demo.demo_region()
    report.rules_created = install_deadline_defaults(region_code=region.code, process_code="rma")
    # The seeds give no pass mark; the demo region sets its own, explicitly (invented: 70 % each).
    RmaRegionSettings.objects.get_or_create(region=region, defaults=DEMO_PASS_MARKS)
    _coordinator_contacts(region)
    sync_all_role_groups()
    users = demo.demo_users(*DEMO_USERS)
    today = local_date(timezone.now(), region.timezone)

    def once(person, label, make):
        report.once(label, done=lambda: RmaApplication.objects.filter(person=person).exists(), make=make)

    for key in REFUSED_CASES:
        fixed = EDGE_CASES_BY_KEY[key]
        person = _person(fixed)
        once(
            person,
            f"отказ: {fixed.name} ({fixed.description})",
            lambda person=person: _submit(actor=users["school_head"], person=person),
        )

    member = _person(USER_PERSONS_BY_KEY["rma_member"])
    once(member, f"член РМА по утверждённому списку: {member.full_name}", lambda: _admit(member, users, today))

    # The candidate is the one application `rma_coord` files in the demo: keyed by that.
    candidate = RmaApplication.objects.filter(submitted_by=users["rma_coord"]).select_related("person").first()
    if candidate is not None:
        report.existing.append(f"кандидат, выдвинутый rma_coord: {candidate.person.full_name}")
    else:
        walkthrough = _person(EDGE_CASES_BY_KEY[WALKTHROUGH_PERSON])
        taken = set(RmaApplication.objects.values_list("person_id", flat=True)) | {walkthrough.pk}
        person = _verification_candidate(region, walkthrough.organization, taken)
        if person is not None:
            once(
                person,
                f"на проверке документов у rma_coord: {person.full_name}",
                lambda: _submit(actor=users["rma_coord"], person=person),
            )
    # A second candidate of rma_coord whose document check is overdue (see _age_verification).
    if RmaApplication.objects.filter(submitted_by=users["rma_coord"]).count() >= 2:
        report.existing.append("просроченная проверка документов у rma_coord")
    elif RmaApplication.objects.filter(submitted_by=users["rma_coord"]).exists():
        walkthrough = _person(EDGE_CASES_BY_KEY[WALKTHROUGH_PERSON])
        taken = set(RmaApplication.objects.values_list("person_id", flat=True)) | {walkthrough.pk}
        person = _verification_candidate(region, walkthrough.organization, taken)
        if person is not None:

            def overdue():
                application = _submit(actor=users["rma_coord"], person=person)
                _age_verification(application, region)

            once(person, f"просрочена проверка документов у rma_coord: {person.full_name}", overdue)
    return report
