"""Content-checked uploads, the one module every upload of the project goes through (evidence
files of a process, document templates, staff imports).

* The kind is decided by the content, never by the file's name or the browser's Content-Type;
  a caller says which kinds it accepts (kinds.EVIDENCE, kinds.TEMPLATE, kinds.TABLE or its own).
* Every kind is inspected before anything parses it: a ZIP package's central directory, then
  each entry decompressed as a capped stream (ooxml.py); a PDF's structure and every object
  (pdf.py); an image's dimensions before it is decoded (images.py); a text table's encoding.
* A refusal is an UploadRefused (a Django ValidationError) with one Russian message that names
  the file (errors.py); nothing is stored by this module — storage.py stores checked bytes.
* Sizes: an upload handler stops reading a file past the limit and a middleware answers a body
  past the request limit with 413 before it is read (handlers.py).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings

from . import images, messages, ooxml, pdf, text
from .errors import UploadRefused, megabytes, shown_name, subject
from .kinds import EVIDENCE, TABLE, TEMPLATE, Kind, labels

__all__ = [
    "EVIDENCE",
    "TABLE",
    "TEMPLATE",
    "CheckedFile",
    "Kind",
    "UploadRefused",
    "check_bytes",
    "check_upload",
    "labels",
    "max_upload_bytes",
    "shown_name",
]

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"
ZIP_SIGNATURE = b"PK\x03\x04"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc/.xls (97–2003), password-protected Office files


@dataclass(frozen=True)
class CheckedFile:
    """Bytes that passed every check, with what was learnt about them. `name` is the user's
    name, cleaned for display: store it for the record, never offer it back as a file name."""

    data: bytes
    name: str
    kind: Kind
    sha256: str
    encoding: str = ""  # text tables only

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def content_type(self) -> str:
        return self.kind.content_type

    @property
    def extension(self) -> str:
        return self.kind.extension


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def max_upload_bytes() -> int:
    return _setting("PROFROST_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)


def package_limits() -> ooxml.Limits:
    return ooxml.Limits(
        max_entries=_setting("PROFROST_UPLOAD_MAX_ENTRIES", 1000),
        max_unpacked=_setting("PROFROST_UPLOAD_MAX_UNPACKED_BYTES", 100 * 1024 * 1024),
        max_ratio=_setting("PROFROST_UPLOAD_MAX_RATIO", 100),
        ratio_floor=1024 * 1024,
    )


def max_image_pixels() -> int:
    return _setting("PROFROST_UPLOAD_MAX_IMAGE_PIXELS", 40_000_000)


def check_upload(upload, *, accept=EVIDENCE, label: str = "", max_bytes: int | None = None) -> CheckedFile:
    """Read an uploaded file (a Django UploadedFile, or any object with .read() and .name) without
    reading past the limit, and check it (check_bytes). Raises UploadRefused."""
    name = getattr(upload, "name", "") or ""
    limit = max_bytes or max_upload_bytes()
    declared = getattr(upload, "size", None)
    if getattr(upload, "oversize", False) or (declared is not None and declared > limit):
        raise UploadRefused(messages.too_large(name, label, limit), code="file_too_large")
    if hasattr(upload, "seek"):
        try:
            upload.seek(0)
        except (OSError, ValueError):
            pass
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise UploadRefused(messages.too_large(name, label, limit), code="file_too_large")
    return check_bytes(data, name=name, accept=accept, label=label)


def check_bytes(data: bytes, *, name: str, accept=EVIDENCE, label: str = "") -> CheckedFile:
    """The checked file, or UploadRefused with the Russian reason."""
    accept = frozenset(accept)
    if not data:
        raise UploadRefused(f"{subject(name, label)} пустой", code="file_empty")
    kind = _detect(data, name=name, label=label, accept=accept)
    encoding = ""
    if kind is None:  # a ZIP package: .docx or .xlsx, told apart by its inspection
        try:
            kind = ooxml.inspect(data, limits=package_limits())
        except ooxml.PackageRefused as refused:
            raise UploadRefused(messages.package(name, label, refused, accept), code=f"file_{refused.reason}") from None
    if kind not in accept:
        raise UploadRefused(messages.wrong_kind(name, label, accept), code="file_type")
    if kind is Kind.PDF:
        try:
            pdf.inspect(data)
        except pdf.PdfRefused as refused:
            raise UploadRefused(messages.pdf(name, label, refused.reason), code=f"file_{refused.reason}") from None
    elif kind in (Kind.JPEG, Kind.PNG):
        if pdf.hidden_content(data):
            raise UploadRefused(messages.pdf(name, label, "polyglot"), code="file_polyglot")
        try:
            images.inspect(data, kind, max_pixels=max_image_pixels())
        except images.ImageRefused as refused:
            raise UploadRefused(
                messages.image(name, label, refused, max_image_pixels()), code=f"file_{refused.reason}"
            ) from None
    elif kind is Kind.CSV:
        try:
            encoding = text.inspect(data)
        except text.TextRefused as refused:
            raise UploadRefused(messages.text(name, label, refused.reason), code=f"file_{refused.reason}") from None
    return CheckedFile(
        data=data, name=shown_name(name)[:255], kind=kind, sha256=hashlib.sha256(data).hexdigest(), encoding=encoding
    )


def _detect(data: bytes, *, name: str, label: str, accept: frozenset) -> Kind | None:
    """The kind the first bytes claim (a ZIP package is told DOCX from XLSX by its inspection)."""
    if data.startswith(PNG_SIGNATURE):
        return Kind.PNG
    if data.startswith(JPEG_SIGNATURE):
        return Kind.JPEG
    if data.startswith(ZIP_SIGNATURE):
        return None
    if data.startswith(OLE_SIGNATURE):
        raise UploadRefused(messages.legacy_office(name, label, accept), code="file_legacy_office")
    if b"%PDF-" in data[: pdf.HEADER_TOLERANCE + 5]:
        return Kind.PDF
    if b"%PDF-" in data[: 64 * 1024]:
        raise UploadRefused(messages.pdf(name, label, "prefix"), code="file_prefix")
    if Kind.CSV in accept:
        return Kind.CSV
    raise UploadRefused(messages.wrong_kind(name, label, accept), code="file_type")


def describe_limit(limit: int) -> str:
    return f"{megabytes(limit)} МБ"
