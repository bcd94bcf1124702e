"""The analysis's documents (issue 12 §7): the аналитическая справка (DOC-5) as a draft — texts
edited by the official, figures, tables and charts from the analysis — issued with a number in
the worker; the адресные рекомендации (DOC-6) generated from the rules (an indicator below target
→ a text of the editable library), edited and issued as letters. Each write one transaction."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from common.errors import ActionForbidden, ActionRefused, InvalidInput
from orgstructure import access
from orgstructure.models import Organization, OrganizationKind, Person, Role
from workflows.core.audit import record_event

from . import analysis as an
from .analysis_models import (
    AnalysisReport,
    DraftStatus,
    ManagementEvent,
    Measure,
    RecommendationAddressee,
    RecommendationLetter,
    RecommendationText,
    can_manage,
)
from .documents import RECOMMENDATIONS_KIND, REPORT_KIND
from .models import Campaign, ValueKind

CHART_ROWS = 60  # a chart of more bars than this is not read; the table below it has them all
RISK_SCHOOLS = 15  # schools named per indicator in the справка's «зона риска» (the page lists all)
TEXT_KEYS = ("basis", "goals", "analysis", "conclusions", "recommendations")


def period_label(campaign: Campaign) -> str:
    """«2026 год», «I полугодие 2026 г.», else «период с 01.09.2025 по 31.05.2026»."""
    start, end = campaign.period_start, campaign.period_end
    if start.year == end.year and (start.month, start.day) == (1, 1):
        if (end.month, end.day) == (12, 31):
            return f"{start.year} год"
        if (end.month, end.day) == (6, 30):
            return f"I полугодие {start.year} г."
    if start.year == end.year and (start.month, start.day, end.month, end.day) == (7, 1, 12, 31):
        return f"II полугодие {start.year} г."
    return f"период с {start:%d.%m.%Y} по {end:%d.%m.%Y}"


def _lines(value) -> list[str]:
    if isinstance(value, list):
        return [str(line).strip() for line in value if str(line).strip()]
    return [line.strip() for line in str(value or "").splitlines() if line.strip()]


def _number(value) -> str:
    return "" if value is None else str(value)


def _unit(kind) -> str:
    return "%" if kind in an.PERCENT_KINDS else "ед."


def default_texts(campaign: Campaign, analysis: an.Analysis) -> dict:
    """What a new draft starts with (the official edits it)."""
    from workflows.core.regulation import profile_for

    profile = profile_for(campaign.region.code, campaign.opens_on, municipality_id=campaign.municipality_id)
    met = sum(1 for r in analysis.results if r.total.achieved)
    with_target = sum(1 for r in analysis.results if r.total.achieved is not None)
    below = [r.code for r in analysis.results if r.total.achieved is False]
    goals = [goal.text for goal in campaign.goals.all()] or [
        "получение объективной информации о состоянии системы профессионального развития педагогических работников",
        "выявление факторов, влияющих на сформированность установленных показателей, и подготовка адресных "
        "рекомендаций",
    ]
    return {
        "basis": (profile.legal_basis if profile and profile.legal_basis else "Положение о мониторинге"),
        "goals": goals,
        "analysis": [
            f"Данные приняты от {analysis.schools_accepted} из {analysis.schools_total} образовательных организаций.",
        ],
        "conclusions": [
            f"Целевые значения достигнуты по {met} показателям из {with_target}."
            + (f" Не достигнуты: {', '.join(below)}." if below else "")
        ],
        "recommendations": [
            "Адресные рекомендации муниципальным методическим службам и образовательным организациям, не "
            "достигшим целевых значений, направляются письмами по итогам мониторинга."
        ],
    }


def _risk_zone(analysis: an.Analysis) -> list[str]:
    lines = []
    for result in analysis.results:
        kind = result.indicator.kind
        munis = analysis.below_target_municipalities(result) if analysis.municipality_id is None else []
        schools = analysis.below_target_schools(result)
        if not munis and not schools:
            continue
        target = an.format_value(result.indicator.target, kind)
        text = f"{result.code} «{result.indicator.title}» ниже целевого значения ({target})"
        parts = []
        if munis:
            parts.append("муниципальные образования: " + "; ".join(
                f"{m.name} – {an.format_value(m.cell.value, kind)}"
                + (f" ({', '.join(m.factors)})" if m.factors else "")
                for m in munis))
        if schools:
            named = ", ".join(f"{s.name} – {an.format_value(s.cell.value, kind)}" for s in schools[:RISK_SCHOOLS])
            more = f" и ещё {len(schools) - RISK_SCHOOLS}" if len(schools) > RISK_SCHOOLS else ""
            parts.append(f"образовательные организации ({len(schools)}): {named}{more}")
        lines.append(f"{text}: " + "; ".join(parts) + ".")
    return lines


def report_data(report: AnalysisReport, *, analysis: an.Analysis | None = None) -> dict:
    """The DOC-5 data of a draft: its texts and the analysis's figures (JSON-friendly, for the
    worker and the archive)."""
    campaign = report.campaign
    analysis = analysis or an.campaign_analysis(campaign, municipality_id=report.municipality_id)
    texts = {**default_texts(campaign, analysis), **(report.texts or {})}
    stages = {stage.code: stage.due for stage in an.cycle_calendar(campaign)}
    by_school = report.municipality_id is not None or campaign.municipality_id is not None
    names = analysis.school_names if by_school else analysis.municipality_names
    indicators, charts, breakdown = [], [], []
    for result in analysis.results:
        ind, kind = result.indicator, result.indicator.kind
        if result.total.figure is None or result.total.value is None:
            continue
        row = {"code": ind.code, "name": ind.title, "unit": _unit(kind),
               "target": _number(ind.target), "previous": _number(result.total.previous_value)}
        if kind == ValueKind.NUMBER:
            row["value"] = _number(result.total.value)
        elif kind == ValueKind.PERCENT:  # the median of the schools' percentages (analysis.Median)
            row["value"] = _number(result.total.value)
            row["name"] = f"{ind.title} (медиана по {result.total.figure.count} ОО)"
        else:
            row["numerator"] = _number(result.total.figure.numerator)
            row["denominator"] = _number(result.total.figure.denominator)
        indicators.append(row)
        cells = result.schools if by_school else result.municipalities
        if kind != ValueKind.NUMBER and cells:
            ordered = sorted(cells.items(), key=lambda item: (-(item[1].value or 0), names.get(item[0], "")))
            charts.append({
                "title": f"{ind.code}: {ind.title}, %",
                "target": _number(ind.target),
                "unit": "%",
                "rows": [[names.get(key, "—"), _number(cell.value), _number(cell.previous_value)]
                         for key, cell in ordered[:CHART_ROWS]],
            })
        for key, cell in sorted(cells.items(), key=lambda item: names.get(item[0], "")):
            breakdown.append({
                "unit": names.get(key, "—"), "code": ind.code,
                "value": an.format_figure(cell.figure, kind),
                "previous": an.format_value(cell.previous_value, kind),
                "dynamics": an.format_change(cell.change, kind),
                "status": "—" if cell.achieved is None else ("достигнуто" if cell.achieved else "не достигнуто"),
            })
    schools = Organization.objects.filter(pk__in=list(analysis.school_names))
    teachers = Person.objects.filter(organization__in=schools).count()
    measures = [
        {"measure": m.title, "responsible": m.owner_position, "due": m.due.isoformat()}
        for m in Measure.objects.filter(campaign=campaign).order_by("due", "id")
        if report.municipality_id is None or m.owner_organization.municipality_id == report.municipality_id
    ]
    return {
        "territory": an.territory_name(campaign, report.municipality_id),
        "period": period_label(campaign),
        "basis": texts["basis"],
        "date_from": campaign.opens_on.isoformat(),
        "date_to": (stages.get("collection") or campaign.period_end).isoformat(),
        "orgs_submitted": analysis.schools_accepted,
        "orgs_total": analysis.schools_total,
        "teachers_count": teachers,
        "goals": _lines(texts["goals"]),
        "indicators": indicators,
        "analysis": _lines(texts["analysis"]),
        "risk_zone": _risk_zone(analysis),
        "conclusions": _lines(texts["conclusions"]),
        "recommendations": _lines(texts["recommendations"]),
        "measures": measures,
        "charts": charts,
        "breakdown_title": "Результаты по образовательным организациям" if by_school
        else "Результаты по муниципальным образованиям",
        "breakdown_unit": "Образовательная организация" if by_school else "Муниципальное образование",
        "breakdown": breakdown,
    }


def _issuing_organization(actor, campaign: Campaign, municipality_id=None) -> Organization:
    """The official's organization that issues: a regional body for the territory, the ММС (or
    authority) of the municipality for its part."""
    if municipality_id is None and campaign.municipality_id is None:
        roles = (Role.CNPPM_COORDINATOR, Role.MINISTRY_OFFICER, Role.PD_ADMIN)
        found = [m.organization for m in access.memberships_with_role(actor, *roles)
                 if m.organization.region_id == campaign.region_id]
    else:
        muni = municipality_id or campaign.municipality_id
        found = [m.organization for m in access.memberships_with_role(actor, Role.MMS_METHODIST, Role.MUNI_AUTHORITY)
                 if m.organization.municipality_id == muni]
        found += [m.organization for m in access.memberships_with_role(actor, Role.CNPPM_COORDINATOR)
                  if m.organization.region_id == campaign.region_id]
    if not found:
        raise ActionForbidden()
    return found[0]


@transaction.atomic
def report_prepare(*, actor, campaign: Campaign, municipality_id: int | None = None) -> AnalysisReport:
    """The draft справка of the territory (or of one municipality), made once."""
    if not can_manage(actor, campaign, municipality_id):
        raise ActionForbidden()
    existing = AnalysisReport.objects.filter(campaign=campaign, municipality_id=municipality_id).first()
    if existing is not None:
        return existing
    return AnalysisReport.objects.create(
        campaign=campaign, municipality_id=municipality_id, created_by=actor,
        issuing_organization=_issuing_organization(actor, campaign, municipality_id),
    )


@transaction.atomic
def report_update(*, actor, report: AnalysisReport, texts: dict) -> AnalysisReport:
    report = AnalysisReport.objects.select_for_update().get(pk=report.pk)
    if not can_manage(actor, report.campaign, report.municipality_id):
        raise ActionForbidden()
    if report.status != DraftStatus.DRAFT:
        raise ActionRefused("Справка уже выпущена: изменить можно только черновик")
    cleaned = {key: _lines(texts.get(key)) if key != "basis" else str(texts.get(key) or "").strip()
               for key in TEXT_KEYS}
    missing = [key for key in TEXT_KEYS if not cleaned[key]]
    if missing:
        raise InvalidInput({key: ["Заполните раздел"] for key in missing})
    report.texts = cleaned
    report.error = ""
    report.save(update_fields=["texts", "error", "updated_at"])
    return report


def _check_signatory(organization):
    from documents.errors import UnknownSignatoryError
    from documents.kinds import resolve_signatory

    try:
        resolve_signatory(None, organization)
    except UnknownSignatoryError as exc:
        raise ActionRefused(str(exc)) from None


@transaction.atomic
def report_issue(*, actor, report: AnalysisReport, later: bool = True) -> AnalysisReport:
    """Issue the справка with a number: the data are fixed now, the document is rendered in the
    worker (documents.tasks.document_issue_later); the page shows it once it is there."""
    report = AnalysisReport.objects.select_for_update().select_related("campaign__region", "issuing_organization").get(
        pk=report.pk)
    if not can_manage(actor, report.campaign, report.municipality_id):
        raise ActionForbidden()
    if report.status != DraftStatus.DRAFT:
        raise ActionRefused("Справка уже выпущена или выпускается")
    _check_signatory(report.issuing_organization)
    data = report_data(report)
    if not data["indicators"]:
        raise ActionRefused("Нет принятых данных школ: справку не из чего составить")
    report.status = DraftStatus.ISSUING
    report.error = ""
    report.save(update_fields=["status", "error", "updated_at"])
    issue(later=later, kind=REPORT_KIND, issuing_organization=report.issuing_organization, artefact=report,
          context=data, actor=actor)
    return report


def issue(*, later: bool, kind: str, issuing_organization, artefact, context: dict, actor):
    """Issue a document of the loop: in the worker after commit (the pages), or now, in this
    transaction (`later=False`: the demo loader, which must go on with the issued number). The
    organization's head signs (checked before, see _check_signatory)."""
    from documents.issuing import document_issue
    from documents.tasks import document_issue_later

    call = document_issue_later if later else document_issue
    call(kind=kind, issuing_organization=issuing_organization, artefact=artefact, context=context, signatory=None,
         issued_on=timezone.localdate(), actor=actor)


# --- адресные рекомендации (DOC-6) -----------------------------------------------------------

GENERIC_TEXT = ("Проанализировать причины недостижения целевого значения показателя и включить меры по его "
                "достижению в план работы")


def _library():
    texts: dict[tuple[str, str], list[RecommendationText]] = {}
    for row in RecommendationText.objects.filter(is_active=True):
        texts.setdefault((row.indicator_code, row.addressee), []).append(row)
    return texts


def _items(unit_cells, analysis: an.Analysis, level: str, library, today: dt.date) -> list[dict]:
    """The letter's rows: one per indicator below target × library text for it."""
    items = []
    for result, cell in unit_cells:
        kind = result.indicator.kind
        benchmark = result.total if level == RecommendationAddressee.MUNICIPALITY else (
            result.municipalities.get(analysis.school_municipality.get(unit_cells.unit_id)) or result.total)
        for text in library.get((result.code, level)) or [None]:
            months = text.due_months if text else 6
            title = result.indicator.title
            short = title if len(title) <= 70 else title[:69].rsplit(" ", 1)[0] + "…"
            items.append({
                "problem": f"{result.code} «{short}»: ниже целевого значения "
                           f"({an.format_value(result.indicator.target, kind)})",
                "value": an.format_figure(cell.figure, kind),
                "benchmark": an.format_value(benchmark.value, kind),
                "recommendation": text.text if text else GENERIC_TEXT,
                "due": _add_months(today, months).isoformat(),
                "responsible": text.responsible if text else "руководитель",
            })
    return items


class _Cells(list):
    unit_id = None


def _add_months(day: dt.date, months: int) -> dt.date:
    import calendar

    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _municipal_body(municipality_id: int):
    """Whom a municipality's recommendations go to: its ММС, else its education authority."""
    rows = Organization.objects.filter(municipality_id=municipality_id,
                                       kind__in=(OrganizationKind.MMS, OrganizationKind.MUNI_AUTHORITY))
    return sorted(rows, key=lambda org: (org.kind != OrganizationKind.MMS, org.pk))[0] if rows else None


@transaction.atomic
def letters_generate(*, actor, campaign: Campaign, municipality_id: int | None = None) -> list[RecommendationLetter]:
    """Draft letters from the rules: a regional official's analysis gives one per municipality
    below target (to its ММС), a municipal one one per school below target. A letter already
    drafted is left as edited; an issued one is never touched. Returns the new drafts."""
    if not can_manage(actor, campaign, municipality_id):
        raise ActionForbidden()
    regional = municipality_id is None and campaign.municipality_id is None
    analysis = an.campaign_analysis(campaign, municipality_id=municipality_id or campaign.municipality_id)
    library, today = _library(), timezone.localdate()
    issuer = _issuing_organization(actor, campaign, municipality_id)
    units: dict[int, _Cells] = {}
    for result in analysis.results:
        cells = result.municipalities if regional else result.schools
        for unit_id, cell in cells.items():
            if cell.below_target:
                units.setdefault(unit_id, _Cells()).append((result, cell))
    have = set(RecommendationLetter.objects.filter(campaign=campaign).values_list("addressee_id", flat=True))
    made = []
    level = RecommendationAddressee.MUNICIPALITY if regional else RecommendationAddressee.SCHOOL
    for unit_id, unit_cells in sorted(units.items()):
        unit_cells.unit_id = unit_id
        if regional:
            addressee, muni = _municipal_body(unit_id), unit_id
            if addressee is None:
                continue
        else:
            addressee = Organization.objects.get(pk=unit_id)
            muni = addressee.municipality_id
        if addressee.pk in have:
            continue
        made.append(RecommendationLetter.objects.create(
            campaign=campaign, addressee=addressee, municipality_id=muni, level=level, issuing_organization=issuer,
            items=_items(unit_cells, analysis, level, library, today), created_by=actor,
        ))
    return made


@transaction.atomic
def letter_update(*, actor, letter: RecommendationLetter, items: list[dict]) -> RecommendationLetter:
    letter = RecommendationLetter.objects.select_for_update().get(pk=letter.pk)
    if not can_manage(actor, letter.campaign, None if letter.level == RecommendationAddressee.MUNICIPALITY
                      else letter.municipality_id):
        raise ActionForbidden()
    if letter.status != DraftStatus.DRAFT:
        raise ActionRefused("Письмо уже направлено: изменить можно только черновик")
    errors = {}
    cleaned = []
    for n, item in enumerate(items, start=1):
        if not str(item.get("recommendation") or "").strip():
            continue  # an emptied row is removed
        try:
            dt.date.fromisoformat(str(item.get("due")))
        except ValueError:
            errors[f"due_{n}"] = [f"Строка {n}: укажите срок"]
        cleaned.append({key: str(item.get(key) or "").strip() for key in
                        ("problem", "value", "benchmark", "recommendation", "due", "responsible")})
    if errors:
        raise InvalidInput(errors)
    if not cleaned:
        raise InvalidInput({"__all__": ["В письме должна остаться хотя бы одна рекомендация"]})
    letter.items = cleaned
    letter.save(update_fields=["items", "updated_at"])
    return letter


def _issued(artefact, kind):
    from django.contrib.contenttypes.models import ContentType

    from documents.models import IssuedDocument

    return IssuedDocument.objects.filter(artefact_type=ContentType.objects.get_for_model(type(artefact)),
                                         artefact_id=str(artefact.pk), kind=kind,
                                         superseded_at__isnull=True).first()


def issued_document(artefact):
    kind = {AnalysisReport: REPORT_KIND, RecommendationLetter: RECOMMENDATIONS_KIND}.get(type(artefact))
    return _issued(artefact, kind) if kind else None


def _executor(actor, organization) -> dict:
    from orgstructure.models import Membership

    membership = Membership.objects.filter(user=actor, organization=organization, is_active=True).exclude(
        phone="").first()
    name = f"{actor.last_name} {actor.first_name}".strip()
    if not (actor.last_name and actor.first_name):
        raise ActionRefused("В вашей учётной записи нет фамилии и имени: они печатаются в письме как исполнитель")
    if membership is None:
        raise ActionRefused("Укажите свой рабочий телефон (членство в организации): он печатается в письме "
                            "как телефон исполнителя")
    return {"name": name, "phone": membership.phone}


@transaction.atomic
def letter_issue(*, actor, letter: RecommendationLetter, later: bool = True) -> RecommendationLetter:
    letter = RecommendationLetter.objects.select_for_update().select_related(
        "campaign__region", "addressee", "issuing_organization").get(pk=letter.pk)
    if not can_manage(actor, letter.campaign, None if letter.level == RecommendationAddressee.MUNICIPALITY
                      else letter.municipality_id):
        raise ActionForbidden()
    if letter.status != DraftStatus.DRAFT:
        raise ActionRefused("Письмо уже направлено или направляется")
    report = AnalysisReport.objects.filter(campaign=letter.campaign, status=DraftStatus.ISSUED).order_by(
        "municipality_id").first()
    document = issued_document(report) if report else None
    if document is None:
        raise ActionRefused("Сначала выпустите аналитическую справку: письмо ссылается на её дату и номер")
    _check_signatory(letter.issuing_organization)
    addressee = letter.addressee
    data = {
        "addressee_position": "руководитель",
        "addressee_organization": addressee.short_name or addressee.name,
        "period": period_label(letter.campaign),
        "report_date": document.issued_on.isoformat(),
        "report_number": document.number,
        "items": letter.items,
        "reply_due": _add_months(timezone.localdate(), 1).isoformat(),
        "reply_email": letter.issuing_organization.email or "—",
        "executor": _executor(actor, letter.issuing_organization),
    }
    if addressee.head_name:
        data["addressee_name"] = addressee.head_name
    letter.status = DraftStatus.ISSUING
    letter.save(update_fields=["status", "updated_at"])
    issue(later=later, kind=RECOMMENDATIONS_KIND, issuing_organization=letter.issuing_organization,
          artefact=letter, context=data, actor=actor)
    return letter


# --- the worker's answers --------------------------------------------------------------------


def on_document_issued(sender, document, actor, **kwargs):
    """The справка or letter is issued (inside the issuing transaction): mark it, audit it."""
    model = {REPORT_KIND: AnalysisReport, RECOMMENDATIONS_KIND: RecommendationLetter}.get(document.kind)
    if model is None or document.artefact_type.model_class() is not model:
        return
    model.objects.filter(pk=document.artefact_id).update(status=DraftStatus.ISSUED, error="")
    artefact = model.objects.get(pk=document.artefact_id)
    record_event(actor=actor, obj=artefact, event=ManagementEvent.DOCUMENT_ISSUED, from_state=DraftStatus.ISSUING,
                 to_state=DraftStatus.ISSUED, comment=f"{document.title} № {document.number}")


def on_document_failed(sender, kind, artefact, reason, **kwargs):
    """The worker could not issue it: back to the draft, with the reason on its page."""
    if kind in (REPORT_KIND, RECOMMENDATIONS_KIND) and isinstance(artefact, AnalysisReport | RecommendationLetter):
        type(artefact).objects.filter(pk=artefact.pk).update(status=DraftStatus.DRAFT, error=reason[:2000])


def connect_receivers():
    from documents.signals import document_failed, document_issued

    document_issued.connect(on_document_issued, dispatch_uid="monitoring.analysis.issued")
    document_failed.connect(on_document_failed, dispatch_uid="monitoring.analysis.failed")

