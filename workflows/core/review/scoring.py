"""The pure rules of an expert review: no database, no process.

A `Scheme` is what a call (or a contest) fixes before the review starts: its criteria, each with a
weight and a maximum score, the pass threshold, how many experts of those appointed must have
scored for the review to complete (k of n), and the spread between experts above which the
coordinator is warned.

An expert's sheet maps each criterion code to `(score, comment)`; the score is an integer from 0 to
the criterion's maximum, or `NOT_RATED` («не могу оценить»), which is left out of every mean.

Ratings are on a 0–100 scale. The rating of the artefact is the weighted mean, over the criteria,
of the mean score of the experts who rated that criterion (each brought to 0–100 by its maximum);
a criterion no expert could rate drops out and the remaining weights carry the rating. An expert's
own rating (the same weighted mean over their sheet) is what the spread compares: the spread is the
difference between the highest and the lowest of them. Arithmetic is exact (fractions), rounded to
hundredths only for display, so a rating exactly at the threshold passes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

NOT_RATED = None  # «не могу оценить»

HUNDREDTH = Decimal("0.01")


def as_decimal(value: Fraction | None) -> Decimal | None:
    if value is None:
        return None
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Criterion:
    code: str
    title: str
    weight: Fraction | int | str = 1
    max_score: int = 10

    def __post_init__(self):
        object.__setattr__(self, "weight", Fraction(self.weight))
        if self.weight <= 0:
            raise ValueError(f"Вес критерия «{self.title}» должен быть больше нуля")
        if self.max_score < 1:
            raise ValueError(f"Максимальный балл критерия «{self.title}» должен быть не меньше 1")


@dataclass(frozen=True)
class Scheme:
    criteria: tuple[Criterion, ...]
    pass_threshold: Fraction | int | str = 60  # on the 0–100 scale
    experts_needed: int = 2  # k: sheets that complete the review
    spread_limit: Fraction | int | str = 25  # points between the highest and the lowest expert rating

    def __post_init__(self):
        object.__setattr__(self, "criteria", tuple(self.criteria))
        object.__setattr__(self, "pass_threshold", Fraction(self.pass_threshold))
        object.__setattr__(self, "spread_limit", Fraction(self.spread_limit))
        if not self.criteria:
            raise ValueError("Нужен хотя бы один критерий")
        codes = [criterion.code for criterion in self.criteria]
        if len(set(codes)) != len(codes):
            raise ValueError("Коды критериев повторяются")
        if not 0 <= self.pass_threshold <= 100:
            raise ValueError("Проходной балл — от 0 до 100")
        if self.experts_needed < 1:
            raise ValueError("Нужен хотя бы один эксперт")
        if self.spread_limit < 0:
            raise ValueError("Допустимое расхождение не может быть отрицательным")

    def criterion(self, code: str) -> Criterion:
        for criterion in self.criteria:
            if criterion.code == code:
                return criterion
        raise KeyError(code)

    def check_appointment(self, appointed: int) -> None:
        """n experts appointed must be able to give k sheets."""
        if appointed < self.experts_needed:
            raise ValueError(
                f"Назначено экспертов: {appointed}; для завершения экспертизы нужно не меньше {self.experts_needed}"
            )


Sheet = Mapping[str, tuple[int | None, str]]


def check_sheet(scheme: Scheme, sheet: Sheet) -> dict[str, list[str]]:
    """Russian messages per criterion code; empty when the sheet can be submitted. Every criterion
    needs an answer and a comment (a «не могу оценить» says why); a score lies in 0..max."""
    errors: dict[str, list[str]] = {}
    for criterion in scheme.criteria:
        if criterion.code not in sheet:
            errors[criterion.code] = ["Оцените критерий или отметьте «не могу оценить»"]
            continue
        score, comment = sheet[criterion.code]
        problems = []
        if score is not NOT_RATED:
            if isinstance(score, bool) or not isinstance(score, int):
                problems.append("Балл — целое число")
            elif not 0 <= score <= criterion.max_score:
                problems.append(f"Балл — от 0 до {criterion.max_score}")
        if not (comment or "").strip():
            problems.append("Нужен комментарий к оценке")
        if problems:
            errors[criterion.code] = problems
    unknown = sorted(set(sheet) - {criterion.code for criterion in scheme.criteria})
    if unknown:
        errors["__all__"] = [f"Неизвестные критерии: {', '.join(unknown)}"]
    return errors


def _weighted(scheme: Scheme, per_criterion: Mapping[str, Fraction]) -> Fraction | None:
    weights = sum((scheme.criterion(code).weight for code in per_criterion), Fraction(0))
    if not weights:
        return None
    return sum((scheme.criterion(code).weight * value for code, value in per_criterion.items()), Fraction(0)) / weights


def _normalized(criterion: Criterion, score: int) -> Fraction:
    return Fraction(score * 100, criterion.max_score)


def expert_rating(scheme: Scheme, sheet: Sheet) -> Fraction | None:
    """One expert's weighted rating (0–100) over the criteria they rated; None if they rated none."""
    rated = {
        criterion.code: _normalized(criterion, sheet[criterion.code][0])
        for criterion in scheme.criteria
        if criterion.code in sheet and sheet[criterion.code][0] is not NOT_RATED
    }
    return _weighted(scheme, rated)


@dataclass(frozen=True)
class ReviewOutcome:
    sheets: int  # submitted sheets that rate at least one criterion
    complete: bool  # k of n reached
    rating: Fraction | None  # weighted rating of the artefact, 0–100
    criterion_means: dict[str, Fraction]  # per criterion, over the experts who rated it
    expert_ratings: tuple[Fraction, ...]
    spread: Fraction | None  # highest minus lowest expert rating (with two sheets or more)
    spread_flagged: bool
    passed: bool | None  # None until complete
    unrated_criteria: tuple[str, ...] = field(default=())  # no expert could rate them

    @property
    def rating_display(self) -> Decimal | None:
        return as_decimal(self.rating)

    @property
    def spread_display(self) -> Decimal | None:
        return as_decimal(self.spread)


def review_outcome(scheme: Scheme, sheets: Iterable[Sheet]) -> ReviewOutcome:
    """The outcome of the submitted sheets. A sheet that rates nothing (all «не могу оценить»)
    does not count towards k: the coordinator needs another expert."""
    counted = [sheet for sheet in sheets if expert_rating(scheme, sheet) is not None]
    ratings = tuple(expert_rating(scheme, sheet) for sheet in counted)
    means: dict[str, Fraction] = {}
    unrated = []
    for criterion in scheme.criteria:
        scores = [
            _normalized(criterion, sheet[criterion.code][0])
            for sheet in counted
            if criterion.code in sheet and sheet[criterion.code][0] is not NOT_RATED
        ]
        if scores:
            means[criterion.code] = sum(scores, Fraction(0)) / len(scores)
        else:
            unrated.append(criterion.code)
    rating = _weighted(scheme, means)
    spread = max(ratings) - min(ratings) if len(ratings) >= 2 else None
    complete = len(counted) >= scheme.experts_needed
    return ReviewOutcome(
        sheets=len(counted),
        complete=complete,
        rating=rating,
        criterion_means=means,
        expert_ratings=ratings,
        spread=spread,
        spread_flagged=spread is not None and spread > scheme.spread_limit,
        passed=(rating is not None and rating >= scheme.pass_threshold) if complete else None,
        unrated_criteria=tuple(unrated),
    )
