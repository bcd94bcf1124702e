"""Templates (versioned), numbering registers (gap-free) and the archive of issued documents
(immutable). Writes go through template_versions.py, issuing.py and pdf_jobs.py."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q

from common.uploads import storage as upload_storage

from .errors import DocumentError, NumberFormatError
from .kinds import KIND_CODE_MAX_LENGTH, kind_label, validate_kind
from .numbers import validate_number_format


def _kind_field():
    """The kind of a document: a code from the open registry (kinds.py), checked against it
    when a form or full_clean validates the row; the column itself holds any code, so rows of
    kinds a process no longer registers stay readable."""
    return models.CharField("вид документа", max_length=KIND_CODE_MAX_LENGTH, validators=[validate_kind])


class KindLabelMixin:
    """The Russian name of the row's kind from the registry (the field has no choices)."""

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    def get_kind_display(self) -> str:
        return self.kind_label


class DocumentImmutableError(DocumentError):
    """An issued document is never changed or removed; only its PDF is added later."""


def template_upload_to(instance, filename):
    return f"documents/templates/{instance.kind}/v{instance.version}-{instance.sha256[:12]}.docx"


class TemplateSource(models.TextChoices):
    BUILTIN = "builtin", "Поставляется с системой"
    UPLOAD = "upload", "Загружен администратором"


class DocumentTemplate(KindLabelMixin, models.Model):
    """One version of a kind's .docx template. Exactly one version per kind is active; issued
    documents keep a reference to the version they were made with. The shipped file in
    documents/templates/ is registered as a version on first use (see template_versions.template_active)."""

    kind = _kind_field()
    version = models.PositiveIntegerField("версия")
    file = models.FileField("файл .docx", upload_to=template_upload_to)
    sha256 = models.CharField("SHA-256", max_length=64)
    source = models.CharField("источник", max_length=16, choices=TemplateSource.choices)
    is_active = models.BooleanField("действует", default=True)
    comment = models.CharField("комментарий", max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="загрузил",
    )
    uploaded_at = models.DateTimeField("загружен", auto_now_add=True)

    class Meta:
        verbose_name = "шаблон документа"
        verbose_name_plural = "шаблоны документов"
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="documenttemplate_unique_version"),
            models.UniqueConstraint(
                fields=["kind"], condition=Q(is_active=True), name="documenttemplate_one_active_per_kind"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}, версия {self.version}"


def _validate_number_format_field(value):
    try:
        validate_number_format(value)
    except NumberFormatError as exc:
        raise ValidationError(str(exc)) from exc


class NumberingRegister(KindLabelMixin, models.Model):
    """The journal of one issuing organization for one kind and year. `next_number` is read and
    advanced under a row lock in the transaction that issues the document, so numbers are
    gap-free and never repeat; a failed issue rolls the advance back."""

    organization = models.ForeignKey(
        "orgstructure.Organization",
        on_delete=models.PROTECT,
        related_name="numbering_registers",
        verbose_name="организация",
    )
    kind = _kind_field()
    year = models.PositiveSmallIntegerField("год")
    number_format = models.CharField(
        "формат номера",
        max_length=64,
        default="{n}",
        validators=[_validate_number_format_field],
        help_text="{n} — порядковый номер, {year} — год; например «{n}/ОД» или «26-01-06-{n}»",
    )
    next_number = models.PositiveIntegerField("следующий номер", default=1)
    updated_at = models.DateTimeField("изменен", auto_now=True)

    class Meta:
        verbose_name = "журнал регистрации"
        verbose_name_plural = "журналы регистрации"
        ordering = ["organization", "kind", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "kind", "year"], name="numberingregister_unique"),
            models.CheckConstraint(condition=Q(next_number__gte=1), name="numberingregister_next_positive"),
        ]

    def __str__(self):
        return f"{self.organization}: {self.get_kind_display()}, {self.year}"


class PdfStatus(models.TextChoices):
    PENDING = "pending", "ожидает преобразования"
    PROCESSING = "processing", "преобразуется"
    READY = "ready", "готов"
    UNAVAILABLE = "unavailable", "недоступен"
    FAILED = "failed", "ошибка"


PDF_FIELDS = frozenset(
    {"pdf_file", "pdf_sha256", "pdf_size", "pdf_status", "pdf_message", "pdf_batch", "pdf_updated_at"}
)
# What may change after issue: the PDF rendition, and once — when a re-issue replaces the
# document — the moment it was superseded (issuing.document_reissue).
MUTABLE_FIELDS = PDF_FIELDS | {"superseded_at"}


class IssuedDocumentQuerySet(models.QuerySet):
    def update(self, **kwargs):
        if set(kwargs) - MUTABLE_FIELDS:
            raise DocumentImmutableError("Выпущенный документ нельзя изменить")
        if "superseded_at" in kwargs and kwargs["superseded_at"] is None:
            raise DocumentImmutableError("Замененный документ не может снова стать действующим")
        return super().update(**kwargs)

    def delete(self):
        raise DocumentImmutableError("Выпущенный документ нельзя удалить")


# Every issued .docx and its PDF live under this storage prefix; sweep.issued_files_sweep
# removes files there that no IssuedDocument refers to (left by a rolled-back transaction).
ISSUED_PREFIX = "documents/issued"


def issued_upload_to(instance, filename):
    return f"{ISSUED_PREFIX}/{instance.year}/{instance.organization_id}/{filename}"


class IssuedDocument(KindLabelMixin, models.Model):
    """An issued document: the signed-as-is file with its checksum and requisites. Immutable —
    only the PDF rendition is added afterwards, and a re-issue marks it superseded (on
    PostgreSQL a trigger refuses other changes). An artefact has at most one current (not
    superseded) document of each kind, whatever template version it was made with."""

    kind = _kind_field()
    title = models.CharField("заголовок", max_length=500)
    number = models.CharField("номер", max_length=64, blank=True)
    sequence = models.PositiveIntegerField("порядковый номер в журнале", null=True, blank=True)
    year = models.PositiveSmallIntegerField("год")
    issued_on = models.DateField("дата документа")
    organization = models.ForeignKey(
        "orgstructure.Organization",
        on_delete=models.PROTECT,
        related_name="issued_documents",
        verbose_name="выпустившая организация",
    )
    person = models.ForeignKey(
        "orgstructure.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name="о ком документ",
        help_text="педагог, которому выдана справка или составлен ИОМ: он видит свой документ",
    )
    signatory_name = models.CharField("подписант", max_length=300)
    signatory_position = models.CharField("должность подписанта", max_length=500)
    template = models.ForeignKey(
        DocumentTemplate, on_delete=models.PROTECT, related_name="issued_documents", verbose_name="шаблон"
    )
    artefact_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    artefact_id = models.CharField("артефакт (id)", max_length=64)
    artefact = GenericForeignKey("artefact_type", "artefact_id")
    process_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    process_id = models.CharField("процесс (id)", max_length=64, blank=True)
    process = GenericForeignKey("process_type", "process_id")
    data = models.JSONField("данные документа", encoder=DjangoJSONEncoder)
    file = models.FileField("файл .docx", upload_to=issued_upload_to, max_length=300)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveIntegerField("размер, байт")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="выпустил",
    )
    created_at = models.DateTimeField("выпущен", auto_now_add=True)
    pdf_file = models.FileField("файл PDF", upload_to=issued_upload_to, max_length=300, blank=True)
    # Written by the worker with the file (pdf_jobs._pdf_store) and checked on every download, as
    # the .docx's: a PDF replaced on disk is not served (views.document_pdf).
    pdf_sha256 = models.CharField("PDF: SHA-256", max_length=64, blank=True)
    pdf_size = models.PositiveIntegerField("PDF: размер, байт", null=True, blank=True)
    pdf_status = models.CharField("PDF", max_length=16, choices=PdfStatus.choices, default=PdfStatus.PENDING)
    pdf_message = models.CharField("PDF: сообщение", max_length=500, blank=True)
    pdf_batch = models.UUIDField("PDF: пакет", null=True, blank=True)
    pdf_updated_at = models.DateTimeField("PDF: изменен", null=True, blank=True)
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name="заменяет документ",
    )
    reissue_reason = models.CharField("причина повторного выпуска", max_length=500, blank=True)
    superseded_at = models.DateTimeField("заменен", null=True, blank=True)

    objects = IssuedDocumentQuerySet.as_manager()

    # A document belongs to its issuing organization and, where it is about a teacher (a справка,
    # an ИОМ), to that teacher's school and municipality too: the school head and the municipal
    # coordinator of the teacher may download what a regional body issued about them.
    SCOPE_PATHS = {
        "region": "organization__region_id",
        "municipality": ("organization__municipality_id", "person__organization__municipality_id"),
        "organization": ("organization_id", "person__organization_id"),
        "person": "person_id",
    }
    # …and a document that lists many people (a приказ with its annex) to each listed person's
    # school and municipality: the head and the municipal coordinator find the приказ that names
    # their teachers, and the teacher the приказ that names her (ListedPerson, read by subquery).
    SCOPE_ALSO_VIA = ("listed",)

    class Meta:
        verbose_name = "выпущенный документ"
        verbose_name_plural = "выпущенные документы"
        ordering = ["-issued_on", "-id"]
        default_permissions = ("view",)
        # Related lookups and `_base_manager` use the guarded queryset too: no path around it.
        base_manager_name = "objects"
        constraints = [
            # A retried job finds the document it already issued instead of issuing a second one —
            # also when a new template version was uploaded in between. Only an explicit re-issue
            # (issuing.document_reissue) supersedes the current document and adds another.
            models.UniqueConstraint(
                fields=["artefact_type", "artefact_id", "kind"],
                condition=Q(superseded_at__isnull=True),
                name="issueddocument_current_per_artefact_kind",
            ),
            models.UniqueConstraint(
                fields=["organization", "kind", "year", "sequence"],
                condition=Q(sequence__isnull=False),
                name="issueddocument_unique_sequence",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "kind", "-issued_on"]),
            models.Index(fields=["pdf_status", "id"]),
        ]

    def __str__(self):
        number = f" № {self.number}" if self.number else ""
        return f"{self.get_kind_display()}{number} от {self.issued_on:%d.%m.%Y}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            update_fields = kwargs.get("update_fields")
            if update_fields is None or set(update_fields) - MUTABLE_FIELDS:
                raise DocumentImmutableError("Выпущенный документ нельзя изменить")
            if "superseded_at" in update_fields and self.superseded_at is None:
                raise DocumentImmutableError("Замененный документ не может снова стать действующим")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise DocumentImmutableError("Выпущенный документ нельзя удалить")


class ListedPersonQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise DocumentImmutableError("Список лиц выпущенного документа нельзя изменить")

    def delete(self):
        raise DocumentImmutableError("Список лиц выпущенного документа нельзя изменить")


class ListedPerson(models.Model):
    """A person a document names in its text or annex (the members of an РМА list): written in
    the issuing transaction, immutable like the document."""

    document = models.ForeignKey(IssuedDocument, on_delete=models.PROTECT, related_name="listed")
    person = models.ForeignKey(
        "orgstructure.Person", on_delete=models.PROTECT, related_name="listed_in_documents", verbose_name="лицо"
    )

    objects = ListedPersonQuerySet.as_manager()

    SCOPE_PATHS = {
        "region": "person__organization__region_id",
        "municipality": "person__organization__municipality_id",
        "organization": "person__organization_id",
        "person": "person_id",
    }

    class Meta:
        verbose_name = "лицо, названное в документе"
        verbose_name_plural = "лица, названные в документах"
        default_permissions = ()
        base_manager_name = "objects"
        constraints = [models.UniqueConstraint(fields=["document", "person"], name="listedperson_once_per_document")]

    def __str__(self):
        return f"{self.person} в документе {self.document_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise DocumentImmutableError("Список лиц выпущенного документа нельзя изменить")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise DocumentImmutableError("Список лиц выпущенного документа нельзя изменить")


class DocumentJob(models.Model):
    """An issue job written in the caller's transaction (document_issue_later): if the broker
    cannot take it at commit — Redis restarting — it is not lost; tasks.requeue_document_jobs
    enqueues again what no worker has started after a while. Issuing is idempotent per artefact
    and kind, so a job that runs twice issues one document."""

    kwargs = models.JSONField("параметры", encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField("создано", auto_now_add=True)
    enqueued_at = models.DateTimeField("поставлено в очередь", null=True, blank=True)
    started_at = models.DateTimeField("начато", null=True, blank=True)
    finished_at = models.DateTimeField("завершено", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("перезапусков после сбоя исполнителя", default=0)

    class Meta:
        verbose_name = "задание на выпуск документа"
        verbose_name_plural = "задания на выпуск документов"
        default_permissions = ()
        indexes = [models.Index(fields=["finished_at", "created_at"], name="documentjob_waiting")]

    def __str__(self):
        return f"{self.kwargs.get('kind')} для {self.kwargs.get('artefact_id')}"


# Files under ISSUED_PREFIX that neither field refers to are orphans (common.uploads.storage).
upload_storage.register_swept(ISSUED_PREFIX, IssuedDocument, "file", "pdf_file")
upload_storage.register_swept("documents/templates", DocumentTemplate, "file")
