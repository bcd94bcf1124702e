"""Workbooks written in the tests for the .xlsx imports (openpyxl, as Excel would save them)."""

import io

import openpyxl


def xlsx_bytes(header, rows, *, title_rows=()) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in title_rows:
        sheet.append(list(row))
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
