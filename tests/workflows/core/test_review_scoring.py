"""workflows.core.review.scoring at its boundaries: N/A left out, weights, k of n, spread, threshold."""

from fractions import Fraction

import pytest

from workflows.core.review import NOT_RATED, Criterion, Scheme, check_sheet, expert_rating, review_outcome

SCHEME = Scheme(
    criteria=(
        Criterion("experience", "Опыт", weight=3, max_score=10),
        Criterion("programmes", "Программы", weight=1, max_score=5),
    ),
    pass_threshold=60,
    experts_needed=2,
    spread_limit=25,
)


def sheet(experience, programmes):
    return {"experience": (experience, "комментарий"), "programmes": (programmes, "комментарий")}


def test_weighted_rating_normalises_each_criterion_by_its_maximum():
    # 3 × 80 + 1 × 40 over 4 → 70
    assert expert_rating(SCHEME, sheet(8, 2)) == 70


def test_not_rated_criterion_is_left_out_and_the_other_weights_carry_the_rating():
    assert expert_rating(SCHEME, sheet(8, NOT_RATED)) == 80
    assert expert_rating(SCHEME, sheet(NOT_RATED, NOT_RATED)) is None


def test_per_criterion_mean_skips_experts_who_could_not_rate_it():
    outcome = review_outcome(SCHEME, [sheet(10, NOT_RATED), sheet(6, 5)])
    assert outcome.criterion_means == {"experience": 80, "programmes": 100}
    assert outcome.rating == 85  # (3 × 80 + 100) / 4
    assert outcome.expert_ratings == (100, 70)


def test_k_of_n_completion_and_a_sheet_rating_nothing_does_not_count():
    one = review_outcome(SCHEME, [sheet(8, 4)])
    assert not one.complete and one.passed is None and one.spread is None
    with_blank = review_outcome(SCHEME, [sheet(8, 4), sheet(NOT_RATED, NOT_RATED)])
    assert with_blank.sheets == 1 and not with_blank.complete
    two = review_outcome(SCHEME, [sheet(8, 4), sheet(7, 4)])
    assert two.complete and two.sheets == 2


def test_rating_exactly_at_the_threshold_passes_and_just_below_fails():
    # 3 × 60 + 60 over 4 = 60 exactly
    at = review_outcome(SCHEME, [sheet(6, 3), sheet(6, 3)])
    assert at.rating == 60 and at.passed is True
    # experience 59 after mean of 6 and 5.8 is impossible with integers; use a finer scheme
    fine = Scheme(criteria=(Criterion("a", "А", max_score=100),), pass_threshold=60, experts_needed=2)
    below = review_outcome(fine, [{"a": (60, "к")}, {"a": (59, "к")}])
    assert below.rating == Fraction(119, 2) and below.passed is False
    assert str(below.rating_display) == "59.50"


def test_spread_flagged_only_above_the_limit():
    at_limit = review_outcome(SCHEME, [sheet(10, 5), sheet(NOT_RATED, 5), sheet(7, 5)])
    # expert ratings 100, 100, 77.5 → spread 22.5: not flagged
    assert at_limit.spread == Fraction(45, 2) and not at_limit.spread_flagged
    exactly = review_outcome(
        Scheme(criteria=(Criterion("a", "А", max_score=100),), spread_limit=25), [{"a": (90, "к")}, {"a": (65, "к")}]
    )
    assert exactly.spread == 25 and not exactly.spread_flagged
    above = review_outcome(
        Scheme(criteria=(Criterion("a", "А", max_score=100),), spread_limit=25), [{"a": (90, "к")}, {"a": (64, "к")}]
    )
    assert above.spread == 26 and above.spread_flagged


def test_criterion_nobody_could_rate_is_reported():
    outcome = review_outcome(SCHEME, [sheet(8, NOT_RATED), sheet(6, NOT_RATED)])
    assert outcome.unrated_criteria == ("programmes",)
    assert outcome.rating == 70


@pytest.mark.parametrize(
    ("answers", "field", "message"),
    [
        ({"experience": (11, "к"), "programmes": (1, "к")}, "experience", "Балл — от 0 до 10"),
        ({"experience": (-1, "к"), "programmes": (1, "к")}, "experience", "Балл — от 0 до 10"),
        ({"experience": (5, "  "), "programmes": (1, "к")}, "experience", "Нужен комментарий к оценке"),
        ({"experience": (NOT_RATED, ""), "programmes": (1, "к")}, "experience", "Нужен комментарий к оценке"),
        ({"programmes": (1, "к")}, "experience", "Оцените критерий или отметьте «не могу оценить»"),
        ({"experience": (True, "к"), "programmes": (1, "к")}, "experience", "Балл — целое число"),
    ],
)
def test_check_sheet_refuses_with_a_russian_message(answers, field, message):
    assert message in check_sheet(SCHEME, answers)[field]


def test_check_sheet_accepts_bounds_and_not_rated_with_a_reason():
    assert check_sheet(SCHEME, {"experience": (0, "к"), "programmes": (5, "к")}) == {}
    assert check_sheet(SCHEME, {"experience": (NOT_RATED, "нет данных"), "programmes": (5, "к")}) == {}


def test_scheme_refuses_nonsense():
    with pytest.raises(ValueError, match="Вес"):
        Criterion("a", "А", weight=0)
    with pytest.raises(ValueError, match="повторяются"):
        Scheme(criteria=(Criterion("a", "А"), Criterion("a", "Б")))
    with pytest.raises(ValueError, match="Проходной"):
        Scheme(criteria=(Criterion("a", "А"),), pass_threshold=101)
    with pytest.raises(ValueError, match="не меньше 3"):
        Scheme(criteria=(Criterion("a", "А"),), experts_needed=3).check_appointment(2)
