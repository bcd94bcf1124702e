"""Document kinds: an open registry, and what each document needs and how its data becomes the
template's context.

A kind = a .docx template in documents/templates/ + a context builder + a numbering register. A
process registers its kinds from its own `documents.py` (imported in its AppConfig.ready):

    register(KindSpec(kind="rma_list_order", label="Приказ об утверждении списка РМА", …))

The documents app knows no process: it looks kinds up here by their code, the code stored in
IssuedDocument.kind, DocumentTemplate.kind and NumberingRegister.kind.

A process supplies the *data* of a document (plain values: strings, dates, lists of dicts —
JSON-friendly, so that a Celery job can carry them); the kind checks the required fields,
declines names and positions for their slots and adds the requisites every document shares
(issuing body, date, number, signatory, executor). Templates only place ready text.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured, ValidationError

from . import grammar
from .errors import DocumentError, InvalidDataError, MissingFieldsError, UnknownKindError, UnknownSignatoryError
from .grammar import Case, PersonName
from .numbers import validate_number_format

# Rendered in place of the number until the number is taken (see issuing.document_issue):
# rendering happens before the register row is locked, so the lock is held for milliseconds.
NUMBER_TOKEN = "PRFRSTNUMBERTOKEN"
PREVIEW_NUMBER = "____"

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
KIND_CODE_MAX_LENGTH = 40  # the kind columns of the models
_KIND_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
_TEMPLATE_NAME = re.compile(r"^[a-z][a-z0-9_]*\.docx$")


@dataclass(frozen=True)
class Table:
    """A required list in the data: its label and the required keys of each row."""

    label: str
    columns: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True, eq=False)  # one object per kind: compared and hashed by identity
class KindSpec:
    kind: str  # the code stored in the database: lower-case latin, digits, «_»
    label: str  # the Russian name of the kind: «Приказ об утверждении списка РМА»
    template_name: str  # file in documents/templates/, e.g. «rma_list_order.docx»
    file_label: str  # «Приказ», «Справка» — the start of a download's file name
    required: Mapping[str, str]  # data key → Russian label
    build: Callable[[dict, DocumentRequisites], dict]
    sample: Callable[[object | None], dict]  # invented demo data; the organization may be None
    title: Callable[[dict], str]  # the document's title for lists and audit
    tables: Mapping[str, Table] = field(default_factory=dict)
    numbered: bool = True
    number_format: str = "{n}"  # default for a new register; see NumberingRegister
    # "app_label.Model" of the artefact when the document is seen only where its artefact is —
    # personal data that only those who handle the case may read (152-ФЗ) — instead of by the
    # issuer and the person alone (selectors.issued_document_list).
    artefact_model: str = ""


# --- the registry ------------------------------------------------------------------------------

_REGISTRY: dict[str, KindSpec] = {}


def register(spec: KindSpec) -> KindSpec:
    """Add a kind (from a process's documents.py). The code must be new, the template file must
    be shipped in documents/templates/: a mistake here stops the start, not an official's issue."""
    if not (_KIND_CODE.match(spec.kind) and len(spec.kind) <= KIND_CODE_MAX_LENGTH):
        raise ImproperlyConfigured(
            f"document kind {spec.kind!r}: the code must be lower-case latin letters, digits and «_», "
            f"at most {KIND_CODE_MAX_LENGTH} characters"
        )
    if not spec.label.strip() or not spec.file_label.strip():
        raise ImproperlyConfigured(f"document kind {spec.kind!r}: label and file_label are required")
    if not _TEMPLATE_NAME.match(spec.template_name) or not (TEMPLATES_DIR / spec.template_name).is_file():
        raise ImproperlyConfigured(
            f"document kind {spec.kind!r}: template {spec.template_name!r} is not a file in {TEMPLATES_DIR}"
        )
    validate_number_format(spec.number_format)
    existing = _REGISTRY.get(spec.kind)
    if existing is not None and existing.build.__module__ != spec.build.__module__:
        raise ImproperlyConfigured(
            f"document kind {spec.kind!r} is registered twice: by {existing.build.__module__} "
            f"and by {spec.build.__module__}"
        )
    _REGISTRY[spec.kind] = spec
    return spec


def get_spec(kind: str) -> KindSpec:
    try:
        return _REGISTRY[str(kind)]
    except KeyError:
        raise UnknownKindError(kind) from None


def all_specs() -> list[KindSpec]:
    """Every registered kind, in the order of registration (INSTALLED_APPS)."""
    return list(_REGISTRY.values())


def kind_choices() -> list[tuple[str, str]]:
    """(code, Russian name) of every registered kind, by name: for forms and filters."""
    return sorted(((spec.kind, spec.label) for spec in _REGISTRY.values()), key=lambda item: item[1])


def kind_label(kind: str) -> str:
    """The Russian name of a kind; a code no process registers any more (its app was removed)
    is shown as such, in Russian, never as a bare code."""
    spec = _REGISTRY.get(str(kind))
    return spec.label if spec is not None else f"Вид документа «{kind}» (не зарегистрирован)"


def validate_kind(value) -> None:
    """Model field validator: the kind columns hold registered codes only."""
    if str(value) not in _REGISTRY:
        raise ValidationError(f"Неизвестный вид документа: «{value}»", code="unknown_kind")


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


def category_label(value) -> str:
    """The qualification category as printed: «highest» → «Высшая»."""
    from orgstructure.models import QualificationCategory

    try:
        return QualificationCategory(str(value)).label
    except ValueError:
        return str(value)


def holder_context(data: Mapping) -> dict:
    """«Дана кому?» of a справка: «Петровой-Водкиной Марии Ильиничне, учителю математики МАОУ
    «СОШ № 3»» — the name and the position in the dative, the organization in the genitive."""
    name = name_of(data["person"])
    return {
        "person_dative": name.full(Case.DATIVE),
        "position_dative": grammar.inflect_phrase(data["position"], Case.DATIVE),
        "organization_genitive": grammar.inflect_phrase(data["organization"], Case.GENITIVE),
        "pronoun": by_sex(name, "он", "она"),
    }


# The required fields of every letter (a letter has an addressee and an executor).
LETTER_REQUIRED = {
    "addressee_position": "адресат (должность)",
    "executor.name": "исполнитель",
    "executor.phone": "телефон исполнителя",
}


def addressee_context(data: Mapping) -> dict:
    """The right-hand addressee block of a letter in the dative and the salutation.

    `addressee_position` is a nominative position («руководитель», «руководители муниципальных
    органов управления образованием»), `addressee_organization` what follows it as written
    («МАОУ «СОШ № 3»»), `addressee_name` an optional person."""
    lines = [capitalize(grammar.inflect_phrase(data["addressee_position"], Case.DATIVE))]
    if not is_blank(data.get("addressee_organization")):
        lines.append(data["addressee_organization"])
    salutation = data.get("salutation") or "Уважаемые коллеги!"
    if not is_blank(data.get("addressee_name")):
        name = name_of(data["addressee_name"])
        lines.append(name.initials_surname(Case.DATIVE))
        if not data.get("salutation"):
            polite = f"{name.first} {name.middle}".strip()
            salutation = f"{by_sex(name, 'Уважаемый', 'Уважаемая')} {polite}!"
    reply = data.get("reply_to") or {}
    return {
        "addressee_lines": lines,
        "salutation": salutation,
        "reply_number": reply.get("number") or "________",
        "reply_date": grammar.date_numeric(as_date(reply["date"])) if reply.get("date") else "________",
    }


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
