"""«Импорт кадров» in the admin: an upload page next to the Person changelist (the button comes
from templates/admin/orgstructure/person/change_list.html) and a blank template to fill in.

The URLs are added by wrapping the admin site's get_urls, so the page lives under the admin's
login, CSRF and layout without a custom AdminSite; `install` is idempotent and runs when this
module is imported from orgstructure/admin.py. Only a superuser or a staff member with
«add person» may import."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path

from common import spreadsheets

from .importing import COLUMNS, human_size, staff_import
from .models import Person

ERRORS_SHOWN = 500  # a page of 45,000 identical errors helps nobody; the count is always shown
TEMPLATE_FILENAME = "Шаблон импорта кадров.xlsx"


class StaffImportForm(forms.Form):
    file = forms.FileField(label="Файл .xlsx или .csv")
    dry_run = forms.BooleanField(label="Только проверить файл, ничего не записывать", required=False)


def can_import_staff(user) -> bool:
    return user.is_active and (user.is_superuser or (user.is_staff and user.has_perm("orgstructure.add_person")))


def _context(request, site, **extra):
    return {
        **site.each_context(request),
        "title": "Импорт кадров",
        "opts": Person._meta,
        "columns": COLUMNS,
        "max_size": human_size(settings.PROFROST_MAX_UPLOAD_BYTES),
        **extra,
    }


def staff_import_view(request, site=admin.site):
    if not can_import_staff(request.user):
        raise PermissionDenied
    errors, hidden = [], 0
    if request.method == "POST":
        form = StaffImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            result = staff_import(
                file=upload, filename=upload.name, actor=request.user, dry_run=form.cleaned_data["dry_run"]
            )
            if not result.ok:
                messages.error(request, result.summary())
                errors, hidden = result.errors[:ERRORS_SHOWN], max(len(result.errors) - ERRORS_SHOWN, 0)
            elif result.dry_run:
                messages.info(request, result.summary())
                form = StaffImportForm()
            else:
                messages.success(request, result.summary())
                return redirect("admin:orgstructure_person_changelist")
    else:
        form = StaffImportForm()
    context = _context(request, site, form=form, errors=errors, hidden_errors=hidden)
    return TemplateResponse(request, "admin/orgstructure/person/import.html", context)


def staff_import_template_view(request, site=admin.site):
    """An empty workbook with the header row, so that nobody has to type the headers."""
    if not can_import_staff(request.user):
        raise PermissionDenied
    headers = [column.header for column in COLUMNS]
    return spreadsheets.xlsx_response(
        filename=TEMPLATE_FILENAME,
        sheet_title="Кадры",
        header=headers,
        rows=[],
        column_widths=[max(14, len(header) + 2) for header in headers],
    )


def install(site=admin.site) -> None:
    """Put the import URLs in front of the site's own (the Person admin's catch-all
    `<object_id>/` would otherwise take «import/» for a primary key)."""
    if getattr(site, "_profrost_staff_import_installed", False):
        return
    original_get_urls = site.get_urls

    def get_urls():
        return [
            path(
                "orgstructure/person/import/",
                site.admin_view(lambda request: staff_import_view(request, site)),
                name="orgstructure_person_import",
            ),
            path(
                "orgstructure/person/import/template.xlsx",
                site.admin_view(lambda request: staff_import_template_view(request, site)),
                name="orgstructure_person_import_template",
            ),
            *original_get_urls(),
        ]

    site.get_urls = get_urls
    site._profrost_staff_import_installed = True


install()
