"""Refusals: always Russian, always naming the file the user chose (cleaned so that a hostile name
cannot reorder or hide text), never a library's English text or a Python repr."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError

NAME_SHOWN = 120  # characters of a user's file name quoted in a message


class UploadRefused(ValidationError):
    """A file refused for what it is; `.messages` holds the one Russian message. A subclass of
    Django's ValidationError, so a form's clean_<field>() may let it through as it is."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message, code=code)


def shown_name(name: str) -> str:
    """The user's file name as it may be shown back: without its folder, without control and
    format characters (a right-to-left override U+202E turns «evil\u202efdp.exe» into «evilexe.pdf»
    on screen), shortened."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(
        " " if unicodedata.category(char)[0] == "Z" else char
        for char in name
        if unicodedata.category(char)[0] != "C"
    )
    cleaned = " ".join(cleaned.split())
    if len(cleaned) > NAME_SHOWN:
        cleaned = cleaned[: NAME_SHOWN - 1] + "…"
    return cleaned or "без имени"


def subject(name: str, label: str = "") -> str:
    """«Диплом: файл «diplom.pdf»» or «Файл «diplom.pdf»» — how every message starts."""
    quoted = f"«{shown_name(name)}»"
    return f"{label}: файл {quoted}" if label else f"Файл {quoted}"


def megabytes(size: int) -> str:
    value = size / 1024 / 1024
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}".replace(".", ",")
