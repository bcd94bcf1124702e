"""The indicator registry (ARCHITECTURE «Indicators»): the figures one process owns and another
reads without importing it. Monitoring asks the registry for every indicator of its set; ИОМ,
стажировочные площадки and РМА register what they can compute from their AppConfig.ready.

An indicator is data (code, Russian name, levels, unit, what its numerator and denominator count,
the seed line it comes from, targets where the seeds give one) plus one function that counts, for
a territory and a date, its numerator and denominator **per organization** in a constant number
of queries (group by organization in SQL). The registry lists the units and pools those counts up
to the level asked for: a municipality's share is Σ numerators / Σ denominators of its
organizations, never the mean of their shares (DOMAIN-DOCUMENTS §1: «All shares are computed per
org → aggregated per municipality → per region»). Every figure therefore hangs off an organization,
and the sum of the schools is the municipality, the sum of the municipalities the region.

    @indicator(code="IND-09", name="…", levels=(Level.ORGANIZATION, …), unit=Unit.SHARE,
               numerator="…", denominator="…", source="001:L68")
    def rma_members(territory, on_date, *, period_start=None):
        return teacher_share(territory, on_date, condition=…)

    evaluate("IND-09", territory=region, on_date=d, by=Level.MUNICIPALITY)  # {municipality id: Figure}

The kit registers IND-14 itself (at the bottom of this module): it is computed from orgstructure's
Person alone, so it must not depend on whether РМА is installed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.db.models import Count, Q

from orgstructure.models import Municipality, Organization, OrganizationKind, Person, QualificationCategory, Region


class IndicatorError(Exception):
    """A registration or a request the registry refuses (the message is Russian, for the official)."""


class Level(models.TextChoices):
    ORGANIZATION = "organization", "ОО"
    MUNICIPALITY = "municipality", "МО"
    REGION = "region", "регион"


# Lower levels first: a territory can be broken down into its own level or any level below it.
_DEPTH = {Level.ORGANIZATION: 0, Level.MUNICIPALITY: 1, Level.REGION: 2}


class Unit(models.TextChoices):
    SHARE = "share", "доля, %"
    COUNT = "count", "количество"
    RATIO = "ratio", "соотношение"
    FLAG = "flag", "да / нет"


# «педагогические работники образовательных организаций»: the organizations whose staff make the
# population of the teacher shares. Regional and municipal bodies (ministry, ЦНППМПР, ММС, …) are
# not units of a school indicator.
EDUCATIONAL_KINDS = frozenset(
    {
        OrganizationKind.SCHOOL,
        OrganizationKind.KINDERGARTEN,
        OrganizationKind.ADDITIONAL,
        OrganizationKind.COLLEGE,
    }
)

SHARE_PLACES = Decimal("0.1")
RATIO_PLACES = Decimal("0.01")
CODE_PATTERN = re.compile(r"^IND-\d{2}[a-z]?$")


@dataclass(frozen=True)
class Target:
    """A target the seeds give («к 2024 году – не менее 30%», 000:L217)."""

    value: Decimal
    at_least: bool = True  # «не менее»; False reads «не более»
    by_year: int | None = None
    source: str = ""

    def met_by(self, value: Decimal | None) -> bool | None:
        if value is None:
            return None
        return value >= self.value if self.at_least else value <= self.value


@dataclass(frozen=True)
class Figure:
    """Numerator and denominator of one unit (denominator None for counts). The справка prints
    «N из D (X %)», so both are kept next to the value."""

    unit: str
    numerator: int | Decimal
    denominator: int | Decimal | None

    @property
    def value(self) -> Decimal | None:
        """The share in percent (one decimal), the ratio, the count; None when a share or a ratio
        has nothing to divide by (an empty territory has no value, not zero)."""
        if self.unit == Unit.COUNT:
            return Decimal(self.numerator)
        if not self.denominator:
            return None
        if self.unit == Unit.RATIO:
            return (Decimal(self.numerator) / Decimal(self.denominator)).quantize(RATIO_PLACES, ROUND_HALF_UP)
        return (Decimal(self.numerator) * 100 / Decimal(self.denominator)).quantize(SHARE_PLACES, ROUND_HALF_UP)

    def __add__(self, other: Figure) -> Figure:
        if self.unit == Unit.COUNT:
            return Figure(self.unit, self.numerator + other.numerator, None)
        return Figure(self.unit, self.numerator + other.numerator, (self.denominator or 0) + (other.denominator or 0))


def pool(unit: str, figures) -> Figure:
    """One figure of many (stored values of a campaign, say): numerators and denominators summed."""
    total = Figure(unit, 0, None if unit == Unit.COUNT else 0)
    for figure in figures:
        total = total + figure
    return total


@dataclass(frozen=True)
class Territory:
    """A region, a municipality or an organization, by level and id."""

    level: Level
    id: int

    @classmethod
    def of(cls, obj) -> Territory:
        if isinstance(obj, Territory):
            return obj
        for model, level in _TERRITORY_MODELS:
            if isinstance(obj, model):
                return cls(level, obj.pk)
        raise IndicatorError(f"Показатель считается по региону, муниципалитету или организации, а не по «{obj}»")

    def organizations(self, path: str = "") -> Q:
        """A Q limiting rows to this territory, `path` leading from the row to its organization
        ("" on Organization itself, "organization" on Person, "person__organization", …)."""
        prefix = f"{path}__" if path else ""
        if self.level == Level.REGION:
            return Q(**{f"{prefix}region_id": self.id})
        if self.level == Level.MUNICIPALITY:
            return Q(**{f"{prefix}municipality_id": self.id})
        return Q(**{f"{path}_id" if path else "id": self.id})


_TERRITORY_MODELS = ((Region, Level.REGION), (Municipality, Level.MUNICIPALITY), (Organization, Level.ORGANIZATION))

# counts per organization id: (numerator, denominator); denominator None for counts
Counts = Mapping[int, tuple]
Compute = Callable[..., Counts]


@dataclass(frozen=True)
class Indicator:
    """`compute(territory, on_date, *, period_start=None)` returns {organization id: (numerator,
    denominator)} for the organizations of the territory that have any (denominator None for a
    count), in a constant number of queries; `period_start` is given to indicators over a period
    («в отчетном периоде»), which count from it to `on_date`. `organization_kinds`: which
    organizations are the units (schools and other educational organizations by default)."""

    code: str
    name: str
    levels: tuple[Level, ...]
    unit: Unit
    numerator: str
    denominator: str
    source: str
    compute: Compute = field(repr=False)
    targets: Mapping[Level, Target] = field(default_factory=dict)
    organization_kinds: frozenset = EDUCATIONAL_KINDS
    owner: str = ""

    def __str__(self):
        return f"{self.code} {self.name}"


_REGISTRY: dict[str, Indicator] = {}


def register_indicator(indicator_: Indicator) -> Indicator:
    """Add an indicator; a code registered twice is refused (two processes cannot both own one),
    except for the very same registration again (ready() runs again when a test changes
    INSTALLED_APPS)."""
    errors = _registration_errors(indicator_)
    if errors:
        raise IndicatorError(f"Показатель {indicator_.code} не зарегистрирован: " + "; ".join(errors))
    if _REGISTRY.get(indicator_.code) == indicator_:
        return _REGISTRY[indicator_.code]
    if indicator_.code in _REGISTRY:
        owner = _REGISTRY[indicator_.code].owner or "ядро"
        raise IndicatorError(f"Показатель {indicator_.code} уже зарегистрирован ({owner})")
    _REGISTRY[indicator_.code] = indicator_
    return indicator_


def _registration_errors(ind: Indicator) -> list[str]:
    errors = []
    if not CODE_PATTERN.match(ind.code):
        errors.append("код пишется как IND-09 (или IND-04a)")
    if not ind.name.strip():
        errors.append("нет наименования")
    if not ind.levels or any(level not in _DEPTH for level in ind.levels):
        errors.append("уровни — ОО, МО и (или) регион")
    if ind.unit not in Unit.values:
        errors.append("неизвестная единица измерения")
    if ind.unit == Unit.COUNT and ind.denominator:
        errors.append("у количества нет знаменателя")
    if ind.unit != Unit.COUNT and not ind.denominator.strip():
        errors.append("доля и соотношение требуют описания знаменателя")
    if not ind.numerator.strip() or not ind.source.strip():
        errors.append("нужны описание числителя и ссылка на строку источника")
    if any(level not in ind.levels for level in ind.targets):
        errors.append("целевое значение задано для уровня, на котором показатель не считается")
    return errors


def indicator(**fields) -> Callable[[Compute], Compute]:
    """Register the decorated compute function as an indicator (fields as in `Indicator`)."""

    def decorate(compute: Compute) -> Compute:
        fields.setdefault("owner", compute.__module__.rsplit(".", 1)[0])
        compute.indicator = register_indicator(Indicator(compute=compute, **fields))
        return compute

    return decorate


def unregister_indicator(code: str) -> None:
    """For tests that register throw-away indicators."""
    _REGISTRY.pop(code, None)


def get_indicator(code: str) -> Indicator:
    try:
        return _REGISTRY[code]
    except KeyError:
        raise IndicatorError(f"Показатель {code} не зарегистрирован") from None


def registered_indicators() -> list[Indicator]:
    return [_REGISTRY[code] for code in sorted(_REGISTRY)]


def evaluate(code: str | Indicator, *, territory, on_date: dt.date, by: Level | None = None,
             period_start: dt.date | None = None) -> dict[int, Figure]:
    """The indicator for the territory broken down by `by` (its own level when None): a Figure per
    unit id, every unit of the territory included (one with no staff has a Figure of 0 / 0, whose
    value is None). The indicator's queries, plus one for the organizations of the territory, plus
    one for its municipalities when broken down by municipality — however many schools it holds.

    Figures of organizations outside the indicator's `organization_kinds`, and of organizations
    with no municipality when broken down by municipality, are left out; the region's figure still
    counts the latter, so regional colleges count in the region but in no municipality."""
    ind = code if isinstance(code, Indicator) else get_indicator(code)
    where = Territory.of(territory)
    by = Level(by or where.level)
    if by not in ind.levels:
        levels = ", ".join(Level(level).label for level in ind.levels)
        raise IndicatorError(f"Показатель {ind.code} считается на уровнях: {levels}; не «{by.label}»")
    if _DEPTH[by] > _DEPTH[where.level]:
        raise IndicatorError(f"{where.level.label} нельзя разбить по уровню «{by.label}»")

    units = Organization.objects.filter(where.organizations(), kind__in=ind.organization_kinds)
    unit_of = {
        org_id: {Level.ORGANIZATION: org_id, Level.MUNICIPALITY: muni_id, Level.REGION: region_id}[by]
        for org_id, muni_id, region_id in units.values_list("id", "municipality_id", "region_id")
    }
    empty = Figure(ind.unit, 0, None if ind.unit == Unit.COUNT else 0)
    if by == Level.ORGANIZATION:
        figures = dict.fromkeys(unit_of, empty)
    elif by == Level.MUNICIPALITY:
        scope = Q(region_id=where.id) if where.level == Level.REGION else Q(id=where.id)
        figures = dict.fromkeys(Municipality.objects.filter(scope).values_list("id", flat=True), empty)
    else:
        figures = {where.id: empty}

    for org_id, (numerator, denominator) in ind.compute(where, on_date, period_start=period_start).items():
        key = unit_of.get(org_id)
        if key in figures:
            figures[key] = figures[key] + Figure(ind.unit, numerator or 0, denominator)
    return figures


def evaluate_total(code: str | Indicator, *, territory, on_date: dt.date,
                   period_start: dt.date | None = None) -> Figure:
    """The indicator for the territory as a whole."""
    where = Territory.of(territory)
    figures = evaluate(code, territory=where, on_date=on_date, period_start=period_start)
    if where.id not in figures:  # an organization of a kind the indicator does not count
        name = getattr(code, "code", code)
        raise IndicatorError(f"Показатель {name} не считается по этой организации: она не из тех, что он охватывает")
    return figures[where.id]


# --- helpers for the compute functions -------------------------------------------------------


def on_staff(on_date: dt.date, path: str = "") -> Q:
    """Teachers counted on the date: employed at their organization by then. (Person holds the
    current workplace only; one who left is no longer in the data.)"""
    prefix = f"{path}__" if path else ""
    return Q(**{f"{prefix}employed_since__lte": on_date})


def teacher_share(territory: Territory, on_date: dt.date, *, condition) -> dict[int, tuple[int, int]]:
    """«Доля педагогических работников, …»: per organization, (teachers meeting `condition`, all
    teachers) on the date, in one query. `condition` is a Q or a boolean expression on Person."""
    rows = (
        Person.objects.filter(territory.organizations("organization"), on_staff(on_date))
        .order_by()
        .values("organization_id")
        .annotate(total=Count("id"), meeting=Count("id", filter=Q(condition)))
    )
    return {row["organization_id"]: (row["meeting"], row["total"]) for row in rows}


def category_in_force(on_date: dt.date, path: str = "") -> Q:
    """Teachers with a первая or высшая category in force on the date, read as Person.category_on:
    one whose term ended before the date counts as none."""
    prefix = f"{path}__" if path else ""
    return Q(**{f"{prefix}category__in": (QualificationCategory.FIRST, QualificationCategory.HIGHEST)}) & (
        Q(**{f"{prefix}category_valid_until__isnull": True}) | Q(**{f"{prefix}category_valid_until__gte": on_date})
    )


# --- the kit's own indicators (orgstructure data only) ----------------------------------------


@indicator(
    code="IND-14",
    name="Доля педагогических работников, имеющих первую/высшую квалификационную категорию",
    # The catalogue lists ОО and МО (its seed 002 is a municipal model); the regional figure is the
    # same pooled formula, and monitoring aggregates every indicator to the region (issue 12 §7).
    levels=(Level.ORGANIZATION, Level.MUNICIPALITY, Level.REGION),
    unit=Unit.SHARE,
    numerator="педагогические работники с действующей на дату первой или высшей квалификационной "
    "категорией (истекшая категория не считается)",
    denominator="все педагогические работники образовательных организаций на дату",
    source="002:L171 («наличие квалификационной категории у педагогического работника … первая "
    "квалификационная категория, высшая квалификационная категория»)",
    owner="workflows.core",
)
def first_or_highest_category(territory: Territory, on_date: dt.date, *, period_start=None):
    return teacher_share(territory, on_date, condition=category_in_force(on_date))
