"""Pages of the analysis and the management loop (issue 12 §7-9), scoped: a regional official
sees the region, its municipalities and schools; a municipal one their municipality and its
schools; anyone else gets 404, as for a missing campaign."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_http_methods

from common.errors import ActionError, add_to_form
from orgstructure import access
from orgstructure.models import Membership, Role
from workflows.core.calendar import day_off_note
from workflows.core.charts import horizontal_bars
from workflows.core.flowkit import flow_url

from . import analysis as an
from . import analysis_services, effectiveness, measures_planning, measures_services
from .analysis_models import (
    MEASURE_OWNER_ROLES,
    AnalysisReport,
    DraftStatus,
    Measure,
    RecommendationLetter,
    can_manage,
)
from .documents import EFFECTIVENESS_KIND
from .models import Campaign, ValueKind

REGIONAL_VIEWERS = (Role.CNPPM_COORDINATOR, Role.CNPPM_METHODIST, Role.MINISTRY_OFFICER,
                    Role.MINISTRY_SIGNATORY, Role.IRO_STAFF, Role.PD_ADMIN)
MUNICIPAL_VIEWERS = (Role.MMS_METHODIST, Role.MUNI_AUTHORITY)
STATUS = {None: "—", True: "достигнуто", False: "не достигнуто"}


def _flow():
    from .measures_flows import MeasureFlow

    return MeasureFlow


def _scope(user, campaign) -> tuple[bool, int | None]:
    """(regional view?, the municipality the user is limited to). 404 for anyone else."""
    if access.is_unrestricted(user) or access.reaches_region(user, REGIONAL_VIEWERS, region_id=campaign.region_id):
        return True, None
    munis = {m.organization.municipality_id for m in access.memberships_with_role(user, *MUNICIPAL_VIEWERS)
             if m.organization.region_id == campaign.region_id and m.organization.municipality_id}
    if campaign.municipality_id in munis:
        return False, campaign.municipality_id
    if munis and campaign.municipality_id is None:
        return False, sorted(munis)[0]
    raise Http404("Кампания не найдена")


def _campaign(request, pk) -> tuple[Campaign, bool, int | None]:
    campaign = Campaign.objects.select_related("region", "municipality").filter(pk=pk).first()
    if campaign is None:
        raise Http404("Кампания не найдена")
    regional, muni = _scope(request.user, campaign)
    return campaign, regional, muni


def index(request):
    rows = []
    for campaign in Campaign.objects.select_related("region", "municipality").order_by("-period_start", "-id")[:200]:
        try:
            _scope(request.user, campaign)
        except Http404:
            continue
        rows.append({"campaign": campaign, "url": flow_url(_flow(), "management", campaign.pk),
                     "analysis_url": flow_url(_flow(), "analysis", campaign.pk)})
    return render(request, "monitoring/management_index.html",
                  {"title": "Анализ мониторинга и управленческие решения", "rows": rows})


def _rows(analysis: an.Analysis, regional: bool, campaign):
    names = analysis.municipality_names if regional and campaign.municipality_id is None else analysis.school_names
    by_muni = regional and campaign.municipality_id is None and analysis.municipality_id is None
    out = []
    for result in analysis.results:
        kind = result.indicator.kind
        cells = result.municipalities if by_muni else result.schools
        chart = ""
        if kind != ValueKind.NUMBER:
            chart = horizontal_bars(sorted(((names.get(k, "—"), float(c.value), "") for k, c in cells.items()
                                            if c.value is not None), key=lambda item: -item[1])[:40])
        out.append({
            "result": result, "kind": kind,
            "value": an.format_figure(result.total.figure, kind),
            "previous": an.format_value(result.total.previous_value, kind),
            "change": an.format_change(result.total.change, kind),
            "target": an.format_value(result.indicator.target, kind),
            "status": STATUS[result.total.achieved],
            "municipalities": [
                {"name": u.name, "value": an.format_value(u.cell.value, kind), "factors": u.factors}
                for u in (analysis.below_target_municipalities(result) if by_muni else [])
            ],
            "schools": [
                {"name": u.name, "municipality": u.municipality, "value": an.format_value(u.cell.value, kind),
                 "factors": u.factors}
                for u in analysis.below_target_schools(result)
            ],
            "chart": chart,
        })
    return out


def analysis_page(request, pk):
    campaign, regional, muni = _campaign(request, pk)
    if regional and request.GET.get("m", "").isdigit():
        muni = int(request.GET["m"])
    analysis = an.campaign_analysis(campaign, municipality_id=muni)
    where = an.territory_name(campaign, muni)
    return render(request, "monitoring/analysis.html", {
        "title": f"Анализ: {campaign} — {where}",
        "campaign": campaign, "analysis": analysis, "rows": _rows(analysis, regional and muni is None, campaign),
        "previous": analysis.previous_campaign, "management_url": flow_url(_flow(), "management", campaign.pk),
        "municipalities": sorted(analysis.municipality_names.items(), key=lambda item: item[1]) if regional else [],
    })


class MeasureForm(forms.Form):
    title = forms.CharField(label="Мера (мероприятие)", max_length=500)
    indicator_code = forms.ChoiceField(label="Показатель")
    owner = forms.ModelChoiceField(label="Ответственный", queryset=Membership.objects.none())
    due = forms.DateField(label="Срок", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, campaign, muni=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator_code"].choices = [(i.code, f"{i.code} {i.title}") for i in campaign.indicators.all()]
        owners = Membership.objects.filter(is_active=True, organization__region_id=campaign.region_id,
                                           role__in=MEASURE_OWNER_ROLES, user__is_active=True,
                                           ).select_related("user", "organization")
        if muni is not None:
            owners = owners.filter(organization__municipality_id=muni)
        self.fields["owner"].queryset = owners.order_by("organization__name", "user__last_name", "id")
        self.fields["owner"].label_from_instance = lambda m: (
            f"{m.user.get_full_name() or m.user.username} — {m.get_role_display()}, "
            f"{m.organization.short_name or m.organization.name}")


def _documents(campaign):
    from django.contrib.contenttypes.models import ContentType

    from documents.models import IssuedDocument

    return list(IssuedDocument.objects.filter(
        artefact_type=ContentType.objects.get_for_model(Campaign), artefact_id=str(campaign.pk),
        superseded_at__isnull=True).order_by("issued_on", "id"))


@require_http_methods(["GET", "POST"])
def management(request, pk):
    campaign, regional, muni = _campaign(request, pk)
    manager = can_manage(request.user, campaign, None if regional else muni)
    form = MeasureForm(request.POST if request.POST.get("action") == "measure" else None, campaign=campaign,
                       muni=None if regional else muni)
    if request.method == "POST":
        if not manager:
            raise Http404("Кампания не найдена")
        action = request.POST.get("action")
        report_muni = None if regional else muni
        try:
            if action == "report":
                report = analysis_services.report_prepare(actor=request.user, campaign=campaign,
                                                          municipality_id=report_muni)
                return HttpResponseRedirect(flow_url(_flow(), "report", report.pk))
            if action == "letters":
                made = analysis_services.letters_generate(actor=request.user, campaign=campaign,
                                                          municipality_id=report_muni)
                messages.success(request, f"Сформировано писем с адресными рекомендациями: {len(made)}")
            elif action == "measure" and form.is_valid():
                measure = measures_planning.measure_add(
                    actor=request.user, campaign=campaign, title=form.cleaned_data["title"],
                    indicator_code=form.cleaned_data["indicator_code"], owner_membership=form.cleaned_data["owner"],
                    due=form.cleaned_data["due"])
                moved = day_off_note(form.cleaned_data["due"], measure.due)
                messages.success(request, "Мера включена в план; задача — во входящих ответственного"
                                 + (f"; {moved}" if moved else ""))
                return HttpResponseRedirect(request.path)
            elif action == "decisions":
                measures_services.decisions_issue(actor=request.user, campaign=campaign)
                messages.success(request, "Приказ формируется; он появится на этой странице и в «Документах»")
            elif action == "effectiveness":
                effectiveness.effectiveness_issue(actor=request.user, campaign=campaign)
                messages.success(request, "Отчет об эффективности формируется")
            elif action == "goals":
                target = effectiveness.goals_seed(actor=request.user, campaign=campaign)
                messages.success(request, f"Цели следующего цикла заданы: «{target}»")
            if action != "measure" or form.is_valid():
                return HttpResponseRedirect(request.path)
        except ActionError as exc:
            if action == "measure":
                add_to_form(form, exc)
            else:
                messages.error(request, str(exc))
                return HttpResponseRedirect(request.path)
    reports = AnalysisReport.objects.filter(campaign=campaign)
    letters = RecommendationLetter.objects.filter(campaign=campaign).select_related("addressee")
    measures = Measure.objects.filter(campaign=campaign).select_related("owner", "owner_organization")
    if not regional:
        reports, letters = reports.filter(municipality_id=muni), letters.filter(municipality_id=muni)
        measures = measures.filter(owner_organization__municipality_id=muni)
    after, comparison = (None, [])
    if regional:
        after, comparison = effectiveness.compare(campaign)
    return render(request, "monitoring/management.html", {
        "title": f"{campaign}: анализ и управленческие решения",
        "campaign": campaign, "regional": regional, "manager": manager,
        "stages": an.cycle_calendar(campaign),
        "analysis_url": flow_url(_flow(), "analysis", campaign.pk),
        "reports": [(r, flow_url(_flow(), "report", r.pk), analysis_services.issued_document(r)) for r in reports],
        "letters": [(x, flow_url(_flow(), "letter", x.pk), analysis_services.issued_document(x)) for x in letters],
        "measures": measures, "progress": measures_services.plan_progress(campaign), "form": form,
        "documents": _documents(campaign), "after": after,
        "after_has_data": any(row.after is not None and row.after.figure is not None for row in comparison),
        "comparison": [{"code": row.indicator.code, "before": an.format_value(row.before.value, row.indicator.kind),
                        "after": an.format_value(row.after.value if row.after else None, row.indicator.kind),
                        "change": an.format_change(row.change, row.indicator.kind), "verdict": row.verdict,
                        "measures": len(row.measures)} for row in comparison],
        "effectiveness_issued": measures_services.issued_document_of(campaign, EFFECTIVENESS_KIND),
        "goals": campaign.goals.all(),
    })


class ReportForm(forms.Form):
    basis = forms.CharField(label="Основание проведения мониторинга", widget=forms.Textarea(attrs={"rows": 2}))
    goals = forms.CharField(label="Цели мониторинга (по одной в строке)", widget=forms.Textarea(attrs={"rows": 3}))
    analysis = forms.CharField(label="Анализ результатов и факторы (абзацы)", widget=forms.Textarea(attrs={"rows": 5}))
    conclusions = forms.CharField(label="Выводы", widget=forms.Textarea(attrs={"rows": 3}))
    recommendations = forms.CharField(label="Адресные рекомендации (сводно)", widget=forms.Textarea(attrs={"rows": 3}))


@require_http_methods(["GET", "POST"])
def report_page(request, pk):
    report = AnalysisReport.objects.select_related("campaign__region", "issuing_organization").filter(pk=pk).first()
    if report is None:
        raise Http404("Справка не найдена")
    regional, muni = _scope(request.user, report.campaign)
    if not regional and report.municipality_id != muni:
        raise Http404("Справка не найдена")
    analysis = an.campaign_analysis(report.campaign, municipality_id=report.municipality_id)
    texts = {**analysis_services.default_texts(report.campaign, analysis), **(report.texts or {})}
    initial = {key: (value if isinstance(value, str) else "\n".join(value)) for key, value in texts.items()}
    form = ReportForm(request.POST or None, initial=initial)
    manager = can_manage(request.user, report.campaign, report.municipality_id)
    if request.method == "POST":
        if not manager:
            raise Http404("Справка не найдена")
        try:
            if request.POST.get("action") == "issue":
                analysis_services.report_issue(actor=request.user, report=report)
                messages.success(request, "Справка выпускается: номер присвоен будет в момент выпуска")
                return HttpResponseRedirect(request.path)
            if form.is_valid():
                analysis_services.report_update(actor=request.user, report=report, texts=form.cleaned_data)
                if request.POST.get("action") == "preview":
                    return _preview(report)
                messages.success(request, "Черновик сохранён")
                return HttpResponseRedirect(request.path)
        except ActionError as exc:
            add_to_form(form, exc)
    return render(request, "monitoring/report.html", {
        "title": str(report), "report": report, "form": form, "manager": manager,
        "document": analysis_services.issued_document(report),
        "back_url": flow_url(_flow(), "management", report.campaign_id),
    })


def _preview(report):
    from documents.issuing import document_preview

    data = analysis_services.report_data(report)
    content = document_preview(kind="monitoring_report", issuing_organization=report.issuing_organization,
                               context=data)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml."
                                                  "document")
    response["Content-Disposition"] = 'attachment; filename="spravka-chernovik.docx"'
    return response


@require_http_methods(["GET", "POST"])
def letter_page(request, pk):
    letter = RecommendationLetter.objects.select_related("campaign__region", "addressee").filter(pk=pk).first()
    if letter is None:
        raise Http404("Письмо не найдено")
    regional, muni = _scope(request.user, letter.campaign)
    if not regional and letter.municipality_id != muni:
        raise Http404("Письмо не найдено")
    manager = can_manage(request.user, letter.campaign, None if regional else muni)
    errors = []
    if request.method == "POST":
        if not manager:
            raise Http404("Письмо не найдено")
        try:
            if request.POST.get("action") == "issue":
                analysis_services.letter_issue(actor=request.user, letter=letter)
                messages.success(request, "Письмо направляется")
            else:
                items = [{key: request.POST.get(f"{key}_{n}", "") for key in
                          ("problem", "value", "benchmark", "recommendation", "due", "responsible")}
                         for n in range(1, len(letter.items) + 1)]
                analysis_services.letter_update(actor=request.user, letter=letter, items=items)
                messages.success(request, "Черновик письма сохранён")
            return HttpResponseRedirect(request.path)
        except ActionError as exc:
            errors = [str(exc)] + [m for msgs in getattr(exc, "errors", {}).values() for m in msgs]
    items = [(item, parse_date(item.get("due") or "")) for item in letter.items]
    return render(request, "monitoring/letter.html", {
        "title": str(letter), "letter": letter, "manager": manager, "errors": errors, "items": items,
        "editable": manager and letter.status == DraftStatus.DRAFT,
        "document": analysis_services.issued_document(letter),
        "back_url": flow_url(_flow(), "management", letter.campaign_id),
    })
