"""Admission to the regional methodical asset (РМА): the application (the artefact, with its legal
status as an FSM), its supporting files, the batch list approved by one приказ, and the region's
reading of the regulation.

The status machine (DOMAIN.md §2(d)); each arrow is one `@transition` whose `conditions` are the
regulation and whose `permission` is the role (permissions.py), fired only from services.py::

    SUBMITTED ──pass_formal_check──▶ ELIGIBLE ──verify──▶ DOCUMENTS_VERIFIED ──pass_assessment──▶ QUALIFIED
        │                              │  ▲                        │                                  │
        └─refuse─▶ REJECTED ─override─┘  │                        └─fail_assessment─▶ ASSESSMENT_FAILED
                                          │                                                           │
                    return_for_corrections▼  resubmit (▶ SUBMITTED)                         include ▼
                                       RETURNED ──withdraw──▶ WITHDRAWN                     IN_DRAFT_LIST
                                                                                                   │ admit (batch)
                              EXCLUDED ◀─exclude─ UNDER_REVIEW ◀─flag_lapsed─ ADMITTED ◀──────────┘
                                                       └──────confirm──────────▶

An application is «open» from submission until the person is admitted or the application ends;
a person has at most one open application (a partial unique constraint).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from viewflow.workflow.models import Process

from common.uploads import storage as upload_storage
from orgstructure.access import Handler, Level
from orgstructure.memberships import MembershipEvent
from orgstructure.models import Person, Region, Role, Subject
from workflows.core.state import register_events

from . import permissions, rules
from .rules import RmaCriteria


@register_events
class RmaEvent(models.TextChoices):
    """What the history of an application or a list records (workflows.core.state.fire)."""

    SUBMITTED = "rma.submitted", "Подано заявление"
    NOMINATED = "rma.nominated", "Кандидат выдвинут"
    FORMAL_CHECK_PASSED = "rma.formal_check_passed", "Формальные критерии выполнены"
    REFUSED = "rma.refused", "Отказ: формальные критерии не выполнены"
    OVERRIDDEN = "rma.overridden", "Допуск вопреки критериям"
    REFUSAL_SUPERSEDED = "rma.refusal_superseded", "Уведомление об отказе утратило силу"
    VERIFIED = "rma.verified", "Документы подтверждены"
    RETURNED = "rma.returned", "Возвращена на доработку"
    RESUBMITTED = "rma.resubmitted", "Отправлена повторно"
    WITHDRAWN = "rma.withdrawn", "Отозвана"
    ASSESSMENT_PASSED = "rma.assessment_passed", "Оценка компетенций пройдена"
    ASSESSMENT_FAILED = "rma.assessment_failed", "Оценка компетенций не пройдена"
    ASSESSMENT_REFERENCED = "rma.assessment_referenced", "Результат внесён в ведомость оценки"
    TRAINING_REQUIRED = "rma.training_required", "Требуется ПК в области методической поддержки"
    TRAINING_CONFIRMED = "rma.training_confirmed", "Удостоверение о ПК загружено"
    INCLUDED = "rma.included", "Включена в проект списка"
    ADMITTED = "rma.admitted", "Включена в РМА приказом"
    HELD_BACK = "rma.held_back", "Не включена в приказ: критерии не выполнены на дату приказа"
    REMOVED_FROM_LIST = "rma.removed_from_list", "Исключена из проекта списка"
    FLAGGED = "rma.flagged", "Членство на перепроверке"
    MEMBERSHIP_CONFIRMED = "rma.membership_confirmed", "Членство подтверждено"
    EXCLUDED = "rma.excluded", "Исключена из РМА"
    DOCUMENT_ISSUED = "rma.document_issued", "Выпущен документ"
    CRITERIA_STATEMENT_REQUESTED = "rma.criteria_statement_requested", "Запрошена справка о соответствии критериям"
    DOCUMENT_REQUEUED = "rma.document_requeued", "Справка поставлена на повторный выпуск"
    DOCUMENT_FAILED = "rma.document_failed", "Документ не выпущен"
    LIST_OPENED = "rma_list.opened", "Открыт проект списка"
    LIST_SENT_TO_SIGNING = "rma_list.sent_to_signing", "Направлен на подпись"
    LIST_RETURNED = "rma_list.returned", "Возвращён на доработку"
    LIST_APPROVED = "rma_list.approved", "Утверждён приказом"


register_events(MembershipEvent)  # the role «Член РМА» granted and taken with the register


class Status(models.TextChoices):
    SUBMITTED = "submitted", "Подана"
    REJECTED = "rejected", "Отказано: не соответствует критериям"
    ELIGIBLE = "eligible", "Соответствует критериям, проверка документов"
    RETURNED = "returned", "Возвращена на доработку"
    DOCUMENTS_VERIFIED = "documents_verified", "Документы проверены, ожидает оценки компетенций"
    ASSESSMENT_FAILED = "assessment_failed", "Не прошла оценку компетенций"
    TRAINING_REQUIRED = "training_required", "Прошла оценку, требуется ПК в области методической поддержки"
    QUALIFIED = "qualified", "Прошла оценку, ожидает включения в список"
    IN_DRAFT_LIST = "in_draft_list", "Включена в проект списка РМА"
    ADMITTED = "admitted", "Член РМА"
    UNDER_REVIEW = "under_review", "Член РМА: членство на перепроверке"
    EXCLUDED = "excluded", "Исключена из РМА"
    WITHDRAWN = "withdrawn", "Отозвана"
    REMOVED_FROM_LIST = "removed_from_list", "Исключена из проекта списка до подписания приказа"


# Until one of these is reached, the person may not file another application.
OPEN_STATUSES = (
    Status.SUBMITTED,
    Status.ELIGIBLE,
    Status.RETURNED,
    Status.DOCUMENTS_VERIFIED,
    Status.TRAINING_REQUIRED,
    Status.QUALIFIED,
    Status.IN_DRAFT_LIST,
)
# «Список РМА»: current members (a flagged member stays one until the coordinator decides).
MEMBER_STATUSES = (Status.ADMITTED, Status.UNDER_REVIEW)


class ApplicationKind(models.TextChoices):
    APPLICATION = "application", "Заявление педагога"
    NOMINATION = "nomination", "Выдвижение"


class RmaRegionSettings(models.Model):
    """A region's reading of the regulation (DOMAIN.md §3, A9–A10). The three criteria of 003:L953
    come from the Perm 2023 edition; Rostov admits by the assessment alone (000:L292–296), so each
    criterion switches on or off per region. The seeds give no pass mark (81 of 111 passed in
    Rostov, 000:L294, is an outcome, not a rule): none is invented here — until the region sets
    both, results of the assessment cannot be entered. The ПК gate «прошедших … повышение
    квалификации в области методической поддержки» (003:L763) is a regional option. A region
    without a row checks the three criteria and has no pass mark."""

    region = models.OneToOneField(Region, on_delete=models.CASCADE, related_name="rma_settings")
    check_category = models.BooleanField(
        "критерий: высшая квалификационная категория", default=True, help_text="003:L953"
    )
    check_education = models.BooleanField(
        "критерий: высшее педагогическое образование", default=True, help_text="003:L953"
    )
    check_experience = models.BooleanField("критерий: стаж работы по специальности", default=True, help_text="003:L953")
    accept_pedagogical_retraining = models.BooleanField(
        "засчитывать переподготовку по педагогическому профилю",
        default=False,
        help_text="высшее непедагогическое образование + профессиональная переподготовка считается "
        "высшим педагогическим",
    )
    min_specialty_years = models.PositiveSmallIntegerField(
        "стаж по специальности, не менее (лет)", default=5, validators=[MinValueValidator(1)]
    )
    subject_pass_mark = models.DecimalField(
        "проходной балл: предметные компетенции, %",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="в источниках не установлен; пока не задан, результаты оценки внести нельзя",
    )
    methodical_pass_mark = models.DecimalField(
        "проходной балл: методические компетенции, %",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="в источниках не установлен; пока не задан, результаты оценки внести нельзя",
    )
    require_methodical_training = models.BooleanField(
        "допуск только после ПК в области методической поддержки",
        default=False,
        help_text="003:L763: прошедший оценку кандидат без удостоверения о повышении квалификации "
        "получает статус «требуется ПК» и продолжает путь, когда удостоверение загружено",
    )
    order_basis = models.TextField(
        "основание приказа",
        blank=True,
        help_text="в творительном падеже, как в преамбуле: «Концепцией …, утвержденной приказом … от … № …»; "
        "пусто — формулировка по умолчанию",
    )

    SCOPE_PATHS = {"region": "region_id"}

    class Meta:
        verbose_name = "настройки РМА региона"
        verbose_name_plural = "настройки РМА регионов"

    def __str__(self):
        return f"РМА: {self.region}"

    @classmethod
    def for_region(cls, region_id) -> RmaRegionSettings:
        return cls.objects.filter(region_id=region_id).first() or cls(region_id=region_id)

    @property
    def criteria(self) -> RmaCriteria:
        return RmaCriteria(
            min_specialty_years=self.min_specialty_years,
            accept_pedagogical_retraining=self.accept_pedagogical_retraining,
            check_category=self.check_category,
            check_education=self.check_education,
            check_experience=self.check_experience,
        )

    @property
    def pass_marks(self) -> rules.PassMarks:
        return rules.PassMarks(subject=self.subject_pass_mark, methodical=self.methodical_pass_mark)


class ListStatus(models.TextChoices):
    DRAFT = "draft", "Проект: идёт включение кандидатов"
    SIGNING = "signing", "На подписании"
    REVISION = "revision", "Возвращён на доработку"
    APPROVED = "approved", "Утверждён приказом"


class RmaList(ConcurrentTransitionMixin, models.Model):
    """A batch: the draft list of a region, approved by one приказ (DOC-1). While DRAFT it takes
    new candidates; once sent for signature it is closed and the next candidate opens a new one."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="rma_lists")
    status = FSMField("статус", max_length=20, choices=ListStatus.choices, default=ListStatus.DRAFT, protected=True)
    academic_year = models.CharField("учебный год", max_length=9, blank=True, help_text="например 2026/2027")
    basis = models.TextField("основание приказа", blank=True)
    return_comment = models.TextField("замечания подписанта", blank=True)
    order = models.ForeignKey(
        "documents.IssuedDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="приказ",
    )
    order_number = models.CharField("номер приказа", max_length=64, blank=True)
    order_date = models.DateField("дата приказа", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("создан", auto_now_add=True)
    updated_at = models.DateTimeField("изменён", auto_now=True)

    SCOPE_PATHS = {"region": "region_id"}

    class Meta:
        verbose_name = "список РМА (пакет)"
        verbose_name_plural = "списки РМА (пакеты)"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["region"], condition=Q(status="draft"), name="rma_list_one_draft_per_region"
            )
        ]

    def __str__(self):
        if self.order_number:
            return f"Список РМА: приказ от {self.order_date:%d.%m.%Y} № {self.order_number}"
        return f"Проект списка РМА № {self.pk} ({self.get_status_display().lower()})"

    @transition(
        field=status,
        source=[ListStatus.DRAFT, ListStatus.REVISION],
        target=ListStatus.SIGNING,
        conditions=[rules.list_has_members],
        permission=permissions.can_prepare_list,
    )
    def send_to_signing(self):
        """The ministry officer closes the list and sends the draft приказ for signature."""

    @transition(
        field=status, source=ListStatus.SIGNING, target=ListStatus.REVISION, permission=permissions.can_approve_list
    )
    def return_to_revision(self):
        """The signatory returns the draft to the officer with remarks."""

    @transition(
        field=status,
        source=ListStatus.SIGNING,
        target=ListStatus.APPROVED,
        conditions=[rules.list_has_members],
        permission=permissions.can_approve_list,
    )
    def approve(self):
        """The signatory approves: one приказ for every member (services.list_approve)."""


class RmaApplication(ConcurrentTransitionMixin, models.Model):
    """A teacher's application (or a nomination) for admission to the РМА. Saves are conditional on
    the status read (ConcurrentTransitionMixin): two concurrent transitions from the same status
    cannot both commit."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="rma_applications", verbose_name="педагог"
    )
    subjects = models.ManyToManyField(Subject, related_name="rma_applications", verbose_name="предметы (направления)")
    kind = models.CharField("вид", max_length=16, choices=ApplicationKind.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="подал"
    )
    status = FSMField("статус", max_length=32, choices=Status.choices, default=Status.SUBMITTED, protected=True)
    check_date = models.DateField("дата проверки критериев", help_text="дата, на которую проверены критерии")
    refusals = models.JSONField(
        "причины отказа", default=list, blank=True, help_text="[{code, message}] последней формальной проверки"
    )
    override_reason = models.TextField("основание допуска вопреки критериям", blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    overridden_at = models.DateTimeField("допущена вопреки критериям", null=True, blank=True)
    return_comment = models.TextField("замечания координатора", blank=True)
    correction_due = models.DateField("доработать до", null=True, blank=True)
    subject_score = models.DecimalField(
        "предметные компетенции, %",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    methodical_score = models.DecimalField(
        "методические компетенции, %",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    subject_pass_mark = models.DecimalField(
        "проходной балл (предметные), %",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="действовавший на дату оценки",
    )
    methodical_pass_mark = models.DecimalField(
        "проходной балл (методические), %",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="действовавший на дату оценки",
    )
    assessed_on = models.DateField("дата оценки", null=True, blank=True)
    assessment_reference = models.CharField("протокол (ведомость) оценки", max_length=200, blank=True)
    rma_list = models.ForeignKey(
        RmaList, on_delete=models.PROTECT, null=True, blank=True, related_name="applications", verbose_name="список"
    )
    admitted_on = models.DateField("включена в РМА", null=True, blank=True)
    excluded_reason = models.TextField("основание исключения", blank=True)
    removal_reason = models.TextField("основание исключения из проекта списка", blank=True)
    submitted_at = models.DateTimeField("подана", auto_now_add=True)
    updated_at = models.DateTimeField("изменена", auto_now=True)

    SCOPE_PATHS = {
        "region": "person__organization__region_id",
        "municipality": "person__organization__municipality_id",
        "organization": "person__organization_id",
        "person": "person_id",
    }
    # Who handles an application (152-ФЗ: it holds СНИЛС-linked diplomas, the трудовая книжка,
    # refusal reasons): the applicant and whoever filed it (scope_also), the school head, the
    # municipal РМА coordinator of that municipality, and each regional body while the
    # application is at its step or in its register. Anyone else — an РМА member, the municipal
    # authority, ЦНППМПР's methodists — sees it only where a task on it is theirs (scope_also).
    SCOPE_HANDLERS = {
        Role.TEACHER: Handler(Level.PERSON),
        Role.SCHOOL_HEAD: Handler(Level.ORGANIZATION),
        Role.RMA_MUNI_COORDINATOR: Handler(Level.MUNICIPALITY),
        Role.COPMKP_ASSESSOR: Handler(
            Level.REGION, when=Q(status=Status.DOCUMENTS_VERIFIED) | Q(assessed_on__isnull=False)
        ),
        Role.CNPPM_COORDINATOR: Handler(
            Level.REGION,
            when=Q(status__in=[Status.REJECTED, Status.QUALIFIED, Status.IN_DRAFT_LIST, Status.EXCLUDED])
            | Q(status__in=MEMBER_STATUSES)
            | Q(overridden_at__isnull=False),
        ),
        Role.MINISTRY_OFFICER: Handler(Level.REGION, when=Q(rma_list__isnull=False)),
        Role.MINISTRY_SIGNATORY: Handler(Level.REGION, when=Q(rma_list__isnull=False)),
    }

    class Meta:
        verbose_name = "заявка в РМА"
        verbose_name_plural = "заявки в РМА"
        ordering = ["-submitted_at", "-id"]
        permissions = [
            ("submit_application", "Может подавать заявления и выдвигать кандидатов в РМА"),
            ("verify_documents", "Может проверять документы кандидатов в РМА"),
            ("override_formal_check", "Может допускать кандидата в РМА вопреки формальным критериям"),
            ("assess_competencies", "Может вносить результаты оценки компетенций кандидатов в РМА"),
            ("include_in_list", "Может включать кандидатов в проект списка РМА"),
            ("prepare_list", "Может готовить приказ об утверждении списка РМА"),
            ("approve_list", "Может утверждать список РМА"),
            ("review_membership", "Может перепроверять членство в РМА"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status__in=[str(s) for s in OPEN_STATUSES]),
                name="rma_application_one_open_per_person",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "id"], name="rma_app_status"),
            models.Index(fields=["rma_list", "status"], name="rma_app_list_status"),
        ]

    CHANGED_MESSAGE = "Заявка уже изменена другим пользователем: обновите страницу"

    def __str__(self):
        return f"Заявка в РМА № {self.pk}: {self.person}"

    @staticmethod
    def scope_also(user) -> Q:
        from workflows.core.flowkit import tasked_artefacts

        # The applicant through a join, not by reading the user's person record: a page that
        # only filters (the documents list) asks no extra query for it.
        return Q(submitted_by=user) | Q(person__user=user) | Q(pk__in=tasked_artefacts(user, RmaApplication))

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def status_text(self) -> str:
        """The status as an official reads it: an overridden refusal says so, with its basis,
        instead of «Соответствует критериям»."""
        if not self.override_reason or self.status == Status.REJECTED:
            return self.get_status_display()
        overridden = f"допущен вопреки критериям (основание: {self.override_reason})"
        if self.status == Status.ELIGIBLE:
            return f"Допущен вопреки критериям (основание: {self.override_reason}), проверка документов"
        return f"{self.get_status_display()}; {overridden}"

    @property
    def refusal_list(self) -> list[rules.Refusal]:
        return [rules.Refusal(item["code"], item["message"]) for item in self.refusals]

    # --- transitions (fired by services.py only) ------------------------------------------------

    @transition(field=status, source=Status.SUBMITTED, target=Status.ELIGIBLE, conditions=[rules.has_no_refusals])
    def pass_formal_check(self):
        """The automatic check found every criterion met (refusals computed by the service)."""

    @transition(field=status, source=Status.SUBMITTED, target=Status.REJECTED, conditions=[rules.has_refusals])
    def refuse(self):
        """The automatic check refused: reasons are in `refusals`, a справка об отказе follows."""

    @transition(
        field=status,
        source=Status.REJECTED,
        target=Status.ELIGIBLE,
        conditions=[rules.has_override_reason],
        permission=permissions.can_override,
    )
    def override(self):
        """A coordinator admits the candidate to the next steps despite the refusal, with a written
        reason (audited, shown on the list)."""

    @transition(
        field=status, source=Status.ELIGIBLE, target=Status.DOCUMENTS_VERIFIED, permission=permissions.can_verify
    )
    def verify(self):
        """The municipal coordinator confirms the supporting documents."""

    @transition(
        field=status,
        source=Status.ELIGIBLE,
        target=Status.RETURNED,
        conditions=[rules.has_return_comment],
        permission=permissions.can_verify,
    )
    def return_for_corrections(self):
        """The municipal coordinator returns the application with remarks and a due date."""

    @transition(field=status, source=Status.RETURNED, target=Status.SUBMITTED, permission=permissions.can_correct)
    def resubmit(self):
        """The applicant sends the corrected application: the formal check runs again."""

    @transition(
        field=status,
        source=[Status.RETURNED, Status.ELIGIBLE],
        target=Status.WITHDRAWN,
        permission=permissions.can_correct,
    )
    def withdraw(self):
        """The applicant (or the nominator) withdraws the application."""

    @transition(
        field=status,
        source=Status.DOCUMENTS_VERIFIED,
        target=Status.QUALIFIED,
        conditions=[rules.assessment_passed],
        permission=permissions.can_assess,
    )
    def pass_assessment(self):
        """ЦОПМКП enters scores at or above both pass marks of the region."""

    @transition(
        field=status,
        source=Status.DOCUMENTS_VERIFIED,
        target=Status.TRAINING_REQUIRED,
        conditions=[rules.assessment_passed],
        permission=permissions.can_assess,
    )
    def require_training(self):
        """Passed, but the region admits only after ПК in methodical support (003:L763) and no
        certificate is attached yet."""

    @transition(
        field=status,
        source=Status.TRAINING_REQUIRED,
        target=Status.QUALIFIED,
        conditions=[rules.has_training_certificate],
        permission=permissions.can_correct,
    )
    def confirm_training(self):
        """The certificate of the course is uploaded: the candidate goes on to the list."""

    @transition(
        field=status,
        source=Status.DOCUMENTS_VERIFIED,
        target=Status.ASSESSMENT_FAILED,
        conditions=[rules.assessment_failed],
        permission=permissions.can_assess,
    )
    def fail_assessment(self):
        """ЦОПМКП enters scores below a pass mark."""

    @transition(field=status, source=Status.QUALIFIED, target=Status.IN_DRAFT_LIST, permission=permissions.can_include)
    def include(self):
        """The ЦНППМПР coordinator puts the candidate on the region's draft list."""

    @transition(
        field=status,
        source=Status.IN_DRAFT_LIST,
        target=Status.ADMITTED,
        conditions=[rules.list_is_approved],
        permission=permissions.can_approve_list,
    )
    def admit(self):
        """The list is approved by приказ: the candidate becomes a member (in a batch)."""

    @transition(
        field=status,
        source=Status.IN_DRAFT_LIST,
        target=Status.REJECTED,
        conditions=[rules.has_refusals],
        permission=permissions.can_approve_list,
    )
    def hold_back(self):
        """On the day of the приказ the candidate no longer meets the formal criteria (e.g. the
        высшая категория lapsed while on the draft list): left out of the приказ with the reasons,
        the rest of the list goes on (services.list_approve)."""

    @transition(
        field=status,
        source=Status.IN_DRAFT_LIST,
        target=Status.REMOVED_FROM_LIST,
        conditions=[rules.has_removal_reason, rules.list_not_approved],
        permission=permissions.can_remove_from_list,
    )
    def remove_from_list(self):
        """The ministry (officer or signatory) takes a candidate off the draft list before the
        приказ is signed, with a written reason."""

    @transition(field=status, source=Status.ADMITTED, target=Status.UNDER_REVIEW, conditions=[rules.has_refusals])
    def flag_lapsed(self):
        """The nightly scan re-ran the criteria on today's date and found a refusal (the высшая
        категория expired)."""

    @transition(
        field=status,
        source=Status.UNDER_REVIEW,
        target=Status.ADMITTED,
        conditions=[rules.has_no_refusals],
        permission=permissions.can_review_membership,
    )
    def confirm_membership(self):
        """The coordinator confirms the membership: the criteria hold again (category renewed)."""

    @transition(
        field=status,
        source=Status.UNDER_REVIEW,
        target=Status.EXCLUDED,
        conditions=[rules.has_exclusion_reason],
        permission=permissions.can_review_membership,
    )
    def exclude(self):
        """The coordinator excludes the member, with a reason."""


class FileKind(models.TextChoices):
    ATTESTATION_ORDER = "attestation_order", "Приказ об установлении квалификационной категории"
    DIPLOMA = "diploma", "Диплом о высшем образовании"
    EMPLOYMENT_RECORD = "employment_record", "Трудовая книжка (сведения о трудовой деятельности)"
    RETRAINING = "retraining", "Диплом о профессиональной переподготовке"
    METHODICAL_TRAINING = (
        "methodical_training",
        "Удостоверение о повышении квалификации в области методической поддержки",
    )
    OTHER = "other", "Иной документ"


REQUIRED_FILE_KINDS = (FileKind.ATTESTATION_ORDER, FileKind.DIPLOMA, FileKind.EMPLOYMENT_RECORD)


def application_file_upload_to(instance, filename):
    return f"rma/applications/{instance.application_id}/{instance.sha256[:16]}-{instance.kind}.{instance.extension}"


class RmaApplicationFile(models.Model):
    """A supporting document. The type is taken from the content (common.uploads), never from the
    name or the browser's claim; files are served only through the scoped download view, under a
    server-made name."""

    application = models.ForeignKey(RmaApplication, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField("вид документа", max_length=32, choices=FileKind.choices)
    file = models.FileField("файл", upload_to=application_file_upload_to, max_length=300)
    original_name = models.CharField("имя файла", max_length=255)
    content_type = models.CharField("тип содержимого", max_length=100)
    extension = models.CharField("расширение", max_length=8)
    size = models.PositiveIntegerField("размер, байт")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("загружен", auto_now_add=True)
    is_current = models.BooleanField("действующая версия", default=True)

    SCOPE_PATHS = {
        "region": "application__person__organization__region_id",
        "municipality": "application__person__organization__municipality_id",
        "organization": "application__person__organization_id",
        "person": "application__person_id",
    }
    SCOPE_VIA = "application"  # a file is seen exactly where its application is

    class Meta:
        verbose_name = "документ заявки в РМА"
        verbose_name_plural = "документы заявок в РМА"
        ordering = ["application", "kind", "-uploaded_at"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.original_name}"


class RmaCriteriaStatement(models.Model):
    """A справка о соответствии критериям asked for an application that passed the formal check
    (DOMAIN.md §2(d) «Generated documents»): one per application and check date — the issued
    document's artefact, so asking twice gives the same document (documents: one current
    document per artefact and kind). Seen exactly where its application is."""

    application = models.ForeignKey(
        RmaApplication, on_delete=models.PROTECT, related_name="criteria_statements", verbose_name="заявка"
    )
    on_date = models.DateField("сведения на дату", help_text="дата проверки критериев заявки")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="запросил"
    )
    requested_at = models.DateTimeField("запрошена", auto_now_add=True)

    SCOPE_VIA = "application"

    class Meta:
        verbose_name = "справка о соответствии критериям (запрос)"
        verbose_name_plural = "справки о соответствии критериям (запросы)"
        ordering = ["-on_date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "on_date"], name="rma_criteria_statement_per_date")
        ]

    def __str__(self):
        return f"Справка о соответствии критериям по заявке № {self.application_id} на {self.on_date:%d.%m.%Y}"


class RmaAssessmentProtocol(models.Model):
    """The протокол (ведомость) результатов оценки по кандидатам (DOMAIN.md §2(d) «Generated
    documents»): issued by the region's ЦОПМКП for the candidates assessed on a date or in a
    period — the issued document's artefact (one ведомость in force per region and period; new
    results in the period issue it anew under a new number). Those who use the results read it:
    ЦОПМКП, the ЦНППМПР coordinator who includes the candidates, the ministry that signs the
    list."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="rma_assessment_protocols")
    date_from = models.DateField("оценка с")
    date_to = models.DateField("оценка по")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="выпустил"
    )
    created_at = models.DateTimeField("создана", auto_now_add=True)

    SCOPE_PATHS = {"region": "region_id"}
    SCOPE_HANDLERS = {
        Role.COPMKP_ASSESSOR: Handler(Level.REGION),
        Role.CNPPM_COORDINATOR: Handler(Level.REGION),
        Role.MINISTRY_OFFICER: Handler(Level.REGION),
        Role.MINISTRY_SIGNATORY: Handler(Level.REGION),
    }

    class Meta:
        verbose_name = "ведомость результатов оценки кандидатов в РМА"
        verbose_name_plural = "ведомости результатов оценки кандидатов в РМА"
        ordering = ["-date_to", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["region", "date_from", "date_to"], name="rma_assessment_protocol_period"),
            models.CheckConstraint(
                condition=Q(date_from__lte=models.F("date_to")), name="rma_assessment_protocol_order"
            ),
        ]

    def __str__(self):
        return f"Ведомость результатов оценки: {self.period_text}"

    @property
    def period_text(self) -> str:
        if self.date_from == self.date_to:
            return f"{self.date_from:%d.%m.%Y}"
        return f"{self.date_from:%d.%m.%Y} – {self.date_to:%d.%m.%Y}"


def statements_handled_by_cnppm() -> None:
    """ЦНППМПР issues the справка о соответствии критериям, so it handles an application once one
    is asked for (its coordinator opens the task to issue it again when the worker could not).
    Called from RmaConfig.ready: the subquery can be built only once the models are loaded."""
    handler = RmaApplication.SCOPE_HANDLERS[Role.CNPPM_COORDINATOR]
    if getattr(handler, "_with_statements", False):
        return
    extended = Handler(
        handler.level, when=handler.when | Q(pk__in=RmaCriteriaStatement.objects.values("application_id"))
    )
    object.__setattr__(extended, "_with_statements", True)
    RmaApplication.SCOPE_HANDLERS[Role.CNPPM_COORDINATOR] = extended


class RmaApplicationProcess(Process):
    """The admission process of one application (viewflow's Process; the application is its
    artifact)."""

    class Meta:
        proxy = True
        verbose_name = "процесс «Заявка в РМА»"
        verbose_name_plural = "процессы «Заявка в РМА»"


class RmaListProcess(Process):
    """The approval of one list (batch) by the ministry."""

    class Meta:
        proxy = True
        verbose_name = "процесс «Утверждение списка РМА»"
        verbose_name_plural = "процессы «Утверждение списка РМА»"


class RmaReviewProcess(Process):
    """The re-check of one member whose category lapsed."""

    class Meta:
        proxy = True
        verbose_name = "процесс «Перепроверка членства в РМА»"
        verbose_name_plural = "процессы «Перепроверка членства в РМА»"


class RmaDocumentProcess(Process):
    """A справка about an application that the worker could not issue after its retries: the
    ЦНППМПР coordinator issues it again (nothing is lost silently)."""

    class Meta:
        proxy = True
        verbose_name = "процесс «Повторный выпуск справки РМА»"
        verbose_name_plural = "процессы «Повторный выпуск справки РМА»"


# Stored files no RmaApplicationFile refers to (a crash mid-way) are swept (common.uploads.storage).
upload_storage.register_swept("rma/applications", RmaApplicationFile, "file")
