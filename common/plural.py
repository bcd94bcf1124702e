"""Russian plural forms of a noun after a number: «1 задача», «2 задачи», «5 задач», «11 задач»,
«21 задача». One helper for the pages (the `plural` template filter in workflows/core) and the
documents (documents/grammar.py re-exports it)."""

from __future__ import annotations


def plural_form(number: int, forms: tuple[str, str, str] | str) -> str:
    """The form for a count: («час», «часа», «часов») → 1 час, 2 часа, 5 часов, 11 часов. `forms`
    may be one string with the three forms separated by commas ("задача,задачи,задач")."""
    if isinstance(forms, str):
        forms = tuple(part.strip() for part in forms.split(","))
    if len(forms) != 3:
        raise ValueError("three forms are needed: for 1, for 2 and for 5")
    number = abs(int(number))
    if 11 <= number % 100 <= 14:
        return forms[2]
    if number % 10 == 1:
        return forms[0]
    if 2 <= number % 10 <= 4:
        return forms[1]
    return forms[2]


def quantity(number: int, forms: tuple[str, str, str] | str) -> str:
    """«36 часов», «22 педагога»."""
    return f"{number} {plural_form(number, forms)}"
