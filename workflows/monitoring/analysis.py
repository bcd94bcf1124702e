"""Analysis of a campaign (issue 12 §7, «до 30 марта», 001:L81-86): the indicators of its set
aggregated school → municipality → territory from the **accepted** submissions, with targets,
last period's values and the change; the schools and municipalities below target listed with
their factors.

Aggregation pools numerators and denominators (workflows.core.indicators.Figure; DOMAIN-DOCUMENTS
§1: «All shares are computed per org → aggregated per municipality → per region»), never the
mean of the schools' shares:

* a share (IND-03, IND-06 …): Σ numerators / Σ denominators;
* a number (IND-18 «количество вакансий»): the sum;
* a yes/no («наличие …», IND-22): the share of schools answering «да» (1/0 per org, 1.8 of
  DOMAIN-DOCUMENTS: «1/0 per org; share of orgs with 1»);
* text and files are read, not aggregated (a school's comment is one of its factors).

A target is «не менее» (the seeds give only those: «не менее 30%», «не менее 70%», 000:L217-220).
Shares and yes/no targets apply at every level; a number's target is the territory's (a count of
the region is not a count of one school), so it is compared at the campaign's own level only.

«Factors» (001:L85 «с выявлением факторов, влияющих на сформированность установленных
показателей»): what the data holds about why a unit is below target — its other indicators
below target, the schools of a municipality below target and those whose data are not accepted,
and the schools' own comments (the text answers of the form). The analyst writes the rest into
the справка's draft.

Reads: the campaign's indicators, its accepted submissions with their municipality, the names of
the schools and municipalities, and the same for the previous period — a constant number of
queries whatever the number of schools (bench/monitoring_analysis.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from orgstructure.models import Municipality
from workflows.core.indicators import Figure, Unit

from .models import Campaign, CampaignIndicator, Submission, SubmissionStatus, ValueKind

AGGREGATED_KINDS = (ValueKind.SHARE, ValueKind.NUMBER, ValueKind.YES_NO)
UNIT_OF_KIND = {ValueKind.SHARE: Unit.SHARE, ValueKind.NUMBER: Unit.COUNT, ValueKind.YES_NO: Unit.FLAG}
UNIT_LABEL = {ValueKind.SHARE: "%", ValueKind.NUMBER: "ед.", ValueKind.YES_NO: "% ОО"}


def _decimal(raw) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        return Decimal(str(raw).replace(",", ".").strip())
    except InvalidOperation:
        return None


def school_figure(kind: str, value) -> Figure | None:
    """One school's answer as a Figure (None when it gave none the aggregate can use)."""
    if kind == ValueKind.SHARE:
        if not isinstance(value, dict):
            return None
        numerator, denominator = _decimal(value.get("numerator")), _decimal(value.get("denominator"))
        if numerator is None or denominator is None:
            return None
        return Figure(Unit.SHARE, numerator, denominator)
    if kind == ValueKind.NUMBER:
        number = _decimal(value)
        return None if number is None else Figure(Unit.COUNT, number, None)
    if kind == ValueKind.YES_NO:
        if value not in (True, False):
            return None
        return Figure(Unit.FLAG, 1 if value else 0, 1)
    return None


@dataclass
class Cell:
    """An indicator at one unit (a school, a municipality, the territory)."""

    figure: Figure | None
    previous: Figure | None = None
    target: Decimal | None = None

    @property
    def value(self) -> Decimal | None:
        return None if self.figure is None else self.figure.value

    @property
    def previous_value(self) -> Decimal | None:
        return None if self.previous is None else self.previous.value

    @property
    def change(self) -> Decimal | None:
        if self.value is None or self.previous_value is None:
            return None
        return self.value - self.previous_value

    @property
    def below_target(self) -> bool:
        return self.target is not None and self.value is not None and self.value < self.target

    @property
    def achieved(self) -> bool | None:
        if self.target is None or self.value is None:
            return None
        return self.value >= self.target


@dataclass
class IndicatorResult:
    indicator: CampaignIndicator
    total: Cell
    municipalities: dict[int, Cell] = field(default_factory=dict)
    schools: dict[int, Cell] = field(default_factory=dict)

    @property
    def code(self):
        return self.indicator.code

    @property
    def unit(self) -> str:
        return UNIT_LABEL[self.indicator.kind]


@dataclass
class BelowTarget:
    """A school or a municipality below target, with its factors."""

    id: int
    name: str
    municipality: str
    cell: Cell
    factors: list[str]


@dataclass
class Analysis:
    campaign: Campaign
    previous_campaign: Campaign | None
    municipality_id: int | None  # the analysis of one municipality (None: the whole territory)
    indicators: list[CampaignIndicator]
    results: list[IndicatorResult]
    schools_total: int
    schools_accepted: int
    school_names: dict[int, str]
    school_municipality: dict[int, int | None]
    municipality_names: dict[int, str]
    comments: dict[int, list[str]]  # school id → its text answers

    def result(self, code: str) -> IndicatorResult:
        return next(result for result in self.results if result.code == code)

    def below_target_schools(self, result: IndicatorResult) -> list[BelowTarget]:
        return sorted(
            (
                BelowTarget(
                    id=school_id,
                    name=self.school_names.get(school_id, "—"),
                    municipality=self.municipality_names.get(self.school_municipality.get(school_id), "—"),
                    cell=cell,
                    factors=self._school_factors(school_id, result.code),
                )
                for school_id, cell in result.schools.items()
                if cell.below_target
            ),
            key=lambda unit: (unit.cell.value, unit.name),
        )

    def below_target_municipalities(self, result: IndicatorResult) -> list[BelowTarget]:
        return sorted(
            (
                BelowTarget(
                    id=muni_id,
                    name=self.municipality_names.get(muni_id, "—"),
                    municipality=self.municipality_names.get(muni_id, "—"),
                    cell=cell,
                    factors=self._municipality_factors(muni_id, result),
                )
                for muni_id, cell in result.municipalities.items()
                if cell.below_target
            ),
            key=lambda unit: (unit.cell.value, unit.name),
        )

    def _schools_by_municipality(self) -> dict[int, list[int]]:
        if not hasattr(self, "_by_municipality"):
            self._by_municipality = {}
            for school, muni in self.school_municipality.items():
                self._by_municipality.setdefault(muni, []).append(school)
        return self._by_municipality

    def _school_factors(self, school_id: int, code: str) -> list[str]:
        factors = []
        for other in self.results:
            cell = other.schools.get(school_id)
            if other.code != code and cell is not None and cell.below_target:
                factors.append(
                    f"{other.code} ниже цели: {format_value(cell.value, other.indicator.kind)} "
                    f"при цели {format_value(cell.target, other.indicator.kind)}"
                )
        factors.extend(f"комментарий школы: «{text}»" for text in self.comments.get(school_id, []))
        return factors

    def _municipality_factors(self, muni_id: int, result: IndicatorResult) -> list[str]:
        schools = self._schools_by_municipality().get(muni_id, [])
        below = [school for school in schools if (cell := result.schools.get(school)) and cell.below_target]
        missing = [school for school in schools if school not in result.schools]
        factors = []
        if below:
            factors.append(f"ниже цели {len(below)} из {len(schools)} ОО")
        if missing:
            factors.append(f"нет принятых данных по показателю у {len(missing)} из {len(schools)} ОО")
        for other in self.results:
            cell = other.municipalities.get(muni_id)
            if other.code != result.code and cell is not None and cell.below_target:
                factors.append(f"{other.code} также ниже цели ({format_value(cell.value, other.indicator.kind)})")
        return factors


def format_value(value, kind: str) -> str:
    """42.5 → «42,5 %»; a count without a unit; None → «—»."""
    if value is None:
        return "—"
    number = Decimal(value).quantize(Decimal("0.1"))
    text = f"{number:f}".replace(".", ",")
    if text.endswith(",0"):
        text = text[:-2]
    return f"{text} %" if kind in (ValueKind.SHARE, ValueKind.YES_NO) else text


def format_figure(figure: Figure | None, kind: str) -> str:
    """«42,5 % (425 из 1000)»: the справка prints both parts of a share (DOMAIN-DOCUMENTS §1.8 (a))."""
    if figure is None or figure.value is None:
        return "—"
    text = format_value(figure.value, kind)
    if kind in (ValueKind.SHARE, ValueKind.YES_NO):
        text += f" ({_plain(figure.numerator)} из {_plain(figure.denominator)})"
    return text


def _plain(number) -> str:
    number = Decimal(number)
    return f"{number.normalize():f}".replace(".", ",") if number != number.to_integral() else f"{int(number)}"


def format_change(change: Decimal | None, kind: str) -> str:
    if change is None:
        return "—"
    sign = "+" if change > 0 else ""
    points = " п.п." if kind in (ValueKind.SHARE, ValueKind.YES_NO) else ""
    return f"{sign}{format_value(change, ValueKind.NUMBER)}{points}"


def previous_campaign(campaign: Campaign) -> Campaign | None:
    """Last period's campaign of the same territory: the latest one that ended before this one
    began."""
    return (
        Campaign.objects.filter(
            region_id=campaign.region_id, municipality_id=campaign.municipality_id,
            period_end__lt=campaign.period_start,
        )
        .order_by("-period_end", "-id")
        .first()
    )


def next_campaign(campaign: Campaign) -> Campaign | None:
    """The following period's campaign of the same territory."""
    return (
        Campaign.objects.filter(
            region_id=campaign.region_id, municipality_id=campaign.municipality_id,
            period_start__gt=campaign.period_end,
        )
        .order_by("period_start", "id")
        .first()
    )


def _accepted_rows(campaign_id: int, municipality_id: int | None):
    rows = Submission.objects.filter(campaign_id=campaign_id, status=SubmissionStatus.ACCEPTED)
    if municipality_id is not None:
        rows = rows.filter(organization__municipality_id=municipality_id)
    return rows.values_list("organization_id", "organization__municipality_id", "values")


def _pool(indicators, rows):
    """{code: (total, {muni: Figure}, {school: Figure})} and the schools' comments. Sums are kept
    as plain [numerator, denominator] pairs while the rows are read and made Figures once."""
    kinds = {ind.code: ind.kind for ind in indicators if ind.kind in AGGREGATED_KINDS}
    sums = {code: [[0, 0, False], {}, {}] for code in kinds}
    comments: dict[int, list[str]] = {}
    text_codes = [ind.code for ind in indicators if ind.kind == ValueKind.TEXT]
    for school_id, muni_id, values in rows:
        values = values or {}
        for code, (total, by_muni, by_school) in sums.items():
            figure = school_figure(kinds[code], values.get(code))
            if figure is None:
                continue
            by_school[school_id] = figure
            denominator = figure.denominator or 0
            total[0] += figure.numerator
            total[1] += denominator
            total[2] = True
            if muni_id is not None:
                pair = by_muni.setdefault(muni_id, [0, 0])
                pair[0] += figure.numerator
                pair[1] += denominator
        for code in text_codes:
            text = str(values.get(code) or "").strip()
            if text:
                comments.setdefault(school_id, []).append(text)

    def made(kind, numerator, denominator):
        unit = UNIT_OF_KIND[kind]
        return Figure(unit, numerator, None if unit == Unit.COUNT else denominator)

    pooled = {}
    for code, (total, by_muni, by_school) in sums.items():
        kind = kinds[code]
        pooled[code] = (
            made(kind, total[0], total[1]) if total[2] else None,
            {muni: made(kind, *pair) for muni, pair in by_muni.items()},
            by_school,
        )
    return pooled, comments


def campaign_analysis(campaign: Campaign, *, municipality_id: int | None = None) -> Analysis:
    """The campaign's indicators from its accepted submissions, at the territory (or one
    municipality of it), by municipality and by school, against targets and last period."""
    indicators = list(campaign.indicators.all())
    previous = previous_campaign(campaign)
    rows = list(_accepted_rows(campaign.pk, municipality_id))
    pooled, comments = _pool(indicators, rows)
    before = {}
    if previous is not None:
        previous_indicators = [ind for ind in previous.indicators.all() if ind.code in pooled]
        before, _ = _pool(previous_indicators, _accepted_rows(previous.pk, municipality_id))

    schools = campaign.schools()
    if municipality_id is not None:
        schools = schools.filter(municipality_id=municipality_id)
    school_rows = list(schools.values_list("id", "short_name", "name", "municipality_id"))
    muni_ids = {row[3] for row in school_rows if row[3] is not None}
    municipality_names = dict(Municipality.objects.filter(pk__in=muni_ids).values_list("id", "name"))

    results = []
    for indicator in indicators:
        if indicator.code not in pooled:
            continue
        total, by_muni, by_school = pooled[indicator.code]
        old_total, old_muni, old_school = before.get(indicator.code, (None, {}, {}))
        target = indicator.target
        scale_free = indicator.kind != ValueKind.NUMBER
        results.append(IndicatorResult(
            indicator=indicator,
            total=Cell(total, old_total, target),
            municipalities={
                muni: Cell(figure, old_muni.get(muni), target if scale_free else None)
                for muni, figure in sorted(by_muni.items())
            },
            schools={
                school: Cell(figure, old_school.get(school), target if scale_free else None)
                for school, figure in sorted(by_school.items())
            },
        ))
    return Analysis(
        campaign=campaign,
        previous_campaign=previous,
        municipality_id=municipality_id,
        indicators=indicators,
        results=results,
        schools_total=len(school_rows),
        schools_accepted=len(rows),
        school_names={row[0]: row[1] or row[2] for row in school_rows},
        school_municipality={row[0]: row[3] for row in school_rows},
        municipality_names=municipality_names,
        comments=comments,
    )


def territory_name(campaign: Campaign, municipality_id: int | None = None) -> str:
    if municipality_id is not None:
        return Municipality.objects.filter(pk=municipality_id).values_list("name", flat=True).first() or "—"
    if campaign.municipality_id:
        return campaign.municipality.name
    return campaign.region.name



# --- the cycle's calendar ---------------------------------------------------------------------

# The stages after collection, by the rule codes of the regulation profiles (regulation_seed.py):
# Sverdlovsk/Нижняя Тура analyses «до 30 марта» (001:L86), decides «до 31 декабря» (001:L187) and
# reviews effectiveness «до 31 августа» (001:L194-200); Пермский край writes its report
# «ноябрь-декабрь» (003:L1478), which is its analysis stage.
STAGES = (
    ("collection", ("monitoring.collection",), "Сбор данных"),
    ("analysis", ("monitoring.analysis", "monitoring.report"), "Анализ, аналитическая справка и адресные рекомендации"),
    ("measures", ("monitoring.measures",), "Меры и управленческие решения"),
    ("effectiveness", ("monitoring.effectiveness",), "Анализ эффективности принятых мер"),
)


@dataclass(frozen=True)
class Stage:
    code: str
    title: str
    due: object  # dt.date in the region's time zone, or None when the profile sets no date
    rule_title: str = ""
    source: str = ""


def cycle_calendar(campaign: Campaign) -> list[Stage]:
    """The campaign's stages with their deadlines from the territory's regulation profile (the
    municipality's own where it keeps one), the annual rules chained in the profile's order from
    the day collection opens — as a process snapshot reads them (workflows.core.regulation). A
    stage the profile has no rule for has no date (the seeds give none: Rostov and Belgorod set
    only the collection)."""
    from workflows.core.calendar import WorkCalendar, local_date
    from workflows.core.regulation import ANNUAL_KINDS, profile_for, rule_day, rule_due_at

    region = campaign.region
    profile = profile_for(region.code, campaign.opens_on, municipality_id=campaign.municipality_id)
    calendar = WorkCalendar.load()
    resolved: dict[str, tuple] = {}
    anchor = campaign.opens_on
    for rule in (profile.rules.order_by("position", "code") if profile else []):
        snapshot = rule.snapshot()
        if snapshot["kind"] not in ANNUAL_KINDS:
            continue
        day = rule_day(snapshot, anchor=anchor, calendar=calendar)
        anchor = day + dt.timedelta(days=1)
        due = rule_due_at(snapshot, anchor=day, tz=region.timezone, calendar=calendar)
        resolved[rule.code] = (local_date(due, region.timezone), rule.title, rule.source)
    stages = []
    for code, rule_codes, title in STAGES:
        found = next((resolved[c] for c in rule_codes if c in resolved), None)
        stages.append(Stage(code, title, *(found or (None, "", ""))))
    return stages
