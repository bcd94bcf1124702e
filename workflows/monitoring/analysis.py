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
* a percentage a school enters as such (`percent`, 0–100, without its numerator and
  denominator): the **median** of the schools' percentages, printed «медиана по N ОО». Pooling
  needs each school's base, which the form does not ask for; the mean of the percentages would
  be a share of shares — a school of 4 teachers at 100 % would weigh as much as one of 120 at
  40 %, and the result would read as the territory's share while being nobody's. The median
  claims only what the data hold: half of the schools are at or above it (and a target «не
  менее 70 %» not met by the median means most schools are below it). A campaign that needs the
  territory's true share asks for the share's two parts instead (kind `share`);
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

import statistics
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, Count, DecimalField, IntegerField, Q, Sum, Value, When
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.db.models.functions import Cast, Replace
from django.db.models.lookups import Regex

from orgstructure.models import Municipality
from workflows.core.indicators import SHARE_PLACES, Figure, Unit

from .models import Campaign, CampaignIndicator, Submission, SubmissionStatus, ValueKind

AGGREGATED_KINDS = (ValueKind.SHARE, ValueKind.NUMBER, ValueKind.YES_NO, ValueKind.PERCENT)
PERCENT_KINDS = (ValueKind.SHARE, ValueKind.YES_NO, ValueKind.PERCENT)  # printed in %, changes in п.п.
UNIT_OF_KIND = {ValueKind.SHARE: Unit.SHARE, ValueKind.NUMBER: Unit.COUNT, ValueKind.YES_NO: Unit.FLAG}
UNIT_LABEL = {ValueKind.SHARE: "%", ValueKind.NUMBER: "ед.", ValueKind.YES_NO: "% ОО",
              ValueKind.PERCENT: "%, медиана ОО"}


# A school's answer as the database reads it: text that is a number (a decimal comma allowed) cast
# to numeric, anything else NULL — the aggregate skips what it cannot use, as a school that gave
# nothing.
NUMBER_TEXT = r"^\s*[-+]?[0-9]+([.,][0-9]+)?\s*$"
NUMERIC = DecimalField(max_digits=30, decimal_places=10)


def _numeric(text):
    return Cast(Replace(text, Value(","), Value(".")), NUMERIC)


def _parts(indicator) -> tuple:
    """(numerator, denominator) of one school's answer as SQL expressions over its `values`
    (denominator None for a number): a share's two parts only where both are numbers; a number;
    a yes/no as 1/0 of 1; a percentage as it is (its median is taken in Python: no portable SQL
    median)."""
    answer = KeyTransform(indicator.code, "values")
    if indicator.kind == ValueKind.SHARE:
        numerator = KeyTextTransform("numerator", answer)
        denominator = KeyTextTransform("denominator", answer)
        both = Q(Regex(numerator, NUMBER_TEXT), Regex(denominator, NUMBER_TEXT))
        return (Case(When(both, then=_numeric(numerator)), output_field=NUMERIC),
                Case(When(both, then=_numeric(denominator)), output_field=NUMERIC))
    if indicator.kind in (ValueKind.NUMBER, ValueKind.PERCENT):
        text = KeyTextTransform(indicator.code, "values")
        return Case(When(Regex(text, NUMBER_TEXT), then=_numeric(text)), output_field=NUMERIC), None
    yes, no = Q(**{f"values__{indicator.code}": True}), Q(**{f"values__{indicator.code}": False})
    return (Case(When(yes, then=Value(1)), When(no, then=Value(0)), output_field=IntegerField()),
            Case(When(yes | no, then=Value(1)), output_field=IntegerField()))


def _plain_number(number):
    """A numeric from the database as the figures keep it: 425, not 425.0000000000."""
    if number is None or isinstance(number, int):
        return number
    number = Decimal(number)
    return int(number) if number == number.to_integral_value() else number.normalize()


@dataclass(frozen=True)
class Median:
    """The schools' own percentages at one unit (ValueKind.PERCENT): their median is the value
    (one decimal, as a share's), `count` the schools it is taken over (see the module docstring)."""

    values: tuple

    @property
    def count(self) -> int:
        return len(self.values)

    @property
    def value(self) -> Decimal | None:
        if not self.values:
            return None
        return Decimal(statistics.median(sorted(self.values))).quantize(SHARE_PLACES, ROUND_HALF_UP)


@dataclass
class Cell:
    """An indicator at one unit (a school, a municipality, the territory)."""

    figure: Figure | None
    previous: Figure | None = None
    target: Decimal | None = None
    value: Decimal | None = field(init=False)
    previous_value: Decimal | None = field(init=False)

    def __post_init__(self):  # read many times by the lists, the factors and the справка: once here
        self.value = None if self.figure is None else self.figure.value
        self.previous_value = None if self.previous is None else self.previous.value

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

    def _below(self, level: str) -> dict[int, list[tuple[IndicatorResult, Cell]]]:
        """{unit id: [(result, cell) of each indicator below target there]}, of the schools or the
        municipalities — worked out once for all the units' factors."""
        cache = self.__dict__.setdefault("_below_cache", {})
        if level not in cache:
            below: dict[int, list] = {}
            for result in self.results:
                for unit_id, cell in getattr(result, level).items():
                    if cell.below_target:
                        below.setdefault(unit_id, []).append((result, cell))
            cache[level] = below
        return cache[level]

    def _school_factors(self, school_id: int, code: str) -> list[str]:
        factors = [
            f"{other.code} ниже цели: {format_value(cell.value, other.indicator.kind)} "
            f"при цели {format_value(cell.target, other.indicator.kind)}"
            for other, cell in self._below("schools").get(school_id, ())
            if other.code != code
        ]
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
        for other, cell in self._below("municipalities").get(muni_id, ()):
            if other.code != result.code:
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
    return f"{text} %" if kind in PERCENT_KINDS else text


def format_figure(figure: Figure | None, kind: str) -> str:
    """«42,5 % (425 из 1000)»: the справка prints both parts of a share (DOMAIN-DOCUMENTS §1.8 (a))."""
    if figure is None or figure.value is None:
        return "—"
    text = format_value(figure.value, kind)
    if isinstance(figure, Median):
        return text + (f" (медиана по {figure.count} ОО)" if figure.count > 1 else "")
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
    points = " п.п." if kind in PERCENT_KINDS else ""
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


def _accepted(campaign_id: int, municipality_id: int | None):
    rows = Submission.objects.filter(campaign_id=campaign_id, status=SubmissionStatus.ACCEPTED)
    if municipality_id is not None:
        rows = rows.filter(organization__municipality_id=municipality_id)
    return rows


def _pool(indicators, accepted):
    """{code: (total, {muni: Figure}, {school: Figure})}, the schools' comments and the number of
    submissions read, in two queries:
    the schools' answers read as numbers by the database (`_parts`), and the sums by municipality
    (GROUP BY; the territory's total is the sum of its municipalities' rows). A percentage's
    medians are taken here from the schools' answers (`Median`)."""
    aggregated = [ind for ind in indicators if ind.kind in AGGREGATED_KINDS]
    text_codes = [ind.code for ind in indicators if ind.kind == ValueKind.TEXT]
    parts = {f"c{n}": (ind, *_parts(ind)) for n, ind in enumerate(aggregated)}
    per_school = {}
    for alias, (_ind, numerator, denominator) in parts.items():
        per_school[f"{alias}n"] = numerator
        if denominator is not None:
            per_school[f"{alias}d"] = denominator
    texts = {f"t{n}": KeyTextTransform(code, "values") for n, code in enumerate(text_codes)}
    rows = accepted.annotate(**per_school, **texts).values(
        "organization_id", "organization__municipality_id", *per_school, *texts)
    sums = {}
    for alias, (ind, numerator, denominator) in parts.items():
        if ind.kind == ValueKind.PERCENT:
            continue  # a median, not a sum: from the schools' rows below
        sums[f"{alias}n"] = Sum(numerator)
        sums[f"{alias}k"] = Count(numerator)  # the schools that answered
        if denominator is not None:
            sums[f"{alias}d"] = Sum(denominator)
    grouped = accepted.order_by().values("organization__municipality_id").annotate(**sums) if sums else []

    def made(ind, numerator, denominator):
        unit = UNIT_OF_KIND[ind.kind]
        return Figure(unit, _plain_number(numerator) or 0,
                      None if unit == Unit.COUNT else _plain_number(denominator) or 0)

    pooled = {ind.code: [None, {}, {}] for ind, *_ in parts.values()}
    percentages = {ind.code: {} for ind, *_ in parts.values() if ind.kind == ValueKind.PERCENT}
    comments: dict[int, list[str]] = {}
    count = 0
    for row in rows:
        count += 1
        school_id = row["organization_id"]
        for alias, (ind, _numerator, _denominator) in parts.items():
            numerator = row[f"{alias}n"]
            if numerator is None:
                continue
            if ind.kind == ValueKind.PERCENT:
                pooled[ind.code][2][school_id] = Median((_plain_number(numerator),))
                percentages[ind.code].setdefault(row["organization__municipality_id"], []).append(numerator)
            else:
                pooled[ind.code][2][school_id] = made(ind, numerator, row.get(f"{alias}d"))
        for alias in texts:
            text = (row[alias] or "").strip()
            if text:
                comments.setdefault(school_id, []).append(text)
    totals = {}
    for row in grouped:
        muni_id = row["organization__municipality_id"]
        for alias, (ind, _numerator, _denominator) in parts.items():
            if ind.kind == ValueKind.PERCENT or not row[f"{alias}k"]:
                continue
            figure = made(ind, row[f"{alias}n"], row.get(f"{alias}d"))
            if muni_id is not None:
                pooled[ind.code][1][muni_id] = figure
            totals[ind.code] = figure if ind.code not in totals else totals[ind.code] + figure
    for code, by_muni in percentages.items():
        pooled[code][1].update({muni: Median(tuple(values)) for muni, values in by_muni.items() if muni is not None})
        every = tuple(value for values in by_muni.values() for value in values)
        totals[code] = Median(every) if every else None
    for code, value in pooled.items():
        value[0] = totals.get(code)
    return {code: tuple(value) for code, value in pooled.items()}, comments, count


def campaign_analysis(campaign: Campaign, *, municipality_id: int | None = None) -> Analysis:
    """The campaign's indicators from its accepted submissions, at the territory (or one
    municipality of it), by municipality and by school, against targets and last period."""
    indicators = list(campaign.indicators.all())
    previous = previous_campaign(campaign)
    pooled, comments, accepted_count = _pool(indicators, _accepted(campaign.pk, municipality_id))
    before = {}
    if previous is not None:
        previous_indicators = [ind for ind in previous.indicators.all() if ind.code in pooled]
        before, _, _ = _pool(previous_indicators, _accepted(previous.pk, municipality_id))

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
        schools_accepted=accepted_count,
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
    municipality's own where it keeps one), the annual rules chained from the day collection
    opens by the kit's plan — the one a process snapshot reads (workflows.core.regulation). A
    stage the profile has no rule for has no date (the seeds give none: Rostov and Belgorod set
    only the collection)."""
    from workflows.core.calendar import WorkCalendar, local_date
    from workflows.core.regulation import ANNUAL_KINDS, profile_for, profile_plan

    region = campaign.region
    profile = profile_for(region.code, campaign.opens_on, municipality_id=campaign.municipality_id)
    resolved: dict[str, tuple] = {}
    if profile is not None:
        sources = dict(profile.rules.values_list("code", "source"))
        plan = profile_plan(profile, start=campaign.opens_on, tz=region.timezone, calendar=WorkCalendar.load())
        for snapshot, due in plan:
            if snapshot["kind"] in ANNUAL_KINDS and due is not None:
                resolved[snapshot["code"]] = (local_date(due, region.timezone), snapshot["title"],
                                              sources.get(snapshot["code"], ""))
    stages = []
    for code, rule_codes, title in STAGES:
        found = next((resolved[c] for c in rule_codes if c in resolved), None)
        stages.append(Stage(code, title, *(found or (None, "", ""))))
    return stages
