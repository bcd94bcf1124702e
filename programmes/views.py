"""Pages of the catalogue of ДПП: the list with filters and keyset pages, a programme's card, the
.xlsx import (all rows or none) and its blank template."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views import View

from common import spreadsheets, uploads
from orgstructure.models import Region, Subject

from . import importing, selectors
from .models import CompetencyArea, ProgrammeKind

ERRORS_SHOWN = 500
TEMPLATE_FILENAME = "Шаблон каталога ДПП.xlsx"


def _int_or_none(value):
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _filters(request) -> dict:
    get = request.GET
    register = get.get("register", "")
    return {
        "q": get.get("q", "").strip()[:200],
        "provider_id": _int_or_none(get.get("provider")),
        "area": get.get("area", "") if get.get("area", "") in CompetencyArea.values else "",
        "subject_id": _int_or_none(get.get("subject")),
        "in_register": {"yes": True, "no": False}.get(register),
        "kind": get.get("kind", "") if get.get("kind", "") in ProgrammeKind.values else "",
        "active_only": get.get("active", "1") == "1",
    }


def _query(request) -> str:
    keys = ("q", "provider", "area", "subject", "register", "kind", "active")
    return urlencode({key: request.GET[key] for key in keys if request.GET.get(key)})


def programme_list(request):
    filters = _filters(request)
    cursor = request.GET.get("after", "")
    page = selectors.programme_page(user=request.user, cursor=cursor, **filters)
    return render(
        request,
        "programmes/list.html",
        {
            "title": "Каталог ДПП",
            "page": page,
            "filters": filters,
            "register": request.GET.get("register", ""),
            "query": _query(request),
            "cursor": cursor,
            "providers": selectors.providers(user=request.user),
            "areas": CompetencyArea.choices,
            "kinds": ProgrammeKind.choices,
            "subjects": Subject.objects.order_by("name"),
            "can_manage": selectors.can_manage(request.user),
        },
    )


def programme_detail(request, pk):
    programme = selectors.programme_get(user=request.user, pk=pk)
    return render(request, "programmes/detail.html", {"title": programme.title, "programme": programme})


class ImportForm(forms.Form):
    region = forms.ModelChoiceField(label="Регион", queryset=Region.objects.none(), empty_label=None)
    file = forms.FileField(label="Файл .xlsx")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        ids = selectors.managed_region_ids(user)
        regions = Region.objects.order_by("name")
        self.fields["region"].queryset = regions if ids is None else regions.filter(pk__in=ids)
        if self.fields["region"].queryset.count() == 1:
            self.fields["region"].widget = forms.HiddenInput()
            self.initial["region"] = self.fields["region"].queryset.first().pk


class ImportView(View):
    template_name = "programmes/import.html"

    def dispatch(self, request, *args, **kwargs):
        if not selectors.can_manage(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self._page(request, ImportForm(user=request.user))

    def post(self, request):
        form = ImportForm(request.POST, request.FILES, user=request.user)
        errors, hidden = [], 0
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                checked = uploads.check_upload(upload, accept={uploads.Kind.XLSX}, label="каталог")
            except uploads.UploadRefused as refused:
                form.add_error("file", refused.messages[0])
            else:
                result = importing.programme_import(
                    data=checked.data, filename=checked.name, actor=request.user, region=form.cleaned_data["region"]
                )
                if result.ok:
                    messages.success(request, result.summary())
                    return HttpResponseRedirect(reverse("directory:programmes:index"))
                messages.error(request, result.summary())
                errors, hidden = result.errors[:ERRORS_SHOWN], max(len(result.errors) - ERRORS_SHOWN, 0)
        return self._page(request, form, errors=errors, hidden=hidden)

    def _page(self, request, form, errors=(), hidden=0):
        return render(
            request,
            self.template_name,
            {
                "title": "Загрузка каталога ДПП из .xlsx",
                "form": form,
                "errors": errors,
                "hidden_errors": hidden,
                "columns": importing.COLUMNS,
            },
        )


def import_template(request):
    if not selectors.can_manage(request.user):
        raise PermissionDenied
    return spreadsheets.xlsx_response(
        filename=TEMPLATE_FILENAME,
        sheet_title="Каталог ДПП",
        header=[column.header for column in importing.COLUMNS],
        rows=[],
    )
