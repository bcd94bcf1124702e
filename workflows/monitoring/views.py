"""The collection's pages: campaigns (list, new, detail, opening collection), the collection
control page of a municipality and the region (with .xlsx), a school's submission, the .xlsx
import, evidence files. Thin: read through selectors, write through one service."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone

from common import spreadsheets
from common.errors import ActionError, add_to_form
from common.http import viewable
from orgstructure import access
from orgstructure.models import Municipality
from workflows.core.calendar import local_date, local_datetime
from workflows.core.flowkit import flow_url, task_url, tasks_for
from workflows.core.state import history_rows

from . import forms, imports, rules, selectors, services
from .models import MUNICIPAL_RUNNERS, REGIONAL_RUNNERS, CampaignStatus, SubmissionFile, can_run_campaign

CAMPAIGN_LIMIT = 100


def _url(name, *args) -> str:
    from .flows import MonitoringFlow

    return flow_url(MonitoringFlow, name, *args)


def _runner_memberships(user):
    return access.memberships_with_role(user, *REGIONAL_RUNNERS, *MUNICIPAL_RUNNERS)


def index(request):
    campaigns = list(selectors.campaigns_for(request.user)[:CAMPAIGN_LIMIT])
    prefix = _url("campaign", 0).removesuffix("0/")
    return render(request, "monitoring/index.html", {
        "title": "Мониторинг: кампании",
        # the control page straight from the list (one reverse for the page, not one per row)
        "campaigns": [(c, f"{prefix}{c.pk}/", f"{prefix}{c.pk}/control/" if c.status != CampaignStatus.DRAFT else "")
                      for c in campaigns],
        # Only someone who runs campaigns in a region may create one (the form needs the region);
        # an administrator without such a role is not shown a button that leads to a 404.
        "can_create": bool(_runner_memberships(request.user)),
        "new_url": _url("campaign_new"),
    })


def campaign_new(request):
    memberships = _runner_memberships(request.user)
    if not memberships:
        raise Http404("Страница не найдена")
    region = memberships[0].organization.region
    regional = access.reaches_region(request.user, REGIONAL_RUNNERS, region_id=region.pk)
    municipalities = Municipality.objects.filter(region=region).order_by("name")
    if not regional:
        municipalities = municipalities.filter(pk__in=[m.organization.municipality_id for m in memberships])
    form = forms.CampaignForm(request.POST or None, municipalities=municipalities,
                              choices=services.indicator_choices())
    if not regional:
        form.fields["municipality"].required = True
        form.fields["municipality"].empty_label = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = services.campaign_create(
                actor=request.user, region=region, municipality=data["municipality"], title=data["title"],
                period_start=data["period_start"], period_end=data["period_end"], opens_on=data["opens_on"],
                codes=data["codes"],
            )
        except ActionError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, "Кампания создана. Проверьте показатели и откройте сбор данных")
            return HttpResponseRedirect(_url("campaign", campaign.pk))
    return render(request, "core/form_page.html", {
        "title": "Новая кампания мониторинга", "form": form, "submit_label": "Создать",
        "intro": "Показатели, которые система вычисляет сама, будут заполнены для каждой школы при открытии сбора; "
                 "школа сможет изменить такое значение только с указанием причины.",
        "back_url": _url("index"),
    })


def _can_run(user, campaign) -> bool:
    return can_run_campaign(user, region_id=campaign.region_id, municipality_id=campaign.municipality_id)


CAMPAIGN_FORMS_SHOWN = 20


def campaign_detail(request, pk):
    campaign = selectors.campaign_for(request.user, pk)
    scoped = selectors.submissions_for(request.user, campaign)
    # a school head has one form or a few; a region's coordinator has 1,100 — those are counted
    # on the control page, and this page says how many it leaves out instead of cutting silently
    own = list(scoped.select_related("organization").order_by("organization__name", "id")[:CAMPAIGN_FORMS_SHOWN])
    more = scoped.count() - len(own) if len(own) == CAMPAIGN_FORMS_SHOWN else 0
    return render(request, "monitoring/campaign.html", {
        "title": campaign.title,
        "campaign": campaign,
        "indicators": list(campaign.indicators.all()),
        "rules": list(campaign.rules.all()),
        "can_open": _can_run(request.user, campaign) and campaign.status in (CampaignStatus.DRAFT,
                                                                             CampaignStatus.COLLECTING),
        "is_draft": campaign.status == CampaignStatus.DRAFT,
        "submissions": [(s, _url("submission", s.pk)) for s in own],
        "more_submissions": more,
        "open_url": _url("campaign_open", campaign.pk),
        "control_url": _url("control", campaign.pk),
        "import_url": _url("import", campaign.pk),
        "back_url": _url("index"),
    })


def campaign_open_view(request, pk):
    campaign = selectors.campaign_for(request.user, pk)
    if not _can_run(request.user, campaign):
        raise Http404("Страница не найдена")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    from .opening import campaign_open

    try:
        opened = campaign_open(actor=request.user, campaign=campaign)
    except ActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Сбор данных открыт: форм направлено школам — {opened}")
    return HttpResponseRedirect(_url("campaign", campaign.pk))


CONTROL_COLUMNS = ["Муниципальное образование", "Школа", "Статус", "Представлено (время региона)",
                   "Срок (дата региона)", "С опозданием", "Предупреждений"]


def control(request, pk):
    campaign = selectors.campaign_for(request.user, pk)
    municipality_id = request.GET.get("municipality") or None
    if municipality_id is not None:
        try:
            municipality_id = int(municipality_id)
        except ValueError:
            raise Http404("Страница не найдена") from None
    export = request.GET.get("format") == "xlsx"
    progress = selectors.progress(request.user, campaign, municipality_id=municipality_id, schools=export or None)
    if export:
        names = {m.pk: m.name for m, _ in progress.municipalities}
        zone = campaign.region.timezone  # the region's clock, as on the page (not the server's)
        rows = ([names.get(r.municipality_id, ""), r.name, r.status_label,
                 local_datetime(r.submitted_at, zone) if r.submitted_at else None,
                 local_date(r.due_at, zone) if r.due_at else None,
                 "да" if r.late else "", r.warnings] for r in progress.schools)
        return spreadsheets.xlsx_response(
            filename=f"Контроль сбора — {campaign.title}.xlsx", sheet_title="Контроль сбора",
            title=f"{campaign.title}: контроль сбора на {local_date(timezone.now(), zone):%d.%m.%Y}",
            header=CONTROL_COLUMNS, rows=rows,
        )
    base = _url("control", campaign.pk)
    submission_prefix = _url("submission", 0).removesuffix("0/")
    return render(request, "monitoring/control.html", {
        "title": f"Контроль сбора: {campaign.title}",
        "campaign": campaign,
        "progress": progress,
        "municipalities": [(m, tally, f"{base}?municipality={m.pk}") for m, tally in progress.municipalities],
        "show_municipalities": len(progress.municipalities) > 1 and municipality_id is None,
        "schools": [(row, f"{submission_prefix}{row.submission_id}/") for row in progress.schools],
        "export_url": f"{base}?format=xlsx" + (f"&municipality={municipality_id}" if municipality_id else ""),
        "base_url": base,
        "back_url": _url("campaign", campaign.pk),
    })


def submission_detail(request, pk):
    submission = selectors.submission_for(request.user, pk)
    indicators = list(submission.campaign.indicators.all())
    # only the tasks the user may do: a queue of another role's task would answer 404 on click
    tasks = tasks_for(request.user, submission)
    evidence_prefix = _url("evidence", 0).removesuffix("0/")
    return render(request, "monitoring/submission.html", {
        "title": str(submission),
        "submission": submission,
        "rows": [
            {"indicator": i, "value": rules.shown(i, submission.values.get(i.code)),
             "computed": rules.shown(i, submission.computed[i.code]) if i.code in submission.computed else "",
             "reason": submission.corrections.get(i.code, "")}
            for i in indicators
        ],
        "reason": services.return_reason(submission),
        "files": [(f, f"{evidence_prefix}{f.pk}/") for f in submission.files.all()],
        "history": history_rows(submission),
        "tasks": [(task, task_url(task)) for task in tasks],
        "back_url": _url("control", submission.campaign_id),
    })


def evidence(request, pk):
    record = access.get_for_user_or_404(request.user, SubmissionFile.objects.select_related("submission"), pk=pk)
    extension = record.file.name.rsplit(".", 1)[-1] if "." in record.file.name else ""
    return viewable(record.file, stem=f"{record.code} {record.submission.organization.name}", extension=extension)


def import_view(request, pk):
    campaign = selectors.campaign_for(request.user, pk)
    schools = imports.importable_schools(request.user, campaign)
    if not schools:
        raise Http404("Страница не найдена")
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = imports.import_forms(actor=request.user, campaign=campaign, upload=form.cleaned_data["file"])
        except ActionError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, f"Загружено форм: {result}")
            return HttpResponseRedirect(_url("control", campaign.pk))
    return render(request, "monitoring/import.html", {
        "title": f"Загрузка данных из Excel: {campaign.title}",
        "campaign": campaign,
        "form": form,
        "schools": len(schools),
        "template_url": _url("import_template", campaign.pk),
        "back_url": _url("campaign", campaign.pk),
    })


def import_template(request, pk):
    campaign = selectors.campaign_for(request.user, pk)
    schools = imports.importable_schools(request.user, campaign)
    if not schools:
        raise Http404("Страница не найдена")
    return imports.template_response(campaign, schools)
