"""The open register of sites (issue 14 §5): a page and an .xlsx without personal data — the
organization, its municipality, the kind of site, its programmes, the term and the приказ — for
anyone, answered only for a region that has switched publication on (else the 404 of a missing
page). Wired in project/urls.py under /open/internships/."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from common import spreadsheets
from orgstructure.models import Region

from . import selectors
from .views import REGISTER_HEADER, register_rows

app_name = "internships_open"


def _published(code):
    region = Region.objects.filter(code=code).first()
    sites = selectors.published_sites(region) if region is not None else None
    if sites is None:
        raise Http404("Страница не найдена")
    return region, sites


@login_not_required
@require_GET
def register_page(request, code):
    region, sites = _published(code)
    return render(
        request,
        "internships/open_register.html",
        {"region": region, "sites": list(sites[:1000]), "title": f"Реестр площадок: {region.name}"},
    )


@login_not_required
@require_GET
def register_xlsx(request, code):
    region, sites = _published(code)
    return spreadsheets.xlsx_response(
        filename=f"Реестр площадок — {region.name}.xlsx",
        sheet_title="Площадки",
        header=REGISTER_HEADER,
        rows=register_rows(sites),
    )


urlpatterns = [
    path("<str:code>/", register_page, name="register"),
    path("<str:code>/export.xlsx", register_xlsx, name="register_xlsx"),
]
