"""The .xlsx import of monitoring forms: one school's form (its head), or many schools' forms of
a municipality at once (its ММС methodist). The template the page offers has one row per school
and one column per value («IND-03: числитель», «IND-22 (да/нет)», «IND-14: причина изменения»).

All or nothing: every row is read and validated as a submission is (rules.py, the input window,
the computed values' reasons), every error is named by its row in Russian, and only a file
without errors is written — each school's values saved as its draft in one transaction, which
its head then checks and submits. The file goes through common.uploads (the one upload module)
before openpyxl opens it."""

from __future__ import annotations

import io

import openpyxl
from django.db import transaction

from common import spreadsheets
from common.errors import InvalidInput
from common.uploads import UploadRefused, check_upload
from common.uploads.kinds import Kind
from orgstructure import access
from orgstructure.models import Role
from workflows.core.state import fire

from . import rules, selectors, services
from .models import MonitoringEvent, Submission, SubmissionStatus, ValueKind

FIRST_COLUMNS = ("Код школы", "Школа")  # the code: the organization's id in Профрост, as the template gives it
MAX_ROWS = 2000
MAX_COLUMNS = 300
MAX_ERRORS = 100
FIELD = "file"
YES = {"да", "1", "true", "yes", "+"}
NO = {"нет", "0", "false", "no", "-"}


def importable_schools(user, campaign):
    """The campaign's submissions whose values the user may load: a head's own school, an ММС
    methodist's schools of the municipality."""
    return [
        s for s in selectors.submissions_for(user, campaign).select_related("organization")
        if access.reaches(user, (Role.SCHOOL_HEAD, Role.MMS_METHODIST), organization=s.organization)
    ]


def columns(indicators) -> list[tuple[str, str, str]]:
    """(header, indicator code, part) of the sheet, after «Код школы» and «Школа»."""
    result = []
    for indicator in indicators:
        code = indicator.code
        if indicator.kind == ValueKind.SHARE:
            result += [(f"{code}: числитель", code, "numerator"), (f"{code}: знаменатель", code, "denominator")]
        elif indicator.kind == ValueKind.YES_NO:
            result.append((f"{code} (да/нет)", code, "value"))
        elif indicator.kind == ValueKind.FILE:
            continue  # evidence files are attached in the form or through the API
        else:
            result.append((f"{code}" + (", %" if indicator.kind == ValueKind.PERCENT else ""), code, "value"))
        if indicator.computed:
            result.append((f"{code}: причина изменения", code, "reason"))
    return result


def template_response(campaign, submissions):
    indicators = list(campaign.indicators.all())
    cols = columns(indicators)
    rows = []
    for submission in sorted(submissions, key=lambda s: s.organization.name):
        row = [submission.organization_id, submission.organization.name]
        for _, code, part in cols:
            value = submission.values.get(code)
            if part == "reason":
                row.append(submission.corrections.get(code, ""))
            elif isinstance(value, dict):
                row.append(value.get(part))
            elif isinstance(value, bool):
                row.append("да" if value else "нет")
            else:
                row.append(value)
        rows.append(row)
    return spreadsheets.xlsx_response(
        filename=f"Данные мониторинга — {campaign.title}.xlsx", sheet_title="Данные",
        header=[*FIRST_COLUMNS, *(header for header, _, _ in cols)], rows=rows,
    )


def _read(upload) -> list[list]:
    try:
        checked = check_upload(upload, accept={Kind.XLSX}, label="Файл с данными")
    except UploadRefused as exc:
        raise InvalidInput({FIELD: exc.messages}) from exc
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(checked.data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many unrelated types for a damaged workbook
        raise InvalidInput({FIELD: ["Не удалось прочитать книгу Excel: файл повреждён"]}) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
            if len(rows) > MAX_ROWS:
                raise InvalidInput({FIELD: [f"В файле больше {MAX_ROWS} строк"]})
            rows.append(list(row))
        return rows
    finally:
        workbook.close()


def _text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return str(cell).strip()


def _parse_row(cells, header_index, indicators) -> tuple[dict, dict, list[str]]:
    """(values, corrections, errors) of one row."""
    values, corrections, errors = {}, {}, []
    for indicator in indicators:
        code = indicator.code
        get = {part: _text(cells[i]) if i < len(cells) else "" for (c, part), i in header_index.items() if c == code}
        if indicator.kind == ValueKind.SHARE:
            values[code] = {"numerator": get.get("numerator") or None, "denominator": get.get("denominator") or None}
        elif indicator.kind == ValueKind.YES_NO:
            raw = get.get("value", "").casefold()
            if raw in YES:
                values[code] = True
            elif raw in NO:
                values[code] = False
            elif raw:
                errors.append(f"{code}: «{get['value']}» — укажите «да» или «нет»")
            else:
                values[code] = None
        elif indicator.kind == ValueKind.FILE:
            continue
        else:
            values[code] = get.get("value") or None
        if get.get("reason"):
            corrections[code] = get["reason"]
    return values, corrections, errors


@transaction.atomic
def import_forms(*, actor, campaign, upload) -> int:
    """Load the file's rows into the schools' drafts, all or nothing; returns how many."""
    rows = _read(upload)
    if not rows or [_text(c) for c in rows[0][:2]] != list(FIRST_COLUMNS):
        raise InvalidInput({FIELD: ["Первая строка — заголовки: «Код школы», «Школа», затем показатели "
                                    "(скачайте шаблон на этой странице)"]})
    indicators = list(campaign.indicators.all())
    by_header = {header: (code, part) for header, code, part in columns(indicators)}
    header_index, unknown = {}, []
    for i, cell in enumerate(rows[0][2:], start=2):
        name = _text(cell)
        if not name:
            continue
        if name not in by_header:
            unknown.append(name)
        else:
            header_index[by_header[name]] = i
    if unknown:
        raise InvalidInput({FIELD: [f"Неизвестные столбцы: {', '.join(unknown[:10])} (скачайте шаблон кампании)"]})
    mine = {s.organization_id: s for s in importable_schools(actor, campaign)}
    campaign_rules = list(campaign.rules.all())
    errors, plan, seen = [], [], {}
    for number, cells in enumerate(rows[1:], start=2):
        if not any(_text(c) for c in cells):
            continue
        if len(errors) >= MAX_ERRORS:
            errors.append(f"Проверка остановлена: найдено {MAX_ERRORS} ошибок")
            break
        ident = _text(cells[0]) if cells else ""
        try:
            submission = mine.get(int(ident))
        except ValueError:
            submission = None
        if submission is None:
            name = " ".join(filter(None, (ident, _text(cells[1]) if len(cells) > 1 else "")))
            errors.append(f"Строка {number}: школа «{name}» не найдена среди ваших школ этой кампании")
            continue
        if submission.pk in seen:
            errors.append(f"Строка {number}: школа «{submission.organization.name}» уже указана в строке "
                          f"{seen[submission.pk]}")
            continue
        seen[submission.pk] = number
        values, corrections, row_errors = _parse_row(cells, header_index, indicators)
        window = services.input_window_error(submission)
        if window:
            row_errors.append(window)
        elif submission.status not in (SubmissionStatus.NOT_STARTED, SubmissionStatus.DRAFT):
            row_errors.append(f"данные уже представлены (статус «{submission.get_status_display()}»)")
        merged = {**{k: v for k, v in submission.values.items() if k not in values}, **values}
        found = services.validate_values(indicators, merged, computed=submission.computed,
                                         corrections=corrections, campaign_rules=campaign_rules)
        row_errors += [message for messages in found.values() for message in messages]
        if row_errors:
            errors += [f"Строка {number} ({submission.organization.name}): {e}" for e in row_errors]
        else:
            plan.append((submission, merged, corrections))
    if errors:
        raise InvalidInput({FIELD: errors})
    if not plan:
        raise InvalidInput({FIELD: ["В файле нет строк с данными"]})
    by_code = {indicator.code: indicator for indicator in indicators}
    name = getattr(upload, "name", "")[:200]
    for submission, values, corrections in plan:
        locked = Submission.objects.select_for_update().select_related("organization").get(pk=submission.pk)
        if locked.status != submission.status:
            raise InvalidInput({FIELD: [f"{submission.organization.name}: данные изменились во время загрузки, "
                                        "повторите её"]})
        locked.values = values
        locked.corrections = {code: reason for code, reason in corrections.items()
                              if code in locked.computed
                              and not rules.same(by_code[code], values.get(code), locked.computed[code])}
        fire(locked, "load", actor=actor, event=MonitoringEvent.IMPORTED, data={"file": name})
    return len(plan)
