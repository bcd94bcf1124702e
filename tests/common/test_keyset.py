"""common.keyset: pages cover every row once in any ordering (mixed directions, NULLs, NULLs
through a relation), one query a page, and every cursor that is not one the list handed out
gives the first page. Runs on SQLite and on PostgreSQL (CI runs the suite on both)."""

import datetime as dt
import functools

import pytest
from django.core import signing

from common import keyset
from orgstructure.models import Person
from tests.factories import make_organization, make_person, make_region

pytestmark = pytest.mark.django_db

DAYS = [dt.date(2027, 1, 10), None, dt.date(2026, 5, 1), dt.date(2027, 1, 10), None, dt.date(2028, 2, 2)]


@pytest.fixture
def persons():
    region = make_region()
    with_municipality = make_organization(region)
    with_municipality.municipality.name = "Березники"
    with_municipality.municipality.save()
    other = make_organization(region)
    other.municipality.name = "Алапаевск"
    other.municipality.save()
    regional = make_organization(region, kind="iro")  # no municipality: NULL through the relation
    organizations = [with_municipality, regional, other]
    no_category = {"category": "none", "category_assigned_on": None, "category_valid_until": None}
    return [
        make_person(
            organizations[index % 3],
            last_name=f"Тестова{index % 4}",
            **({"category_valid_until": day} if day else no_category),
        )
        for index, day in enumerate(DAYS * 2)
    ]


def value(person, path):
    current = person
    for part in path.split("__"):
        current = getattr(current, part)
        if current is None:
            return None
    return current


def expected(persons, ordering):
    """The order the helper promises: NULL is larger than every value."""

    def compare(a, b):
        for entry in ordering:
            path = entry.lstrip("-")
            x, y = value(a, path), value(b, path)
            if x == y:
                continue
            result = 1 if x is None else -1 if y is None else (x > y) - (x < y)
            return -result if entry.startswith("-") else result
        return 0

    return [person.pk for person in sorted(persons, key=functools.cmp_to_key(compare))]


def walk(queryset, ordering, size):
    seen, cursor, pages = [], "", 0
    while True:
        page = keyset.page(queryset, ordering, cursor, size)
        seen += [row.pk for row in page.rows]
        pages += 1
        if page.next_cursor is None:
            return seen, pages
        assert pages < 100, "the pages never end"
        cursor = page.next_cursor


@pytest.mark.parametrize(
    "ordering",
    [
        ("category_valid_until", "id"),
        ("-category_valid_until", "id"),
        ("-category_valid_until", "-id"),
        ("category_valid_until", "-last_name", "pk"),
        ("organization__municipality__name", "-id"),
        ("-organization__municipality__name", "category_valid_until", "id"),
        ("last_name", "-category_valid_until", "-id"),
    ],
)
@pytest.mark.parametrize("size", [1, 2, 5, 50])
def test_pages_cover_every_row_once_in_the_promised_order(persons, ordering, size):
    seen, pages = walk(Person.objects.all(), ordering, size)
    assert seen == expected(persons, ordering)
    assert pages == max(1, -(-len(persons) // size))


def test_one_query_a_page_on_any_page(persons, django_assert_num_queries):
    queryset = Person.objects.select_related("organization__municipality")
    ordering = ("organization__municipality__name", "last_name", "id")
    cursor = ""
    for _ in range(4):
        with django_assert_num_queries(1):
            page = keyset.page(queryset, ordering, cursor, 3)
            [row.organization.municipality for row in page.rows]
        cursor = page.next_cursor


def test_rows_added_between_pages_neither_repeat_nor_shift_the_rest(persons):
    ordering = ("last_name", "id")
    first = keyset.page(Person.objects.all(), ordering, "", 4)
    make_person(persons[0].organization, last_name="Аардваркова")  # sorts before everything shown
    rest, _ = walk_from(Person.objects.all(), ordering, first.next_cursor)
    shown = [row.pk for row in first.rows] + rest
    assert len(shown) == len(set(shown)) == len(persons)


def walk_from(queryset, ordering, cursor):
    seen = []
    while cursor:
        page = keyset.page(queryset, ordering, cursor, 4)
        seen += [row.pk for row in page.rows]
        cursor = page.next_cursor
    return seen, None


def test_the_filter_of_the_queryset_is_kept(persons):
    queryset = Person.objects.filter(category_valid_until__isnull=False)
    seen, _ = walk(queryset, ("category_valid_until", "id"), 3)
    assert seen == expected([p for p in persons if p.category_valid_until], ("category_valid_until", "id"))


def test_cursor_after_a_row_continues_after_it(persons):
    ordering = ("-category_valid_until", "id")
    order = expected(persons, ordering)
    row = Person.objects.get(pk=order[4])
    page = keyset.page(Person.objects.all(), ordering, keyset.cursor_after(Person.objects.all(), ordering, row), 3)
    assert [r.pk for r in page.rows] == order[5:8]


@pytest.fixture
def second_cursor(persons):
    return keyset.page(Person.objects.all(), ("last_name", "id"), "", 3).next_cursor


def tampered(cursor: str) -> str:
    payload, signature = cursor.rsplit(":", 1)
    return payload[:-1] + ("A" if payload[-1] != "A" else "B") + ":" + signature


@pytest.mark.parametrize(
    "make_cursor",
    [
        lambda good: "garbage",
        lambda good: None,
        lambda good: "",
        lambda good: ":",
        lambda good: "%%%:%%%",
        lambda good: good[:-3],
        tampered,
        lambda good: "x" * 100_000,
        lambda good: good + good,
        # signed right, but by another list (another ordering or another model)
        lambda good: keyset.cursor_after(Person.objects.all(), ("first_name", "id"), Person.objects.first()),
        lambda good: signing.Signer(salt="common.keyset:orgstructure.organization:last_name,id").sign_object(
            ["Тестова", 1]
        ),
        # signed right with the list's salt, but values of the wrong kind or number
        lambda good: signing.Signer(salt="common.keyset:orgstructure.person:last_name,id").sign_object(
            ["Тестова", "not a number"]
        ),
        lambda good: signing.Signer(salt="common.keyset:orgstructure.person:last_name,id").sign_object(["Тестова"]),
        lambda good: signing.Signer(salt="common.keyset:orgstructure.person:last_name,id").sign_object(
            {"last_name": "Тестова"}
        ),
        lambda good: signing.Signer(salt="common.keyset:orgstructure.person:last_name,id").sign_object([None, None]),
    ],
)
def test_any_other_cursor_gives_the_first_page(persons, second_cursor, make_cursor):
    first = keyset.page(Person.objects.all(), ("last_name", "id"), "", 3)
    page = keyset.page(Person.objects.all(), ("last_name", "id"), make_cursor(second_cursor), 3)
    assert [row.pk for row in page.rows] == [row.pk for row in first.rows]
    assert keyset.page(Person.objects.all(), ("last_name", "id"), second_cursor, 3).rows != first.rows


def test_the_cursor_does_not_show_the_values_in_the_clear(persons, second_cursor):
    assert "Тестова" not in second_cursor and "2027" not in second_cursor
    assert all(char.isalnum() or char in "-_:" for char in second_cursor)  # safe in a URL as it is


@pytest.mark.parametrize(
    "ordering",
    [(), ("last_name",), ("last_name", "category_valid_until"), ("user",), ("subjects__name", "id"), ("nope", "id")],
)
def test_an_ordering_that_is_not_total_or_not_a_field_is_a_programming_error(ordering):
    with pytest.raises(ValueError):
        keyset.page(Person.objects.all(), ordering, "", 10)
