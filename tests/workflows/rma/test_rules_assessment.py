"""The assessment's pass marks and the school year of a list — pure functions of rules.py."""

import datetime as dt
from decimal import Decimal

from workflows.rma.rules import PassMarks, academic_year, assessment_check, percent

MARKS_70 = PassMarks(Decimal("70"), Decimal("70"))  # a region's marks (the seeds give none)


def codes(subject, methodical, marks=MARKS_70):
    return [refusal.code for refusal in assessment_check(Decimal(subject), Decimal(methodical), marks)]


def test_a_score_equal_to_the_pass_mark_passes():
    assert codes("70", "70") == []
    assert codes("69.99", "70") == ["subject_score_low"]
    assert codes("70", "69.99") == ["methodical_score_low"]


def test_both_failures_are_reported_with_the_facts():
    refusals = assessment_check(Decimal("55"), Decimal("61.5"), PassMarks(Decimal("60"), Decimal("65")))
    assert [r.message for r in refusals] == [
        "предметные компетенции: 55 % при проходном балле 60 %",
        "методические компетенции: 61,5 % при проходном балле 65 %",
    ]


def test_percent_reads_russian():
    assert percent(Decimal("72.50")) == "72,5 %"
    assert percent(80) == "80 %"


def test_academic_year_turns_on_the_first_of_september():
    assert academic_year(dt.date(2026, 8, 31)) == "2025/2026"
    assert academic_year(dt.date(2026, 9, 1)) == "2026/2027"
