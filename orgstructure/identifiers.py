"""Russian personal and organization identifiers: СНИЛС and ИНН, with their control numbers."""

import re

from django.core.exceptions import ValidationError

SNILS_CHECKED_FROM = 1_001_998  # the Pension Fund checks the control number only above 001-001-998
_SNILS_FORMAT = re.compile(r"^\d{3}-\d{3}-\d{3} \d{2}$")


def snils_control(nine_digits: str) -> int:
    """The Pension Fund's control number for the first nine digits of a СНИЛС."""
    total = sum(int(d) * (9 - i) for i, d in enumerate(nine_digits))
    return total if total < 100 else total % 101 % 100


def snils_is_valid(digits: str) -> bool:
    """`digits`: the 11 digits of a СНИЛС without separators."""
    if int(digits[:9]) <= SNILS_CHECKED_FROM:
        return True
    return snils_control(digits[:9]) == int(digits[9:])


def snils_format(digits: str) -> str:
    """11 digits → the stored form «XXX-XXX-XXX YY»."""
    return f"{digits[0:3]}-{digits[3:6]}-{digits[6:9]} {digits[9:11]}"


def snils_from_number(number: int) -> str:
    """A valid СНИЛС (with its control number) built from a 9-digit number: for demo and tests."""
    nine = f"{number:09d}"
    return snils_format(f"{nine}{snils_control(nine):02d}")


def validate_snils(value: str) -> None:
    if not _SNILS_FORMAT.match(value or ""):
        raise ValidationError("СНИЛС записывается так: XXX-XXX-XXX YY")
    if not snils_is_valid(re.sub(r"\D", "", value)):
        raise ValidationError(f"Неверная контрольная сумма СНИЛС {value}")


def inn_is_valid(digits: str) -> bool:
    """The control digits of a 10-digit (organization) or 12-digit (person) ИНН."""

    def check(coefficients):
        return sum(int(d) * c for d, c in zip(digits, coefficients, strict=False)) % 11 % 10

    if len(digits) == 10:
        return check((2, 4, 10, 3, 5, 9, 4, 6, 8)) == int(digits[9])
    if len(digits) == 12:
        return check((7, 2, 4, 10, 3, 5, 9, 4, 6, 8)) == int(digits[10]) and check(
            (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
        ) == int(digits[11])
    return False
