"""The kinds of file the project accepts, each decided by content, never by name or Content-Type."""

from __future__ import annotations

import enum


class Kind(enum.Enum):
    PDF = ("pdf", "application/pdf", "PDF")
    JPEG = ("jpg", "image/jpeg", "JPEG")
    PNG = ("png", "image/png", "PNG")
    DOCX = ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX")
    XLSX = ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX")
    CSV = ("csv", "text/csv; charset=utf-8", "CSV")

    def __init__(self, extension: str, content_type: str, label: str):
        self.extension = extension
        self.content_type = content_type
        self.label = label


# What each kind of upload accepts (callers may pass any set of kinds).
EVIDENCE = frozenset({Kind.PDF, Kind.JPEG, Kind.PNG, Kind.DOCX})  # supporting documents of a person
TEMPLATE = frozenset({Kind.DOCX})  # document templates (documents admin)
TABLE = frozenset({Kind.XLSX, Kind.CSV})  # imports

_ORDER = list(Kind)


def labels(kinds) -> str:
    """«PDF, JPEG, PNG или DOCX»."""
    names = [kind.label for kind in sorted(kinds, key=_ORDER.index)]
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} или {names[-1]}"
