"""HTTP helpers with no domain: attachment responses and the file names they offer.

A file is always offered under a name the server makes (a caller passes e.g. «Диплом — Голубев
М.Ю.») with the extension of the type detected from its content; a user's own file name is never
sent back as a file name, so «evil\u202efdp.exe» cannot come back as «evilexe.pdf». Every
attachment says `nosniff`, is not cached, and has a content type from a short list of safe ones.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from django.http import FileResponse, HttpResponse

SAFE_CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
FALLBACK_CONTENT_TYPE = "application/octet-stream"
MAX_STEM = 150

_TRANSLIT = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "i",
            "y",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "",
            "y",
            "",
            "e",
            "yu",
            "ya",
        ],
        strict=True,
    )
)
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def safe_stem(text: str) -> str:
    """A server-made name made safe as a file name: no path or reserved characters, no control or
    format characters (bidirectional overrides among them), no leading dots, not too long."""
    text = "".join(char for char in text if unicodedata.category(char) not in ("Cc", "Cf", "Co", "Cs", "Zl", "Zp"))
    text = " ".join(_UNSAFE.sub("-", text).split()).strip(" .-")
    return text[:MAX_STEM].rstrip(" .-") or "файл"


def download_name(stem: str, extension: str) -> str:
    """«Диплом — Голубев М.Ю.pdf»: a server-made stem and the extension of the detected type."""
    extension = re.sub(r"[^a-z0-9]", "", (extension or "").lower())[:8] or "bin"
    return f"{safe_stem(stem)}.{extension}"


def ascii_filename(filename: str) -> str:
    """The fallback for clients without RFC 5987: transliterated, only safe ASCII left."""
    out = []
    for char in filename.replace("№", "N"):
        lower = char.lower()
        if lower in _TRANSLIT:
            latin = _TRANSLIT[lower]
            out.append(latin.capitalize() if char != lower else latin)
        else:
            out.append(char)
    text = unicodedata.normalize("NFKD", "".join(out)).encode("ascii", "ignore").decode()
    text = re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("_")
    return text or "document"


# Types a browser shows by itself without running anything of the file's (a PDF viewer, an image):
# opened in the browser tab; everything else (.docx, .xlsx) downloads.
INLINE_EXTENSIONS = frozenset({"pdf", "jpg", "png"})


def content_disposition(filename: str, *, inline: bool = False) -> str:
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_filename(filename)}\"; filename*=UTF-8''{quote(filename, safe='')}"


def safe_content_type(extension: str) -> str:
    return SAFE_CONTENT_TYPES.get((extension or "").lower(), FALLBACK_CONTENT_TYPE)


def _attachment_headers(response: HttpResponse, filename: str, *, inline: bool = False) -> HttpResponse:
    response["Content-Disposition"] = content_disposition(filename, inline=inline)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    if inline:  # shown in the tab: nothing in it may run or reach out
        response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'; object-src 'self'"
    return response


def attachment(field_file, *, stem: str, extension: str) -> FileResponse:
    """A stored file as a download named `stem`.`extension` (server-made), with a content type
    taken from the extension of the detected type, never from what the uploader claimed."""
    response = FileResponse(field_file.open("rb"), content_type=safe_content_type(extension))
    return _attachment_headers(response, download_name(stem, extension))


def viewable(field_file, *, stem: str, extension: str) -> FileResponse:
    """A stored file to look at: a PDF or an image (by the detected type) opens in the browser
    (`inline`, its safe content type, a sandboxing CSP); anything else downloads as `attachment`."""
    extension = (extension or "").lower()
    if extension not in INLINE_EXTENSIONS:
        return attachment(field_file, stem=stem, extension=extension)
    response = FileResponse(field_file.open("rb"), content_type=safe_content_type(extension))
    return _attachment_headers(response, download_name(stem, extension), inline=True)


def bytes_attachment(data: bytes, *, filename: str, content_type: str | None = None) -> HttpResponse:
    """Bytes made by the server (an export, a sample) as a download named `filename`."""
    extension = filename.rsplit(".", 1)[-1] if "." in filename else ""
    response = HttpResponse(data, content_type=content_type or safe_content_type(extension))
    return _attachment_headers(response, filename)
