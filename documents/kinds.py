"""Document kinds: what each document needs and how its data becomes the template's context.

A kind = a .docx template + a context builder + a numbering register. A process supplies the
*data* of a document (plain values: strings, dates, lists of dicts — JSON-friendly, so that a
Celery job can carry them); the kind checks the required fields, declines names and positions
for their slots and adds the requisites every document shares (issuing body, date, number,
signatory, executor). Templates only place ready text.

The specs of the seven shipped documents live in `documents/contexts/`.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models

from . import grammar
from .errors import DocumentError, InvalidDataError, MissingFieldsError, UnknownKindError, UnknownSignatoryError
from .grammar import Case, PersonName

# Rendered in place of the number until the number is taken (see issuing.document_issue):
# rendering happens before the register row is locked, so the lock is held for milliseconds.
NUMBER_TOKEN = "PRFRSTNUMBERTOKEN"
PREVIEW_NUMBER = "____"


class DocumentKind(models.TextChoices):
    RMA_LIST_ORDER = "rma_list_order", "Приказ об утверждении списка РМА"
    INTERNSHIP_SITES_ORDER = "internship_sites_order", "Приказ об утверждении перечня стажировочных площадок"
    IOM = "iom", "Индивидуальный образовательный маршрут"
    RMA_CERTIFICATE = "rma_certificate", "Справка о включении в состав РМА"
    INTERNSHIP_CERTIFICATE = "internship_certificate", "Справка о прохождении стажировки"
    MONITORING_REPORT = "monitoring_report", "Аналитическая справка по итогам мониторинга"
    MONITORING_RECOMMENDATIONS = "monitoring_recommendations", "Адресные рекомендации по итогам мониторинга"
    DEADLINE_NOTICE = "deadline_notice", "Уведомление о нарушении срока"


@dataclass(frozen=True)
class Table:
    """A required list in the data: its label and the required keys of each row."""

    label: str
    columns: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class KindSpec:
    kind: str
    template_name: str  # file in documents/templates/
    file_label: str  # «Приказ», «Справка» — the start of a download's file name
    required: Mapping[str, str]  # data key → Russian label
    build: Callable[[dict, DocumentRequisites], dict]
    sample: Callable[[object | None], dict]  # invented demo data; the organization may be None
    title: Callable[[dict], str]  # the document's title for lists and audit
    tables: Mapping[str, Table] = field(default_factory=dict)
    numbered: bool = True
    number_format: str = "{n}"  # default for a new register; see NumberingRegister

    @property
    def label(self) -> str:
        return DocumentKind(self.kind).label


_REGISTRY: dict[str, KindSpec] = {}


def register(spec: KindSpec) -> KindSpec:
    _REGISTRY[spec.kind] = spec
    return spec


def get_spec(kind: str) -> KindSpec:
    from . import contexts  # noqa: F401  (registers the shipped kinds)

    try:
        return _REGISTRY[str(kind)]
    except KeyError:
        raise UnknownKindError(kind) from None


def all_specs() -> list[KindSpec]:
    from . import contexts  # noqa: F401

    return [_REGISTRY[kind] for kind in DocumentKind.values if kind in _REGISTRY]


# --- validation ------------------------------------------------------------------------------


def is_blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple | dict | set):
        return not value
    return False


def _lookup(data: Mapping, key: str):
    """`data["executor"]["phone"]` for the key «executor.phone»."""
    value = data
    for part in key.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def validate(spec: KindSpec, data: Mapping) -> None:
    """Raise MissingFieldsError naming every empty required field (and the table row)."""
    missing = [label for key, label in spec.required.items() if is_blank(_lookup(data, key))]
    for key, table in spec.tables.items():
        rows = data.get(key)
        if is_blank(rows):
            missing.append(table.label)
            continue
        for number, row in enumerate(rows, start=1):
            gaps = [label for column, label in table.columns.items() if is_blank(row.get(column))]
            if gaps:
                missing.append(f"{table.label}, строка {number}: {', '.join(gaps)}")
    if missing:
        raise MissingFieldsError(spec.label, missing)


# --- value helpers shared by the context builders ---------------------------------------------


def as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def name_of(value, *, sex=None) -> PersonName:
    """A PersonName from a PersonName, an orgstructure.Person, a dict with last_name/first_name/
    middle_name/sex or a string «Фамилия Имя Отчество»."""
    if isinstance(value, PersonName):
        return value
    if isinstance(value, Mapping):
        if value.get("full_name") and not value.get("last_name"):
            return PersonName.parse(value["full_name"], sex=value.get("sex") or sex)
        return PersonName(
            last=value.get("last_name", ""),
            first=value.get("first_name", ""),
            middle=value.get("middle_name", "") or "",
            sex=value.get("sex") or sex,
        )
    if hasattr(value, "last_name"):
        return PersonName.from_person(value)
    return PersonName.parse(str(value), sex=sex)


def plain(value):
    """The data as stored with the issued document: JSON-friendly, names as dicts."""
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, PersonName):
        return {"last_name": value.last, "first_name": value.first, "middle_name": value.middle, "sex": value.sex}
    if hasattr(value, "last_name") and hasattr(value, "first_name"):
        return plain(PersonName.from_person(value))
    if value is None or isinstance(value, str | int | float | bool | dt.date | Decimal):
        return value
    return str(value)


def capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


def decimal_ru(value, places: int = 1) -> str:
    """42.5 → «42,5»; whole numbers lose the fraction («40»)."""
    number = Decimal(str(value)).quantize(Decimal(1).scaleb(-places))
    text = f"{number:f}".replace(".", ",")
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return text


def by_sex(name: PersonName, male: str, female: str) -> str:
    return male if name.sex == grammar.MALE else female


def wrap_lines(text: str, width: int) -> list[str]:
    lines = []
    for paragraph in str(text).splitlines():
        lines.extend(textwrap.wrap(paragraph, width=width, break_on_hyphens=False) or [""])
    return lines


# --- requisites every document shares ---------------------------------------------------------


@dataclass(frozen=True)
class Signatory:
    """Who signs: the name and the position as printed under the text («Министр», «И.о.
    директора»)."""

    name: PersonName
    position: str


def resolve_signatory(signatory, organization) -> Signatory:
    """A Signatory from a Signatory, an orgstructure.Person of the issuing organization (or of
    its parent or subordinate), a dict {last_name, first_name, middle_name, sex, position}, or
    None — the head recorded on the organization."""
    try:
        if isinstance(signatory, Signatory):
            return signatory
        if signatory is None:
            if not (organization.head_name and organization.head_position):
                raise UnknownSignatoryError(
                    f"Не указан подписант документа: у организации «{organization}» не заполнены "
                    "должность и ФИО руководителя"
                )
            return Signatory(PersonName.parse(organization.head_name), capitalize(organization.head_position))
        if isinstance(signatory, Mapping):
            if is_blank(signatory.get("position")):
                raise UnknownSignatoryError("Не указана должность подписанта документа")
            return Signatory(name_of(signatory), capitalize(signatory["position"].strip()))
        if hasattr(signatory, "organization_id"):
            related = {organization.pk, organization.parent_id}
            if signatory.organization_id not in related and signatory.organization.parent_id != organization.pk:
                raise UnknownSignatoryError(
                    f"Подписант {signatory.full_name} не работает в организации «{organization}»"
                )
            return Signatory(PersonName.from_person(signatory), capitalize(signatory.position))
    except UnknownSignatoryError:
        raise
    except Exception as exc:  # a malformed name: say which signatory is wrong
        raise UnknownSignatoryError(f"Подписант документа указан неверно: {exc}") from exc
    raise UnknownSignatoryError(f"Неизвестный подписант документа: {signatory!r}")


@dataclass(frozen=True)
class DocumentRequisites:
    organization: object  # orgstructure.Organization
    signatory: Signatory
    issued_on: dt.date
    number: str


def common_context(data: Mapping, requisites: DocumentRequisites) -> dict:
    organization = requisites.organization
    issued_on = requisites.issued_on
    header = data.get("issuer_header")
    if is_blank(header):
        header_lines = wrap_lines(organization.name.upper(), 36)
        narrow_lines = wrap_lines(organization.name.upper(), 28)
    else:
        header_lines = narrow_lines = header.splitlines() if isinstance(header, str) else list(header)
    letterhead = data.get("letterhead") or {}
    letterhead_lines = [line for line in letterhead.get("address_lines", []) if line]
    if letterhead.get("phone"):
        letterhead_lines.append(f"Тел./факс {letterhead['phone']}")
    email = letterhead.get("email") or organization.email
    if email:
        letterhead_lines.append(f"E-mail: {email}")
    if letterhead.get("codes"):
        letterhead_lines.extend(letterhead["codes"])
    elif organization.inn:
        letterhead_lines.append(f"ИНН {organization.inn}")
    executor = data.get("executor") or {}
    parent = getattr(organization, "parent", None)
    signatory = requisites.signatory
    return {
        "issuer_name": organization.name,
        "issuer_lines": header_lines,  # the centred header of a приказ
        "issuer_lines_narrow": narrow_lines,  # the letterhead block of a letter or справка
        "issuer_genitive": grammar.inflect_phrase(organization.name, Case.GENITIVE),
        "issuer_parent": parent.name if parent else "",
        "letterhead_lines": letterhead_lines,
        "place": data.get("place") or "",
        "date_quoted": grammar.date_quoted(issued_on),
        "date_words": grammar.date_words(issued_on),
        "date_numeric": grammar.date_numeric(issued_on),
        "year": issued_on.year,
        "number": requisites.number,
        "signatory_position": signatory.position,
        "signatory_name": signatory.name.initials_surname(),
        "executor_name": name_of(executor["name"]).initials_surname() if executor.get("name") else "",
        "executor_phone": executor.get("phone", ""),
    }


def control_clause(control) -> str:
    """«оставляю за собой» or «возложить на заместителя министра … А.Б. Сидорову»."""
    if is_blank(control):
        return "оставляю за собой"
    name = name_of(control)
    position = grammar.inflect_phrase(control["position"], Case.ACCUSATIVE)
    return f"возложить на {position} {name.initials_surname(Case.ACCUSATIVE)}"


def build_context(spec: KindSpec, data: Mapping, requisites: DocumentRequisites) -> dict:
    """Validate the data and return the full template context."""
    validate(spec, data)
    try:
        context = common_context(data, requisites)
        context["title"] = spec.title(data)
        context.update(spec.build(dict(data), requisites))
    except DocumentError:
        raise
    except (ValueError, TypeError, KeyError, AttributeError, ArithmeticError) as exc:
        # A date that is not a date, a figure that is not a number: say so instead of a 500.
        raise InvalidDataError(f"Документ «{spec.label}» не может быть сформирован: неверные данные ({exc!r})") from exc
    return context
