"""Pages of the diagnostics: the results the user handles (scoped: personal data), a result's
page with its справка, a result entered by hand, the .xlsx import and its blank template."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views import View

from common import keyset, spreadsheets, uploads
from common.errors import ActionError, add_to_form
from documents.models import IssuedDocument
from orgstructure import access
from orgstructure.models import Municipality
from programmes.models import CompetencyArea
from programmes.selectors import programmes_for_areas

from . import importing, selectors, services
from .documents import DIAGNOSIS_CERTIFICATE_KIND
from .forms import DiagnosisForm, ImportForm
from .models import DiagnosisResult

PAGE_SIZE = 50
ERRORS_SHOWN = 500
ORDERING = ("-diagnosed_on", "-id")


def _int_or_none(value):
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _date_or_none(value):
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def result_list(request):
    get = request.GET
    filters = {
        "municipality": _int_or_none(get.get("municipality")),
        "q": get.get("q", "").strip()[:100],
        "deficit": get.get("deficit", "") if get.get("deficit", "") in CompetencyArea.values else "",
        "since": _date_or_none(get.get("since")),
    }
    queryset = selectors.diagnosis_list(user=request.user)
    if filters["municipality"]:
        queryset = queryset.filter(person__organization__municipality_id=filters["municipality"])
    if filters["q"]:
        queryset = queryset.filter(person__last_name__istartswith=filters["q"])
    if filters["deficit"]:
        queryset = queryset.filter(deficits__area=filters["deficit"]).distinct()
    if filters["since"]:
        queryset = queryset.filter(diagnosed_on__gte=filters["since"])
    cursor = get.get("after", "")
    page = keyset.page(selectors.with_details(queryset), ORDERING, cursor=cursor, size=PAGE_SIZE)
    query = urlencode({k: v for k, v in get.items() if k in ("municipality", "q", "deficit", "since") and v})
    rows = [
        {
            "result": result,
            "scores": [result.score_for(area) for area in CompetencyArea.values],
            "deficits": len(result.deficits.all()),
        }
        for result in page.rows
    ]
    return render(
        request,
        "diagnostics/list.html",
        {
            "title": "Результаты диагностики профессиональных дефицитов",
            "page": page,
            "rows": rows,
            "filters": filters,
            "query": query,
            "cursor": cursor,
            "areas": CompetencyArea.choices,
            "municipalities": access.scope_queryset(request.user, Municipality.objects.all()).order_by("name"),
            "can_enter": services.can_enter(request.user),
        },
    )


def result_detail(request, pk):
    result = access.get_for_user_or_404(request.user, selectors.with_details(DiagnosisResult.objects.all()), pk=pk)
    if request.method == "POST":
        try:
            services.diagnosis_certificate_request(actor=request.user, result=result)
        except ActionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Справка поставлена в очередь на выпуск: она появится здесь и в «Документах».")
        return HttpResponseRedirect(reverse("diagnostics:detail", args=[pk]))
    deficit_areas = sorted({row.area for row in result.deficits.all()})
    documents = IssuedDocument.objects.filter(
        artefact_type=ContentType.objects.get_for_model(DiagnosisResult),
        artefact_id=str(result.pk),
        kind=DIAGNOSIS_CERTIFICATE_KIND,
        superseded_at__isnull=True,
    )
    areas = [
        {
            "label": label,
            "score": result.score_for(area),
            "deficits": [d.title for d in result.deficits.all() if d.area == area],
        }
        for area, label in CompetencyArea.choices
    ]
    person = result.person
    return render(
        request,
        "diagnostics/detail.html",
        {
            "title": f"Диагностика: {person.full_name}",
            "result": result,
            "areas": areas,
            "documents": documents,
            "valid_since": selectors.valid_since(region_id=person.organization.region_id, on_date=dt.date.today()),
            "programmes": programmes_for_areas(
                user=request.user, areas=deficit_areas, subject_ids=list(person.subjects.values_list("id", flat=True))
            )[:10]
            if deficit_areas
            else [],
            "can_issue": services.entering_organizations(request.user).filter(pk=result.organization_id).exists(),
        },
    )


class _EntryView(View):
    def dispatch(self, request, *args, **kwargs):
        if not services.can_enter(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ResultCreateView(_EntryView):
    def get(self, request):
        return self._page(request, DiagnosisForm(user=request.user))

    def post(self, request):
        form = DiagnosisForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                result = services.diagnosis_create(
                    actor=request.user,
                    organization=form.cleaned_data["organization"],
                    person=form.person,
                    diagnosed_on=form.cleaned_data["diagnosed_on"],
                    instrument=form.cleaned_data["instrument"],
                    scores=form.scores(),
                    deficits=form.deficits(),
                    comment=form.cleaned_data["comment"],
                )
            except ActionError as error:
                add_to_form(form, error)
            else:
                messages.success(request, f"Результат диагностики внесён: {result.person}")
                return HttpResponseRedirect(reverse("diagnostics:detail", args=[result.pk]))
        return self._page(request, form)

    def _page(self, request, form):
        return render(request, "diagnostics/form.html", {"title": "Внести результат диагностики", "form": form})


class ImportView(_EntryView):
    def get(self, request):
        return self._page(request, ImportForm(user=request.user))

    def post(self, request):
        form = ImportForm(request.POST, request.FILES, user=request.user)
        errors, hidden = [], 0
        if form.is_valid():
            try:
                checked = uploads.check_upload(
                    form.cleaned_data["file"], accept={uploads.Kind.XLSX}, label="результаты диагностики"
                )
            except uploads.UploadRefused as refused:
                form.add_error("file", refused.messages[0])
            else:
                result = importing.diagnosis_import(
                    data=checked.data,
                    filename=checked.name,
                    checksum=checked.sha256,
                    actor=request.user,
                    organization=form.cleaned_data["organization"],
                )
                if result.ok:
                    messages.success(request, result.summary())
                    return HttpResponseRedirect(reverse("diagnostics:index"))
                messages.error(request, result.summary())
                errors, hidden = result.errors[:ERRORS_SHOWN], max(len(result.errors) - ERRORS_SHOWN, 0)
        return self._page(request, form, errors, hidden)

    def _page(self, request, form, errors=(), hidden=0):
        return render(
            request,
            "diagnostics/import.html",
            {
                "title": "Загрузка результатов диагностики из .xlsx",
                "form": form,
                "errors": errors,
                "hidden_errors": hidden,
                "columns": importing.COLUMNS,
            },
        )


def import_template(request):
    if not services.can_enter(request.user):
        raise PermissionDenied
    return spreadsheets.xlsx_response(
        filename="Шаблон результатов диагностики.xlsx",
        sheet_title="Диагностика",
        header=[column.header for column in importing.COLUMNS],
        rows=[],
    )
