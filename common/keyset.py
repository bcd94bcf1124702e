"""Keyset pages: the next page starts after the last row shown, by a WHERE over the ordering
fields, never by OFFSET — so the first and the thousandth page cost the same one query, and rows
added meanwhile neither repeat nor vanish.

    page = keyset.page(queryset, ("-issued_on", "-id"), cursor=request.GET.get("after", ""), size=50)
    page.rows, page.next_cursor

The ordering is a sequence of field paths as `order_by` takes them (`"-created"`,
`"person__last_name"`); its last field must be unique (the primary key), so the order is total.
A field that can be NULL (itself, or through a nullable relation) sorts as larger than every
value — last going up, first going down, as PostgreSQL's indexes keep it — and the ORDER BY says
so explicitly for that field only, so SQLite orders alike and fields that cannot be NULL keep
the plain ORDER BY their indexes serve.

The cursor is opaque and signed with SECRET_KEY, salted with the model and the ordering: it can
only be one this list handed out. Anything else — garbage, a tampered value, a cursor of another
list or another sort order — gives the first page, never an error.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import F, Q

MAX_CURSOR_LENGTH = 2000


@dataclass(frozen=True)
class Page:
    rows: list
    next_cursor: str | None


@dataclass(frozen=True)
class _Key:
    path: str  # "person__last_name"
    descending: bool
    nullable: bool
    field: Any  # the model field at the end of the path, which parses the cursor's value
    attributes: tuple[str, ...]  # how to read the value off a row: ("person", "last_name")

    def order(self):
        if not self.nullable:
            return f"-{self.path}" if self.descending else self.path
        expression = F(self.path)
        return expression.desc(nulls_first=True) if self.descending else expression.asc(nulls_last=True)

    def equal(self, value) -> Q:
        return Q(**{f"{self.path}__isnull": True}) if value is None else Q(**{self.path: value})

    def after(self, value) -> Q | None:
        """Rows that come after `value` on this field alone (None: no row does)."""
        if self.descending:  # NULLs first, then the largest value down
            if value is None:
                return Q(**{f"{self.path}__isnull": False}) if self.nullable else None
            return Q(**{f"{self.path}__lt": value})
        if value is None:  # NULLs last: nothing comes after them
            return None
        condition = Q(**{f"{self.path}__gt": value})
        return condition | Q(**{f"{self.path}__isnull": True}) if self.nullable else condition


def page(queryset, ordering: Sequence[str], cursor: str | None = "", size: int = 50) -> Page:
    """One page of `queryset` in `ordering`, starting after the row the cursor names."""
    keys = _keys(queryset.model, ordering)
    queryset = queryset.order_by(*(key.order() for key in keys))
    position = _decode(queryset.model, ordering, keys, cursor)
    if position is not None:
        queryset = queryset.filter(_after(keys, position))
    rows = list(queryset[: size + 1])
    if len(rows) <= size:
        return Page(rows=rows, next_cursor=None)
    rows = rows[:size]
    return Page(rows=rows, next_cursor=_encode(queryset.model, ordering, [_value(rows[-1], key) for key in keys]))


def cursor_after(queryset, ordering: Sequence[str], row) -> str:
    """The cursor of the page that starts after `row` (a benchmark or a test jumping deep)."""
    keys = _keys(queryset.model, ordering)
    return _encode(queryset.model, ordering, [_value(row, key) for key in keys])


def _keys(model, ordering: Sequence[str]) -> list[_Key]:
    if not ordering:
        raise ValueError("keyset ordering is empty")
    keys = [_key(model, entry) for entry in ordering]
    last = keys[-1]
    if not (last.field.primary_key or last.field.unique) or last.nullable:
        raise ValueError(f"keyset ordering must end with a unique, non-null field, not {last.path!r}")
    return keys


def _key(model, entry: str) -> _Key:
    descending = entry.startswith("-")
    path = entry.lstrip("-")
    parts = path.split("__")
    nullable = False
    attributes = []
    current = model
    for index, part in enumerate(parts):
        try:
            field = current._meta.pk if part == "pk" else current._meta.get_field(part)
        except FieldDoesNotExist:
            raise ValueError(f"keyset ordering: {current.__name__} has no field {part!r}") from None
        if index < len(parts) - 1:
            if not field.is_relation or field.many_to_many or field.one_to_many:
                raise ValueError(f"keyset ordering: {path!r} must follow single-valued relations")
            nullable = nullable or field.null
            attributes.append(field.name)
            current = field.related_model
        else:
            nullable = nullable or field.null
            attributes.append(field.attname)
    return _Key(path=path, descending=descending, nullable=nullable, field=field, attributes=tuple(attributes))


def _value(row, key: _Key):
    if isinstance(row, dict):
        return row[key.path]
    value = row
    for attribute in key.attributes:
        value = getattr(value, attribute)
        if value is None:
            return None
    return value


def _after(keys: list[_Key], values: list) -> Q:
    """(k1 > v1) OR (k1 = v1 AND k2 > v2) OR … with each key's direction and NULLs."""
    condition = Q(pk__in=[])
    for index, key in enumerate(keys):
        step = key.after(values[index])
        if step is None:
            continue
        for previous, value in zip(keys[:index], values[:index], strict=True):
            step &= previous.equal(value)
        condition |= step
    return condition


def _salt(model, ordering: Sequence[str]) -> str:
    return f"common.keyset:{model._meta.label_lower}:{','.join(ordering)}"


def _plain(value):
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def _encode(model, ordering: Sequence[str], values: list) -> str:
    return signing.Signer(salt=_salt(model, ordering)).sign_object([_plain(value) for value in values])


def _decode(model, ordering: Sequence[str], keys: list[_Key], cursor) -> list | None:
    if not cursor or not isinstance(cursor, str) or len(cursor) > MAX_CURSOR_LENGTH:
        return None
    try:
        raw = signing.Signer(salt=_salt(model, ordering)).unsign_object(cursor)
    except (signing.BadSignature, ValueError, UnicodeError):
        return None
    if not isinstance(raw, list) or len(raw) != len(keys):
        return None
    values = []
    for key, value in zip(keys, raw, strict=True):
        if value is None:
            if not key.nullable:
                return None
            values.append(None)
            continue
        try:
            values.append(key.field.to_python(value))
        except (ValidationError, ValueError, TypeError):
            return None
    return values
