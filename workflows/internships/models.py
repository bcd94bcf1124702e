"""The selection of sites: a call (отбор) opened by ЦНППМПР and the schools' applications to it."""

from django.conf import settings
from django.db import models
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from viewflow.workflow.models import Process

from orgstructure import access
from orgstructure.models import Organization, Region, Role
from workflows.core.review.models import ExpertAssignmentBase, ExpertScoreBase
from workflows.core.state import register_events

from . import rules


class SiteKind(models.TextChoices):
    INTERNSHIP = "internship", "Стажировочная площадка"
    MENTOR = "mentor", "Менторская площадка"
    INNOVATION = "innovation", "Инновационная площадка"


class CallStatus(models.TextChoices):
    OPEN = "open", "Идёт приём заявок"
    CLOSED = "closed", "Приём заявок завершён"
    DECIDED = "decided", "Отбор завершён: перечень утверждён приказом"


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", "На согласовании в ММС"
    RETURNED = "returned", "Возвращена на доработку"
    ENDORSED = "endorsed", "Согласована ММС"
    UNDER_REVIEW = "under_review", "На экспертизе"
    REVIEWED = "reviewed", "Экспертиза завершена"
    SELECTED = "selected", "Включена в перечень площадок"
    NOT_SELECTED = "not_selected", "Не включена в перечень"


# still in progress when the decision is taken: such an application is not selected, with the reason
UNFINISHED_STATUSES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.RETURNED,
    ApplicationStatus.ENDORSED,
    ApplicationStatus.UNDER_REVIEW,
)


class DecisionStatus(models.TextChoices):
    PROPOSED = "proposed", "На утверждении в министерстве"
    RETURNED = "returned", "Возвращено на доработку"
    APPROVED = "approved", "Утверждено приказом"


@register_events
class InternshipEvent(models.TextChoices):
    CALL_OPENED = "internships.call_opened", "Объявлен отбор площадок"
    SUBMITTED = "internships.submitted", "Заявка на статус площадки подана"
    RETURNED = "internships.returned", "Заявка возвращена ММС на доработку"
    RESUBMITTED = "internships.resubmitted", "Доработанная заявка подана повторно"
    ENDORSED = "internships.endorsed", "Заявка согласована ММС"
    EXPERTS_APPOINTED = "internships.experts_appointed", "Назначены эксперты"
    SHEET_SUBMITTED = "internships.sheet_submitted", "Эксперт выставил оценку"
    EXPERT_REPLACED = "internships.expert_replaced", "Эксперт заменён"
    REVIEWED = "internships.reviewed", "Экспертиза заявки завершена"
    CALL_CLOSED = "internships.call_closed", "Приём заявок завершён"
    DECISION_PROPOSED = "internships.decision_proposed", "Решение комиссии направлено в министерство"
    DECISION_RETURNED = "internships.decision_returned", "Решение комиссии возвращено на доработку"
    DECISION_APPROVED = "internships.decision_approved", "Перечень площадок утверждён приказом"
    SELECTED = "internships.selected", "Организация включена в перечень площадок"
    NOT_SELECTED = "internships.not_selected", "Организация не включена в перечень"
    DOCUMENT_ISSUED = "internships.document_issued", "Выпущен документ"
    REPORT_SUBMITTED = "internships.report_submitted", "Площадка представила годовой отчёт"
    SITE_REVOKED = "internships.site_revoked", "Статус площадки отозван"
    SITE_EXPIRED = "internships.site_expired", "Срок статуса площадки истёк"
    PUBLICATION_CHANGED = "internships.publication_changed", "Изменена публикация реестра площадок"
    REPORT_CANCELLED = "internships.report_cancelled", "Отчёт площадки не требуется: статус прекращён"
    INTERNSHIP_RECORDED = "internships.internship_recorded", "Отмечено прохождение стажировки"
    CONFLICT_DECLARED = "internships.conflict_declared", "Эксперт заявил о конфликте интересов"
    STATUS_CHANGE_PROPOSED = "internships.status_change_proposed", "Изменение статуса площадки направлено министру"
    STATUS_CHANGE_APPROVED = "internships.status_change_approved", "Изменение статуса площадки утверждено приказом"
    STATUS_CHANGE_REJECTED = "internships.status_change_rejected", "Министерство отклонило изменение статуса площадки"
    SITE_RENEWED = "internships.site_renewed", "Статус площадки продлён"
    SITE_PROBATION = "internships.site_probation", "Площадке установлен испытательный срок"
    SITE_PROBATION_LIFTED = "internships.site_probation_lifted", "Испытательный срок площадки снят"
    FILE_ADDED = "internships.file_added", "К заявке приложен документ"


def can_endorse(application, user) -> bool:
    return access.reaches(user, (Role.MMS_METHODIST,), organization=application.organization)


def can_run_review(application, user) -> bool:
    return access.reaches(user, (Role.CNPPM_COORDINATOR,), organization=application.organization)


def can_resubmit(application, user) -> bool:
    return access.reaches(user, (Role.SCHOOL_HEAD,), organization=application.organization)


def can_decide(application, user) -> bool:
    """The decision on the ranked list is approved by the ministry of the applicant's region."""
    return access.reaches_region(user, (Role.MINISTRY_SIGNATORY,), region_id=application.organization.region_id)


def can_sign(decision, user) -> bool:
    return access.reaches_region(user, (Role.MINISTRY_SIGNATORY,), region_id=decision.call.region_id)


def can_propose(decision, user) -> bool:
    return access.reaches_region(user, (Role.CNPPM_COORDINATOR,), region_id=decision.call.region_id)


# who keeps the register: revokes a status (by the ministry's decision) and publishes the register
REGISTER_KEEPERS = (Role.CNPPM_COORDINATOR, Role.MINISTRY_OFFICER)


def can_keep_register(site, user) -> bool:
    return access.reaches_region(user, REGISTER_KEEPERS, region_id=site.region_id)


def can_sign_status(site, user) -> bool:
    """A site's status changes (renewal, probation, its lifting, revocation) by the приказ the
    minister of its region signs."""
    return access.reaches_region(user, (Role.MINISTRY_SIGNATORY,), region_id=site.region_id)


def can_sign_status_change(change, user) -> bool:
    return can_sign_status(change.site, user)


def can_report(report, user) -> bool:
    return access.reaches(user, (Role.SCHOOL_HEAD,), organization=report.site.organization)


class Call(models.Model):
    """A call for applications for the status of a site. Regional: seen by everyone of the region
    (it is an announcement, without personal data)."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="internship_calls")
    organizer = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", verbose_name="организатор")
    kind = models.CharField("вид площадки", max_length=16, choices=SiteKind.choices)
    title = models.CharField("название отбора", max_length=300)
    themes = models.JSONField("темы (направления)", default=list)
    applications_due = models.DateField("приём заявок до")
    status_from = models.DateField("статус с")
    status_to = models.DateField("статус по")
    criteria = models.JSONField("критерии", default=list)
    pass_threshold = models.DecimalField(
        "проходной балл (из 100)", max_digits=5, decimal_places=2, default=rules.DEFAULT_PASS_THRESHOLD
    )
    experts_per_application = models.PositiveSmallIntegerField(
        "экспертов на заявку", default=rules.DEFAULT_EXPERTS_PER_APPLICATION
    )
    experts_needed = models.PositiveSmallIntegerField("оценок для завершения", default=rules.DEFAULT_EXPERTS_NEEDED)
    spread_limit = models.DecimalField(
        "допустимое расхождение экспертов", max_digits=5, decimal_places=2, default=rules.DEFAULT_SPREAD_LIMIT
    )
    municipality_conflict = models.BooleanField("отводить экспертов из муниципалитета заявителя", default=True)
    status = models.CharField("статус", max_length=16, choices=CallStatus.choices, default=CallStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE_PATHS = {"region": "region_id"}

    class Meta:
        verbose_name = "отбор площадок"
        verbose_name_plural = "отборы площадок"
        indexes = [models.Index(fields=["region", "-applications_due"])]

    def __str__(self):
        return self.title

    def scheme(self):
        return rules.scheme_of(
            self.criteria,
            pass_threshold=self.pass_threshold,
            experts_needed=self.experts_needed,
            spread_limit=self.spread_limit,
        )


class Application(ConcurrentTransitionMixin, models.Model):
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications", verbose_name="отбор")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name="организация"
    )
    experience = models.TextField("успешный педагогический и управленческий опыт")
    resources = models.TextField("кадровые и материально-технические ресурсы")
    status = FSMField(
        "статус", max_length=16, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED, protected=True
    )
    return_reason = models.TextField("причина возврата", blank=True)
    curator = models.CharField("куратор площадки (ФИО, должность)", max_length=300, blank=True)
    # the review's outcome, kept when it completes (the ranked list reads these, no recount)
    rating = models.DecimalField("рейтинг (из 100)", max_digits=5, decimal_places=2, null=True, blank=True)
    spread = models.DecimalField("расхождение экспертов", max_digits=5, decimal_places=2, null=True, blank=True)
    spread_flagged = models.BooleanField("большое расхождение оценок", default=False)
    passed = models.BooleanField("набрала проходной балл", null=True)
    # the commission's proposal, fixed by the приказ: selected or not, and why not
    proposed_selected = models.BooleanField("предложена к включению в перечень", null=True)
    decision_reason = models.TextField("основание решения комиссии", blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE_PATHS = {
        "region": "organization__region_id",
        "municipality": "organization__municipality_id",
        "organization": "organization_id",
    }

    class Meta:
        verbose_name = "заявка на статус площадки"
        verbose_name_plural = "заявки на статус площадки"
        constraints = [models.UniqueConstraint(fields=["call", "organization"], name="internship_one_application")]
        indexes = [models.Index(fields=["call", "status", "rating"], name="internship_ranked")]

    def __str__(self):
        return f"Заявка № {self.pk}: {self.organization.short_name or self.organization.name}"

    @transition(
        field=status, source=ApplicationStatus.SUBMITTED, target=ApplicationStatus.ENDORSED, permission=can_endorse
    )
    def endorse(self):
        """The methodist of the school's municipality endorses the application."""

    @transition(
        field=status, source=ApplicationStatus.SUBMITTED, target=ApplicationStatus.RETURNED, permission=can_endorse
    )
    def return_for_revision(self):
        """…or returns it with a reason."""

    @transition(
        field=status,
        source=ApplicationStatus.ENDORSED,
        target=ApplicationStatus.UNDER_REVIEW,
        permission=can_run_review,
    )
    def start_review(self):
        """The coordinator appoints the experts."""

    @transition(field=status, source=ApplicationStatus.UNDER_REVIEW, target=ApplicationStatus.REVIEWED)
    def complete_review(self):
        """k of n sheets are in (fired by the system on the last sheet)."""

    @transition(
        field=status, source=ApplicationStatus.RETURNED, target=ApplicationStatus.SUBMITTED, permission=can_resubmit
    )
    def resubmit(self):
        """The school submits the revised application again."""

    @transition(
        field=status, source=ApplicationStatus.REVIEWED, target=ApplicationStatus.SELECTED, permission=can_decide
    )
    def select(self):
        """The приказ includes the organization in the перечень."""

    @transition(
        field=status,
        source=[ApplicationStatus.REVIEWED, *UNFINISHED_STATUSES],
        target=ApplicationStatus.NOT_SELECTED,
        permission=can_decide,
    )
    def not_select(self):
        """…or not, with the commission's reason (an unfinished application among them)."""

    @property
    def curator_text(self) -> str:
        """The curator printed in the перечень: the one the school named, else its head."""
        if self.curator.strip():
            return self.curator.strip()
        organization = self.organization
        if organization.head_name:
            return ", ".join(part for part in (organization.head_name, organization.head_position) if part)
        return "руководитель организации"


class Programme(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="programmes")
    theme = models.CharField("тема (направление) стажировки", max_length=500)
    target_group = models.CharField("целевая категория педагогов", max_length=300)
    format = models.CharField("формат", max_length=100)
    hours = models.PositiveSmallIntegerField("объём, часов")

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.theme} ({self.hours} ч.)"


class ApplicationFile(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="files")
    file = models.FileField("файл", upload_to="internships/")
    original_name = models.CharField("имя файла", max_length=255)
    extension = models.CharField("расширение (по содержимому)", max_length=8, blank=True)

    SCOPE_VIA = "application"

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.original_name


class ExpertAssignment(ExpertAssignmentBase):
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="assignments")

    SCOPE_PATHS = {"region": "application__organization__region_id"}

    class Meta:
        verbose_name = "назначение эксперта"
        verbose_name_plural = "назначения экспертов"
        constraints = [models.UniqueConstraint(fields=["application", "expert"], name="internship_expert_once")]
        indexes = [models.Index(fields=["expert", "status"], name="internship_expert_load")]

    def __str__(self):
        return f"Экспертиза заявки № {self.application_id}: {self.expert.full_name}"


class ConflictDeclaration(models.Model):
    """A conflict of interest an expert declares with an organization (a relative on its staff,
    a former job, a joint project — what the data cannot know): the proposal and the appointment
    rule the expert out for that organization's applications, as they rule out the conflicts the
    data shows (workflows.core.review.conflicts, `declared`)."""

    expert = models.ForeignKey(
        "orgstructure.Person", on_delete=models.CASCADE, related_name="+", verbose_name="эксперт"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", verbose_name="организация"
    )
    reason = models.CharField("суть конфликта интересов", max_length=500)
    declared_at = models.DateTimeField(auto_now_add=True)

    # what an expert declares about themselves: they, and the region's ЦНППМПР that runs reviews
    SCOPE_PATHS = {"region": "organization__region_id", "person": "expert_id"}

    class Meta:
        verbose_name = "заявленный конфликт интересов"
        verbose_name_plural = "заявленные конфликты интересов"
        constraints = [models.UniqueConstraint(fields=["expert", "organization"], name="internship_declared_once")]

    def __str__(self):
        return f"{self.expert.full_name} — {self.organization}"


class ExpertScore(ExpertScoreBase):
    assignment = models.ForeignKey(ExpertAssignment, on_delete=models.CASCADE, related_name="scores")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assignment", "criterion"], name="internship_score_once")]

    def __str__(self):
        return f"{self.criterion}: {self.score if self.score is not None else 'не могу оценить'}"


class Decision(ConcurrentTransitionMixin, models.Model):
    """The expert commission's decision on a call's ranked list (proposed by the ЦНППМПР
    coordinator, with a reason for every organization not selected) and its approval by the
    ministry: the protocol of the commission, then the приказ DOC-2 and the register."""

    call = models.OneToOneField(Call, on_delete=models.PROTECT, related_name="decision", verbose_name="отбор")
    status = FSMField(
        "статус", max_length=16, choices=DecisionStatus.choices, default=DecisionStatus.PROPOSED, protected=True
    )
    protocol_date = models.DateField("дата заседания экспертной комиссии")
    commission = models.TextField("состав экспертной комиссии (председатель — первым)")
    regulation = models.TextField("основание приказа (положение о площадках, в творительном падеже)")
    report_due = models.DateField("срок первого отчёта площадок")
    return_comment = models.TextField("замечания министерства", blank=True)
    protocol = models.ForeignKey(
        "documents.IssuedDocument", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    order = models.ForeignKey(
        "documents.IssuedDocument", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE_PATHS = {"region": "call__region_id"}
    CHANGED_MESSAGE = "Решение уже изменено другим пользователем: обновите страницу"

    class Meta:
        verbose_name = "решение по отбору площадок"
        verbose_name_plural = "решения по отборам площадок"

    def __str__(self):
        return f"Решение по отбору «{self.call}»"

    def commission_members(self) -> list[str]:
        return [line.strip() for line in self.commission.splitlines() if line.strip()]

    @transition(field=status, source=DecisionStatus.PROPOSED, target=DecisionStatus.APPROVED, permission=can_sign)
    def approve(self):
        """The minister signs the приказ on the перечень."""

    @transition(field=status, source=DecisionStatus.PROPOSED, target=DecisionStatus.RETURNED, permission=can_sign)
    def return_for_revision(self):
        """…or returns the decision to the coordinator with remarks."""

    @transition(field=status, source=DecisionStatus.RETURNED, target=DecisionStatus.PROPOSED, permission=can_propose)
    def resubmit(self):
        """The coordinator sends the revised decision again."""


class SiteStatus(models.TextChoices):
    ACTIVE = "active", "Действует"
    PROBATION = "probation", "Действует условно: испытательный срок"
    REVOKED = "revoked", "Статус отозван"
    EXPIRED = "expired", "Срок статуса истёк"


# the status holds (the site works, reports, trains; the open register shows it)
IN_FORCE = (SiteStatus.ACTIVE, SiteStatus.PROBATION)


class Site(ConcurrentTransitionMixin, models.Model):
    """An entry of the register of sites («Реестр региональных инновационных и стажировочных
    площадок», 003:L1565): an organization with the status given by the приказ, for its term."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="site")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name="организация"
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("вид площадки", max_length=16, choices=SiteKind.choices)
    status = FSMField("статус", max_length=16, choices=SiteStatus.choices, default=SiteStatus.ACTIVE, protected=True)
    status_from = models.DateField("статус с")
    status_to = models.DateField("статус по")
    order = models.ForeignKey("documents.IssuedDocument", on_delete=models.PROTECT, related_name="+")
    certificate = models.ForeignKey(
        "documents.IssuedDocument", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ended_on = models.DateField("статус прекращён", null=True, blank=True)
    end_reason = models.TextField("основание прекращения статуса", blank=True)
    probation_until = models.DateField("испытательный срок до", null=True, blank=True)
    probation_reason = models.TextField("что устранить за испытательный срок", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # The register is public within the region (what the приказ made public: no personal data);
    # the site's reports follow their own scope (SiteReport).
    SCOPE_PATHS = {"region": "region_id"}

    class Meta:
        verbose_name = "стажировочная площадка"
        verbose_name_plural = "реестр площадок"
        indexes = [models.Index(fields=["region", "status", "status_to"], name="internship_site_register")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.organization.short_name or self.organization.name}"

    @transition(field=status, source=SiteStatus.ACTIVE, target=SiteStatus.ACTIVE, permission=can_sign_status)
    def renew(self):
        """The приказ gives the status a new term (a later `status_to`)."""

    @transition(field=status, source=SiteStatus.ACTIVE, target=SiteStatus.PROBATION, permission=can_sign_status)
    def put_on_probation(self):
        """The приказ keeps the status on condition: remarks to fix by `probation_until`."""

    @transition(field=status, source=SiteStatus.PROBATION, target=SiteStatus.ACTIVE, permission=can_sign_status)
    def lift_probation(self):
        """The remarks are fixed: the приказ lifts the probation."""

    @transition(field=status, source=list(IN_FORCE), target=SiteStatus.REVOKED, permission=can_sign_status)
    def revoke(self):
        """The приказ withdraws the status before its term, with a reason."""

    @transition(field=status, source=list(IN_FORCE), target=SiteStatus.EXPIRED)
    def expire(self):
        """The term has ended (fired by the nightly scan)."""


class StatusChangeKind(models.TextChoices):
    RENEW = "renew", "Продлить статус (новый срок)"
    PROBATION = "probation", "Установить испытательный срок (условный статус)"
    LIFT = "lift", "Снять испытательный срок"
    REVOKE = "revoke", "Прекратить статус досрочно"


class StatusChangeStatus(models.TextChoices):
    PROPOSED = "proposed", "На подписи у министра"
    APPROVED = "approved", "Утверждено приказом"
    REJECTED = "rejected", "Отклонено министерством"


class StatusChange(ConcurrentTransitionMixin, models.Model):
    """A change of a site's status proposed by the keeper of the register (the ЦНППМПР coordinator
    or the ministry's officer — on the annual report, a check, the site's own request) and made by
    the приказ the minister signs: renewal for a new term, probation with a date by which the
    remarks are fixed, the lifting of probation, or revocation. One open proposal per site."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="status_changes", verbose_name="площадка")
    kind = models.CharField("изменение", max_length=16, choices=StatusChangeKind.choices)
    reason = models.TextField("основание")
    new_status_to = models.DateField("новый срок статуса: по", null=True, blank=True)
    probation_until = models.DateField("испытательный срок до", null=True, blank=True)
    status = FSMField(
        "статус",
        max_length=16,
        choices=StatusChangeStatus.choices,
        default=StatusChangeStatus.PROPOSED,
        protected=True,
    )
    reject_comment = models.TextField("замечания министерства", blank=True)
    order = models.ForeignKey(
        "documents.IssuedDocument", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # the regional bodies that keep the register and sign the приказ (the reasons are theirs)
    SCOPE_PATHS = {"region": "site__region_id"}
    CHANGED_MESSAGE = "Изменение статуса уже рассмотрено другим пользователем: обновите страницу"

    class Meta:
        verbose_name = "изменение статуса площадки"
        verbose_name_plural = "изменения статуса площадок"
        constraints = [
            models.UniqueConstraint(
                fields=["site"], condition=models.Q(status="proposed"), name="internship_one_open_status_change"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.site.organization.short_name or self.site.organization.name}"

    @property
    def is_open(self) -> bool:
        return self.status == StatusChangeStatus.PROPOSED

    @transition(
        field=status,
        source=StatusChangeStatus.PROPOSED,
        target=StatusChangeStatus.APPROVED,
        permission=can_sign_status_change,
    )
    def approve(self):
        """The minister signs the приказ."""

    @transition(
        field=status,
        source=StatusChangeStatus.PROPOSED,
        target=StatusChangeStatus.REJECTED,
        permission=can_sign_status_change,
    )
    def reject(self):
        """…or declines the change with remarks (the site's status stays as it was)."""


class ReportStatus(models.TextChoices):
    DUE = "due", "Ожидается"
    SUBMITTED = "submitted", "Представлен"
    CANCELLED = "cancelled", "Не требуется: статус прекращён"


class SiteReport(ConcurrentTransitionMixin, models.Model):
    """A site's annual report («отчет о деятельности площадки», DOC-2 point 3): due on the date of
    the приказ for the first year, then a year later each time, within the term of the status."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="reports")
    number = models.PositiveSmallIntegerField("год статуса")
    due_on = models.DateField("срок")
    status = FSMField("статус", max_length=16, choices=ReportStatus.choices, default=ReportStatus.DUE, protected=True)
    trainees = models.PositiveIntegerField("обучено педагогов (стажёров)", null=True, blank=True)
    programmes_run = models.PositiveSmallIntegerField("реализовано программ стажировки", null=True, blank=True)
    summary = models.TextField("итоги года", blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)

    SCOPE_PATHS = {
        "region": "site__region_id",
        "municipality": "site__organization__municipality_id",
        "organization": "site__organization_id",
    }

    class Meta:
        verbose_name = "отчёт площадки"
        verbose_name_plural = "отчёты площадок"
        constraints = [models.UniqueConstraint(fields=["site", "number"], name="internship_report_once")]

    def __str__(self):
        return (
            f"Отчёт площадки за {self.number}-й год: {self.site.organization.short_name or self.site.organization.name}"
        )

    @transition(field=status, source=ReportStatus.DUE, target=ReportStatus.SUBMITTED, permission=can_report)
    def submit(self):
        """The site's head submits the report."""

    @transition(field=status, source=ReportStatus.DUE, target=ReportStatus.CANCELLED)
    def cancel(self):
        """The status ended before the report was due."""


class Internship(models.Model):
    """A teacher's completed internship at a site (recorded by the site's head; DOC-4b справка
    follows): what IND-12 «доля педагогических работников, прошедших стажировку» counts."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="internships")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+", verbose_name="программа")
    person = models.ForeignKey("orgstructure.Person", on_delete=models.PROTECT, related_name="+", verbose_name="стажёр")
    date_from = models.DateField("стажировка с")
    date_to = models.DateField("стажировка по")
    result = models.CharField("результат стажировки (продукт)", max_length=500)
    certificate = models.ForeignKey(
        "documents.IssuedDocument", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    # personal data (152-ФЗ): the site that trained them, the trainee's own school and municipality,
    # the region's bodies, the trainee
    SCOPE_PATHS = {
        "region": "site__region_id",
        "municipality": ("person__organization__municipality_id", "site__organization__municipality_id"),
        "organization": ("site__organization_id", "person__organization_id"),
        "person": "person_id",
    }

    class Meta:
        verbose_name = "пройденная стажировка"
        verbose_name_plural = "пройденные стажировки"
        constraints = [
            models.UniqueConstraint(fields=["site", "programme", "person", "date_from"], name="internship_once")
        ]
        indexes = [models.Index(fields=["date_to", "person"], name="internship_completed")]

    def __str__(self):
        return f"Стажировка: {self.person.full_name}, {self.programme.theme}"


class RegisterPublication(models.Model):
    """Whether a region publishes its register of sites: the open page and export (no personal
    data) are answered only where the region has switched them on."""

    region = models.OneToOneField(Region, on_delete=models.CASCADE, related_name="+")
    published = models.BooleanField("реестр площадок опубликован", default=False)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "публикация реестра площадок"
        verbose_name_plural = "публикация реестров площадок"

    def __str__(self):
        return f"{self.region}: {'опубликован' if self.published else 'не опубликован'}"


class ApplicationProcess(Process):
    class Meta:
        proxy = True
        permissions = [
            ("endorse_application", "Может согласовывать заявки школ на статус площадки"),
            ("revise_application", "Может дорабатывать заявку школы на статус площадки"),
            ("score_application", "Может оценивать заявки на статус площадки как эксперт"),
        ]


class ExpertProcess(Process):
    class Meta:
        proxy = True


class SiteReportProcess(Process):
    class Meta:
        proxy = True
        permissions = [("submit_site_report", "Может представлять отчёт стажировочной площадки")]


class StatusChangeProcess(Process):
    class Meta:
        proxy = True
        permissions = [("sign_status_change", "Может подписывать приказ об изменении статуса площадки")]


class DecisionProcess(Process):
    class Meta:
        proxy = True
        permissions = [
            ("sign_decision", "Может утверждать перечень площадок (подписывать приказ)"),
            ("revise_decision", "Может дорабатывать решение комиссии по отбору площадок"),
        ]
