"""Supporting files: the type is decided by the content (magic bytes), never by the name or the
browser's Content-Type, and the size is checked before anything is stored. Errors are in Russian
and name the file, so a teacher knows which of three uploads to fix."""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError

ALLOWED_LABEL = "PDF, JPEG, PNG или DOCX"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class CheckedFile:
    data: bytes
    name: str
    content_type: str
    extension: str
    sha256: str

    @property
    def size(self) -> int:
        return len(self.data)


def max_upload_bytes() -> int:
    return getattr(settings, "PROFROST_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)


def _is_docx(data: bytes) -> bool:
    """A DOCX is a ZIP with a Word main part; other ZIPs (archives, XLSX) are refused."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        return False
    return "[Content_Types].xml" in names and "word/document.xml" in names


def sniff(data: bytes) -> tuple[str, str] | None:
    """(content type, extension) of an allowed format, or None."""
    if data.startswith(b"%PDF-"):
        return "application/pdf", "pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", "jpg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png", "png"
    if _is_docx(data):
        return DOCX_CONTENT_TYPE, "docx"
    return None


def _megabytes(size: int) -> str:
    value = size / 1024 / 1024
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}".replace(".", ",")


def check_upload(upload, *, label: str = "") -> CheckedFile:
    """Read an uploaded file (Django UploadedFile or anything with .read() and .name) and check it.
    Raises ValidationError with a Russian message."""
    name = getattr(upload, "name", "") or "файл"
    what = f"{label}: файл «{name}»" if label else f"Файл «{name}»"
    limit = max_upload_bytes()
    declared = getattr(upload, "size", None)
    if declared is not None and declared > limit:
        raise ValidationError(f"{what} больше допустимого размера {_megabytes(limit)} МБ", code="file_too_large")
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(f"{what} больше допустимого размера {_megabytes(limit)} МБ", code="file_too_large")
    if not data:
        raise ValidationError(f"{what} пустой", code="file_empty")
    kind = sniff(data)
    if kind is None:
        raise ValidationError(
            f"{what}: недопустимый формат. Загрузите документ в формате {ALLOWED_LABEL}", code="file_type"
        )
    content_type, extension = kind
    return CheckedFile(
        data=data,
        name=name[:255],
        content_type=content_type,
        extension=extension,
        sha256=hashlib.sha256(data).hexdigest(),
    )
