"""The Russian messages of every refusal, in one place."""

from __future__ import annotations

from .errors import megabytes, subject
from .kinds import Kind, labels


def too_large(name: str, label: str, limit: int) -> str:
    return f"{subject(name, label)} больше допустимого размера {megabytes(limit)} МБ"


def wrong_kind(name: str, label: str, accept) -> str:
    return f"{subject(name, label)}: недопустимый формат. Загрузите документ в формате {labels(accept)}"


def legacy_office(name: str, label: str, accept) -> str:
    return (
        f"{subject(name, label)} — документ в старом формате Office 97–2003 (.doc, .xls) или защищённый паролем. "
        f"Сохраните его без пароля в формате {labels(accept)}"
    )


def _count(number: int) -> str:
    return f"{number:,}".replace(",", "\u00a0")


def _package_label(accept) -> str:
    if Kind.XLSX in accept and Kind.DOCX not in accept:
        return "книга Excel"
    return "документ"


def package(name: str, label: str, refused, accept) -> str:
    what = subject(name, label)
    thing = _package_label(accept)
    detail = refused.detail
    texts = {
        "damaged": f"{what} повреждён: {thing} не удаётся прочитать",
        "encrypted": f"{what} зашифрован или защищён паролем. Сохраните его без пароля",
        "entries": (
            f"{what}: слишком много частей внутри ({_count(detail.get('count', 0))} при допустимых "
            f"{_count(detail.get('limit', 0))}) — это не обычный {thing}"
        ),
        "unpacked": (
            f"{what}: после распаковки {thing} занимает больше {megabytes(detail.get('limit', 0))} МБ — "
            "такие файлы не принимаются"
        ),
        "ratio": f"{what}: содержимое сжато подозрительно сильно (так устроены «архивные бомбы») — файл не принят",
        "macros": f"{what} содержит макросы. Сохраните его без макросов (обычный .docx или .xlsx) и загрузите снова",
        "external": (
            f"{what} ссылается на внешние ресурсы (связанные файлы, шаблоны или рисунки из сети). "
            "Сохраните его без внешних связей и загрузите снова"
        ),
        "embedded": (
            f"{what} содержит внедрённые объекты (OLE, ActiveX или вложенные файлы). Удалите их и загрузите снова"
        ),
        "doctype": f"{what} содержит недопустимые объявления XML (DOCTYPE/ENTITY) — файл не принят",
        "not_office": f"{what}: это не {'книга Excel (.xlsx)' if thing == 'книга Excel' else 'документ Word (.docx)'}",
    }
    if refused.reason == "not_zip":
        return wrong_kind(name, label, accept)
    if refused.reason == "not_office" and Kind.DOCX in accept and Kind.XLSX in accept:
        return f"{what}: это не документ Word (.docx) и не книга Excel (.xlsx)"
    if refused.reason == "not_office" and not ({Kind.DOCX, Kind.XLSX} & set(accept)):
        return wrong_kind(name, label, accept)
    return texts[refused.reason]


def pdf(name: str, label: str, reason: str) -> str:
    what = subject(name, label)
    return {
        "damaged": f"{what}: PDF повреждён (нарушена его структура). Сохраните документ в PDF заново",
        "javascript": f"{what}: PDF содержит сценарии JavaScript — такие файлы не принимаются",
        "launch": f"{what}: PDF содержит команду запуска программ — такие файлы не принимаются",
        "embedded": f"{what}: PDF содержит вложенные файлы — такие файлы не принимаются",
        "polyglot": (
            f"{what}: внутри файла обнаружены посторонние данные (веб-страница, сценарий или программа) — "
            "файл не принят"
        ),
        "prefix": f"{what}: перед началом PDF записаны посторонние данные — файл не принят",
    }[reason]


def image(name: str, label: str, refused, max_pixels: int) -> str:
    what = subject(name, label)
    if refused.reason == "pixels":
        width, height = refused.detail.get("width"), refused.detail.get("height")
        size = f" ({width} × {height} точек)" if width and height else ""
        limit = f"{max_pixels / 1_000_000:.0f}"
        return (
            f"{what}: изображение слишком большое{size}, допустимо не больше {limit} млн точек. "
            "Уменьшите разрешение скана"
        )
    return f"{what}: изображение повреждено и не открывается"


def text(name: str, label: str, reason: str) -> str:
    what = subject(name, label)
    return {
        "utf16": (
            f"{what} в кодировке UTF-16. Сохраните его как «CSV UTF-8 (разделитель — запятая)» "
            "или «CSV (разделители — точка с запятой)»"
        ),
        "binary": f"{what} не является текстовой таблицей CSV: в нём двоичные данные",
        "encoding": f"{what}: не удалось прочитать текст — ожидается кодировка UTF-8 или Windows-1251",
    }[reason]
