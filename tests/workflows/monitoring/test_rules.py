"""The school form's rules (workflows/monitoring/rules.py), each at its boundary: shares never
above 100 %, a percentage 0–100, a number's bound, the campaign's cross-field rules as data, and a
warning — not an error — where a value jumps against last period's accepted value."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from workflows.monitoring import catalogue, rules
from workflows.monitoring.models import ValueKind


def ind(code, kind, required=True, max_value=None, title="показатель"):
    return SimpleNamespace(code=code, kind=kind, required=required, max_value=max_value, title=title)


SHARE = ind("IND-03", ValueKind.SHARE)
PERCENT = ind("IND-04", ValueKind.PERCENT)
VACANCIES = ind("IND-18", ValueKind.NUMBER, max_value=Decimal(500))


def share(n, d):
    return {"numerator": n, "denominator": d}


@pytest.mark.parametrize(("value", "error"), [
    (share("40", "40"), None),  # exactly 100 %
    (share("41", "40"), "числитель (41) больше знаменателя (40) — доля больше 100 %"),
    (share("0", "0"), None),  # a school with no such teachers: 0 of 0
    (share("1", "0"), "знаменатель не может быть нулём"),
    (share("12", None), "укажите числитель и знаменатель"),
    (share("abc", "4"), "введите число"),
])
def test_a_share_is_never_above_100_percent(value, error):
    errors = rules.value_errors([SHARE], {"IND-03": value})
    assert (errors["v_IND-03"][0].endswith(error) if error else errors == {})


@pytest.mark.parametrize(("value", "ok"), [
    ("100", True), ("100,0", True), ("100.1", False), ("0", True), ("-1", False),
])
def test_a_percentage_is_between_0_and_100(value, ok):
    errors = rules.value_errors([PERCENT], {"IND-04": value})
    assert (errors == {}) is ok
    if not ok and value != "-1":
        assert "доля не может быть больше 100 %" in errors["v_IND-04"][0]


def test_a_number_above_its_bound_is_refused():
    assert rules.value_errors([VACANCIES], {"IND-18": "500"}) == {}
    assert "не может быть больше 500" in rules.value_errors([VACANCIES], {"IND-18": "501"})["v_IND-18"][0]


def test_a_required_evidence_file_must_be_attached():
    evidence = ind("PLAN", ValueKind.FILE)
    assert "приложите файл" in rules.value_errors([evidence], {})["v_PLAN"][0]
    assert rules.value_errors([evidence], {"PLAN": {"file": 3, "name": "план.pdf"}}) == {}


def _rule(left, operator, right):
    return SimpleNamespace(left=left, operator=operator, right=right, message="правило")


def test_cross_field_rules_are_data_checked_when_both_sides_are_given():
    # 003:L576: the young teachers of IND-06 are a part of all teachers (IND-14's denominator)
    young, categories = ind("IND-06", ValueKind.SHARE), ind("IND-14", ValueKind.SHARE)
    rule = _rule("IND-06.denominator", "<=", "IND-14.denominator")
    good = {"IND-06": share("3", "5"), "IND-14": share("20", "40")}
    bad = {"IND-06": share("3", "41"), "IND-14": share("20", "40")}
    assert rules.cross_field_errors([young, categories], good, [rule]) == {}
    message = rules.cross_field_errors([young, categories], bad, [rule])["__all__"][0]
    assert message.startswith("IND-06 (знаменатель) = 41, IND-14 (знаменатель) = 40: условие «IND-06 (знаменатель) ≤ "
                              "IND-14 (знаменатель)» не выполняется — правило")
    assert rules.cross_field_errors([young, categories], {"IND-06": share("3", "41")}, [rule]) == {}
    # a constant on the right, and the share itself in percent
    assert rules.cross_field_errors([young], {"IND-06": share("3", "5")}, [_rule("IND-06.value", ">=", "70")])


def test_the_shipped_cross_rules_cite_their_seeds_and_name_catalogue_codes():
    for rule in catalogue.CROSS_RULES:
        assert rule.operator in rules.OPERATORS
        for side in (rule.left, rule.right):
            code, _, part = side.partition(".")
            assert code in catalogue.BY_CODE and part in rules.PARTS
        assert any(seed in rule.message for seed in ("000:L", "001:L", "002:L", "003:L", "004:L"))


def test_catalogue_targets_are_the_seeds_figures():
    assert catalogue.BY_CODE["IND-03"].target == 30 and "000:L217" in catalogue.BY_CODE["IND-03"].source
    assert catalogue.BY_CODE["IND-06"].target == 70 and "000:L220" in catalogue.BY_CODE["IND-06"].source
    assert catalogue.BY_CODE["IND-04a"].target == 15  # «в том числе … не менее 15%», 000:L218


@pytest.mark.parametrize(("now", "before", "warned"), [
    (share("20", "40"), share("12", "40"), False),  # 50 % against 30 %: +20 п.п., at the threshold
    (share("21", "40"), share("12", "40"), True),  # 52,5 % against 30 %: +22,5 п.п.
    (share("0", "40"), share("12", "40"), True),  # −30 п.п.
])
def test_a_share_jumping_past_the_threshold_is_a_warning(now, before, warned):
    warnings = rules.jump_warnings([SHARE], {"IND-03": now}, {"IND-03": before},
                                   share_pp=Decimal(20), number_ratio=Decimal("0.5"))
    assert bool(warnings) is warned
    if warned:
        assert warnings[0].startswith("IND-03:") and "п.п.) — проверьте значение" in warnings[0]


def test_a_number_jumps_by_its_ratio_and_nothing_warns_without_last_period():
    kwargs = {"share_pp": Decimal(20), "number_ratio": Decimal("0.5")}
    assert rules.jump_warnings([VACANCIES], {"IND-18": "15"}, {"IND-18": "10"}, **kwargs) == []
    assert rules.jump_warnings([VACANCIES], {"IND-18": "16"}, {"IND-18": "10"}, **kwargs)
    assert rules.jump_warnings([VACANCIES], {"IND-18": "16"}, {}, **kwargs) == []


def test_a_computed_value_changed_needs_a_reason():
    computed = {"IND-03": share("12", "40")}
    assert rules.correction_errors([SHARE], {"IND-03": share("12.0", "40")}, computed, {}) == {}
    errors = rules.correction_errors([SHARE], {"IND-03": share("13", "40")}, computed, {})
    assert "вычислено системой (12 из 40 (30 %)); укажите причину" in errors["r_IND-03"][0]
    reason = {"IND-03": "учтён совместитель"}
    assert rules.correction_errors([SHARE], {"IND-03": share("13", "40")}, computed, reason) == {}
