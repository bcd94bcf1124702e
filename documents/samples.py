"""Invented people and places for sample data. Hard names on purpose: they exercise the
declension (indeclinable «Белых» and «Ким» for a woman, a double surname, «-ич» patronymics)."""

from .grammar import Case, inflect_phrase

PEOPLE = [
    {"last_name": "Петрова-Водкина", "first_name": "Мария", "middle_name": "Ильинична", "sex": "f"},
    {"last_name": "Белых", "first_name": "Сергей", "middle_name": "Кузьмич", "sex": "m"},
    {"last_name": "Ким", "first_name": "Ольга", "middle_name": "Сергеевна", "sex": "f"},
    {"last_name": "Зайцев", "first_name": "Лев", "middle_name": "Ильич", "sex": "m"},
    {"last_name": "Шевченко", "first_name": "Анна", "middle_name": "Павловна", "sex": "f"},
    {"last_name": "Ким", "first_name": "Виктор", "middle_name": "Андреевич", "sex": "m"},
    {"last_name": "Соколова", "first_name": "Любовь", "middle_name": "Петровна", "sex": "f"},
    {"last_name": "Дюма", "first_name": "Александр", "middle_name": "", "sex": "m"},
]

SIGNATORY = {
    "last_name": "Белых",
    "first_name": "Илья",
    "middle_name": "Кузьмич",
    "sex": "m",
    "position": "Министр",
}
EXECUTOR = {
    "name": {"last_name": "Ким", "first_name": "Ольга", "middle_name": "Сергеевна", "sex": "f"},
    "phone": "8 (342) 200-00-00",
}

DEFAULT_REGION = "Пермский край"


def region_name(organization) -> str:
    region = getattr(organization, "region", None)
    return region.name if region is not None else DEFAULT_REGION


def territory_genitive(organization) -> str:
    return inflect_phrase(region_name(organization), Case.GENITIVE)


def person(index: int, **extra) -> dict:
    return {**PEOPLE[index % len(PEOPLE)], **extra}
