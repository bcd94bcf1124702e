"""Administration: template versions (upload a new one — it must render with the sample data),
numbering registers, the read-only archive of issued documents, and the issue jobs waiting for
a worker (read-only)."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Max
from django.http import HttpResponse
from django.urls import reverse
from django.utils.html import format_html

from common.http import content_disposition

from . import pdf_jobs, template_versions
from .errors import DocumentError
from .kinds import PREVIEW_NUMBER, get_spec, kind_choices, kind_label
from .models import DocumentJob, DocumentTemplate, IssuedDocument, NumberingRegister, PdfStatus
from .rendering import fill_number
from .views import DOCX_MIME


class KindFilter(admin.SimpleListFilter):
    """Filter by kind, named in Russian from the registry (the field has no choices)."""

    title = "вид документа"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return kind_choices()

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


class KindTitleMixin:
    @admin.display(description="вид документа", ordering="kind")
    def kind_title(self, obj):
        return obj.kind_label


class TemplateUploadForm(forms.ModelForm):
    kind = forms.ChoiceField(label="вид документа", choices=kind_choices)
    upload = forms.FileField(label="файл .docx", help_text="Шаблон проверяется: он должен заполняться данными образца")

    class Meta:
        model = DocumentTemplate
        fields = ["kind", "comment"]

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("upload")
        if upload is not None and cleaned.get("kind"):
            # The file is judged by its content (common.uploads), its size included: an upload over
            # the limit is an error here, by the field, not a failure after the form passed.
            try:
                template_versions.template_inspect(kind=cleaned["kind"], file=upload)
            except DocumentError as exc:
                self.add_error("upload", str(exc))
                return cleaned
            upload.seek(0)
        return cleaned


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(KindTitleMixin, admin.ModelAdmin):
    list_display = ("kind_title", "version", "is_active", "source", "uploaded_by", "uploaded_at", "short_sha")
    list_filter = (KindFilter, "is_active", "source")
    actions = ["download_sample"]
    readonly_fields = (
        "kind_title",
        "version",
        "file",
        "sha256",
        "source",
        "is_active",
        "comment",
        "uploaded_by",
        "uploaded_at",
    )

    @admin.display(description="SHA-256")
    def short_sha(self, obj):
        return obj.sha256[:12]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = TemplateUploadForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else ()

    def get_fields(self, request, obj=None):
        return ["kind", "upload", "comment"] if obj is None else list(self.readonly_fields)

    def save_model(self, request, obj, form, change):
        template = template_versions.template_upload(
            kind=form.cleaned_data["kind"],
            file=form.cleaned_data["upload"],
            uploaded_by=request.user,
            comment=form.cleaned_data.get("comment", ""),
        )
        # The admin goes on with `obj` (log entry, «added» message): make it the stored version.
        obj.__dict__.update({key: value for key, value in template.__dict__.items() if key != "_state"})
        obj._state.adding = False
        obj._state.db = template._state.db

    def has_change_permission(self, request, obj=None):
        return False if obj is not None else super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Скачать образец, заполненный демонстрационными данными")
    def download_sample(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Выберите одну версию шаблона", messages.WARNING)
            return None
        template = queryset.get()
        try:
            data = template_versions.template_bytes(template)
            rendered = template_versions.template_check(kind=template.kind, data=data)
        except DocumentError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return None
        response = HttpResponse(fill_number(rendered, PREVIEW_NUMBER), content_type=DOCX_MIME)
        label = get_spec(template.kind).file_label
        response["Content-Disposition"] = content_disposition(f"{label} (образец, версия {template.version}).docx")
        return response


class NumberingRegisterForm(forms.ModelForm):
    kind = forms.ChoiceField(label="вид документа", choices=kind_choices)

    class Meta:
        model = NumberingRegister
        fields = ["organization", "kind", "year", "number_format", "next_number"]

    def clean(self):
        cleaned = super().clean()
        current = self.instance if self.instance.pk else None  # on change these three are read-only
        organization = cleaned.get("organization") or getattr(current, "organization", None)
        kind = cleaned.get("kind") or getattr(current, "kind", None)
        year = cleaned.get("year") or getattr(current, "year", None)
        next_number = cleaned.get("next_number")
        if organization and kind and year and next_number:
            last = IssuedDocument.objects.filter(organization=organization, kind=kind, year=year).aggregate(
                last=Max("sequence")
            )["last"]
            if last and next_number <= last:
                raise forms.ValidationError(
                    f"Следующий номер не может быть меньше {last + 1}: номер {last} уже присвоен документу"
                )
        return cleaned


@admin.register(NumberingRegister)
class NumberingRegisterAdmin(KindTitleMixin, admin.ModelAdmin):
    form = NumberingRegisterForm
    list_display = ("organization", "kind_title", "year", "number_format", "next_number", "updated_at")
    list_filter = (KindFilter, "year")
    search_fields = ("organization__name", "organization__short_name")
    autocomplete_fields = ("organization",)
    list_select_related = ("organization",)

    def get_readonly_fields(self, request, obj=None):
        return ("organization", "kind_title", "year") if obj is not None else ()

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["organization", "kind", "year", "number_format", "next_number"]
        return ["organization", "kind_title", "year", "number_format", "next_number"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(KindTitleMixin, admin.ModelAdmin):
    list_display = (
        "issued_on",
        "number",
        "kind_title",
        "title",
        "organization",
        "pdf_status",
        "superseded_at",
        "links",
    )
    list_filter = (KindFilter, "pdf_status", "issued_on", "superseded_at")
    search_fields = ("number", "title", "organization__name", "signatory_name")
    list_select_related = ("organization",)
    date_hierarchy = "issued_on"
    actions = ["retry_pdf"]
    exclude = ("data", "kind")
    readonly_fields = ("kind_title",)

    @admin.display(description="файлы")
    def links(self, obj):
        docx = reverse("documents:download", args=[obj.pk])
        if obj.pdf_status == PdfStatus.READY:
            return format_html(
                '<a href="{}">.docx</a> · <a href="{}">PDF</a>', docx, reverse("documents:pdf", args=[obj.pk])
            )
        return format_html('<a href="{}">.docx</a> · {}', docx, obj.pdf_message or obj.get_pdf_status_display())

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Повторить преобразование в PDF", permissions=["view"])
    def retry_pdf(self, request, queryset):
        count = pdf_jobs.pdf_retry(documents=list(queryset))
        self.message_user(request, f"Поставлено в очередь на преобразование в PDF: {count}")


@admin.register(DocumentJob)
class DocumentJobAdmin(admin.ModelAdmin):
    """The issue jobs (documents.tasks.document_issue_later) — to see what waits for a worker after a
    broker outage. The job's parameters (the document's context, names included) are not shown."""

    list_display = ("id", "kind_title", "created_at", "enqueued_at", "started_at", "finished_at", "attempts")
    list_filter = ("finished_at", "created_at")
    fields = ("kind_title", "created_at", "enqueued_at", "started_at", "finished_at", "attempts")
    readonly_fields = fields

    @admin.display(description="вид документа")
    def kind_title(self, obj):
        return kind_label(obj.kwargs.get("kind", ""))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
