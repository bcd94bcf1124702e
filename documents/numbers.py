"""Number formats of the numbering registers: «{n}/ОД» → «668/ОД», «26-01-06-{n}» → «26-01-06-545»."""

from __future__ import annotations

import string

from .errors import NumberFormatError

ALLOWED_NUMBER_FIELDS = {"n", "year"}


def format_number(number_format: str, n: int, year: int) -> str:
    """ "{n}/ОД" → "668/ОД"; "26-01-06-{n}" → "26-01-06-545"; "{year}-{n}" → "2024-15"."""
    validate_number_format(number_format)
    return number_format.format(n=n, year=year)


def validate_number_format(number_format: str) -> None:
    try:
        fields = {name for _, name, _, _ in string.Formatter().parse(number_format) if name is not None}
    except ValueError as exc:
        raise NumberFormatError(f"Формат номера «{number_format}» записан с ошибкой: {exc}") from exc
    if "n" not in fields:
        raise NumberFormatError(f"Формат номера «{number_format}» должен содержать {{n}} — порядковый номер")
    unknown = fields - ALLOWED_NUMBER_FIELDS
    if unknown:
        raise NumberFormatError(
            f"Формат номера «{number_format}»: неизвестные поля {', '.join(sorted(unknown))}; "
            "допустимы {n} и {year}"
        )
