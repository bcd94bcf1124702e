"""The rules of a school's monitoring form — pure functions, no ORM writes.

* `value_errors`: required answers, numbers, numerator ≤ denominator (a share is never above
  100 %), a percentage 0–100, a number's upper bound, evidence files present.
* `correction_errors`: a value the system computed (IND-09, IND-14, … from the kit's registry)
  changed without a reason.
* `cross_field_errors`: the campaign's rules as data («IND-06.denominator <= IND-14.denominator»).
* `jump_warnings`: a value far from last period's accepted one — a warning, never an error; the
  threshold is a setting (PROFROST_MONITORING_JUMP_PP for shares in п.п., PROFROST_MONITORING_
  JUMP_RATIO for numbers as a fraction).
"""

from __future__ import annotations

import operator as op
from decimal import Decimal, InvalidOperation

from .models import ValueKind, operand_label, rule_text

PARTS = ("numerator", "denominator", "value")
OPERATORS = {"<=": op.le, "<": op.lt, "==": op.eq, ">=": op.ge, ">": op.gt}


class NotANumber(ValueError):
    pass


def number(raw) -> Decimal | None:
    """A form's or an import's number («12», «12,5», 12) or None when empty; NotANumber else."""
    if raw in (None, ""):
        return None
    if isinstance(raw, bool):
        raise NotANumber(raw)
    try:
        value = Decimal(str(raw).replace(",", ".").replace("\u00a0", "").replace(" ", "").strip())
    except InvalidOperation:
        raise NotANumber(raw) from None
    if not value.is_finite():
        raise NotANumber(raw)
    return value


def ru(value: Decimal) -> str:
    text = f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}".rstrip("0")
    return text.replace(".", ",")


def label(indicator) -> str:
    return f"{indicator.code} «{indicator.title}»"


def value_errors(indicators, values: dict) -> dict[str, list[str]]:
    """{form field: [messages]} for the values of a submission (empty when valid)."""
    errors: dict[str, list[str]] = {}

    def add(indicator, message):
        errors.setdefault(f"v_{indicator.code}", []).append(f"{label(indicator)}: {message}")

    for indicator in indicators:
        value = values.get(indicator.code)
        try:
            if indicator.kind == ValueKind.SHARE:
                value = value if isinstance(value, dict) else {}
                numerator, denominator = number(value.get("numerator")), number(value.get("denominator"))
                if numerator is None or denominator is None:
                    if indicator.required or numerator is not None or denominator is not None:
                        add(indicator, "укажите числитель и знаменатель")
                elif numerator < 0 or denominator < 0:
                    add(indicator, "значение не может быть отрицательным")
                elif denominator == 0 and numerator:
                    add(indicator, "знаменатель не может быть нулём")
                elif numerator > denominator:
                    add(indicator, f"числитель ({ru(numerator)}) больше знаменателя ({ru(denominator)}) — "
                                   "доля больше 100 %")
            elif indicator.kind in (ValueKind.NUMBER, ValueKind.PERCENT):
                amount = number(value)
                if amount is None:
                    if indicator.required:
                        add(indicator, "укажите значение")
                elif amount < 0:
                    add(indicator, "значение не может быть отрицательным")
                elif indicator.kind == ValueKind.PERCENT and amount > 100:
                    add(indicator, f"доля не может быть больше 100 % (указано {ru(amount)} %)")
                elif indicator.max_value is not None and amount > indicator.max_value:
                    add(indicator, f"значение не может быть больше {ru(indicator.max_value)} (указано {ru(amount)})")
            elif indicator.kind == ValueKind.YES_NO:
                if value not in (True, False) and indicator.required:
                    add(indicator, "выберите «да» или «нет»")
            elif indicator.kind == ValueKind.FILE:
                if not (isinstance(value, dict) and value.get("file")) and indicator.required:
                    add(indicator, "приложите файл-подтверждение")
            elif indicator.required and not str(value or "").strip():
                add(indicator, "заполните поле")
        except NotANumber:
            add(indicator, "введите число")
    return errors


def correction_errors(indicators, values: dict, computed: dict, corrections: dict) -> dict[str, list[str]]:
    """A computed value changed without a reason."""
    errors = {}
    for indicator in indicators:
        if indicator.code not in computed:
            continue
        if same(indicator, values.get(indicator.code), computed[indicator.code]):
            continue
        if not str(corrections.get(indicator.code) or "").strip():
            errors[f"r_{indicator.code}"] = [
                f"{label(indicator)}: значение вычислено системой ({shown(indicator, computed[indicator.code])}); "
                "укажите причину его изменения"
            ]
    return errors


def same(indicator, left, right) -> bool:
    """Two values of an indicator are the same figure (12 and «12.0» alike)."""
    try:
        if indicator.kind == ValueKind.SHARE:
            left, right = left or {}, right or {}
            return all(number(left.get(part)) == number(right.get(part)) for part in ("numerator", "denominator"))
        if indicator.kind in (ValueKind.NUMBER, ValueKind.PERCENT):
            return number(left) == number(right)
    except (NotANumber, AttributeError):
        return False
    return left == right


def shown(indicator, value) -> str:
    """A value as the official reads it: «12 из 40 (30,0 %)», «да», «7»."""
    try:
        if indicator.kind == ValueKind.SHARE and isinstance(value, dict):
            numerator, denominator = number(value.get("numerator")), number(value.get("denominator"))
            if numerator is None or denominator is None:
                return "—"
            share = f" ({ru(percent(numerator, denominator))} %)" if denominator else ""
            return f"{ru(numerator)} из {ru(denominator)}{share}"
        if indicator.kind in (ValueKind.NUMBER, ValueKind.PERCENT):
            amount = number(value)
            return "—" if amount is None else ru(amount) + (" %" if indicator.kind == ValueKind.PERCENT else "")
    except NotANumber:
        return str(value)
    if indicator.kind == ValueKind.YES_NO:
        return {True: "да", False: "нет"}.get(value, "—")
    if indicator.kind == ValueKind.FILE:
        return (value or {}).get("name", "—") if isinstance(value, dict) else "—"
    return str(value or "—")


def percent(numerator: Decimal, denominator: Decimal) -> Decimal:
    return (numerator * 100 / denominator).quantize(Decimal("0.1"))


def operand(values: dict, indicators_by_code: dict, text: str) -> Decimal | None:
    """The number an operand names («IND-06.denominator», «IND-05», «100») in the values."""
    try:
        return number(text) if text[:1].isdigit() else _part(values, indicators_by_code, text)
    except NotANumber:
        return None


def _part(values, indicators_by_code, text):
    code, _, part = text.partition(".")
    indicator = indicators_by_code.get(code)
    if indicator is None:
        return None
    value = values.get(code)
    if indicator.kind == ValueKind.SHARE:
        if not isinstance(value, dict):
            return None
        if part in ("numerator", "denominator"):
            return number(value.get(part))
        numerator, denominator = number(value.get("numerator")), number(value.get("denominator"))
        return percent(numerator, denominator) if numerator is not None and denominator else None
    return number(value)


def cross_field_errors(indicators, values: dict, campaign_rules) -> dict[str, list[str]]:
    """The campaign's rules between indicators, each checked when both sides are given."""
    by_code = {indicator.code: indicator for indicator in indicators}
    errors = []
    for rule in campaign_rules:
        left, right = operand(values, by_code, rule.left), operand(values, by_code, rule.right)
        if left is None or right is None:
            continue
        if not OPERATORS[rule.operator](left, right):
            errors.append(f"{operand_label(rule.left)} = {ru(left)}, {operand_label(rule.right)} = {ru(right)}: "
                          f"условие «{rule_text(rule)}» не выполняется — {rule.message}")
    return {"__all__": errors} if errors else {}


def comparable(indicator, value) -> Decimal | None:
    """The figure a jump is measured on: a share in percent, a number as it is."""
    try:
        if indicator.kind == ValueKind.SHARE:
            if not isinstance(value, dict):
                return None
            numerator, denominator = number(value.get("numerator")), number(value.get("denominator"))
            return percent(numerator, denominator) if numerator is not None and denominator else None
        if indicator.kind in (ValueKind.NUMBER, ValueKind.PERCENT):
            return number(value)
    except NotANumber:
        return None
    return None


def jump_warnings(indicators, values: dict, previous: dict, *, share_pp: Decimal, number_ratio: Decimal) -> list[str]:
    """Warnings where a value jumps against last period's accepted value: a share or percentage by
    more than `share_pp` п.п., a number by more than `number_ratio` of the old value."""
    warnings = []
    for indicator in indicators:
        now, before = comparable(indicator, values.get(indicator.code)), comparable(
            indicator, previous.get(indicator.code))
        if now is None or before is None:
            continue
        change = now - before
        if indicator.kind in (ValueKind.SHARE, ValueKind.PERCENT):
            if abs(change) > share_pp:
                sign = "+" if change > 0 else "−"
                warnings.append(f"{indicator.code}: {ru(now)} % против {ru(before)} % в прошлом периоде "
                                f"({sign}{ru(abs(change))} п.п.) — проверьте значение")
        elif (before == 0 and now != 0) or (before and abs(change) > abs(before) * number_ratio):
            warnings.append(f"{indicator.code}: {ru(now)} против {ru(before)} в прошлом периоде — проверьте значение")
    return warnings
