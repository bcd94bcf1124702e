"""Filling .docx templates (docxtpl) in memory, and putting the number in afterwards.

Templates are Jinja2 inside Word XML. They run in a sandbox with strict undefined variables, so
an uploaded template can neither reach Python internals nor silently print blanks for a
misspelt placeholder. Grammar filters are available to template authors:
`{{ name|fio("дательный") }}`, `{{ position|inflect("datv") }}`, `{{ d|date_quoted }}`, …
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from functools import lru_cache

from docxtpl import DocxTemplate
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from . import grammar
from .errors import TemplateRenderError
from .kinds import NUMBER_TOKEN, as_date, name_of


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _typography(value):
    """Every printed value: «№ 5» keeps its number on the same line."""
    return value.replace("№ ", "№\u00a0") if isinstance(value, str) else value


@lru_cache(maxsize=1)
def jinja_env() -> SandboxedEnvironment:
    env = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined, finalize=_typography)
    env.filters.update(
        {
            "fio": lambda value, case="nomn": name_of(value).full(case),
            "initials": lambda value, case="nomn": name_of(value).initials_surname(case),
            "surname_initials": lambda value, case="nomn": name_of(value).surname_initials(case),
            "inflect": lambda value, case: grammar.inflect_phrase(str(value), case),
            "date_quoted": lambda value: grammar.date_quoted(as_date(value)),
            "date_words": lambda value: grammar.date_words(as_date(value)),
            "date_numeric": lambda value: grammar.date_numeric(as_date(value)),
            "words": lambda value, gender="m": grammar.number_in_words(int(value), gender),
        }
    )
    return env


def render_docx(template_bytes: bytes, context: dict, *, label: str = "") -> bytes:
    """Fill the template and return the .docx bytes. Nothing touches the disk."""
    try:
        template = DocxTemplate(io.BytesIO(template_bytes))
        template.render(_with_images(template, context), jinja_env=jinja_env(), autoescape=True)
        output = io.BytesIO()
        template.save(output)
    except Exception as exc:  # docxtpl surfaces Jinja, XML and zip errors alike
        where = f"Шаблон «{label}»" if label else "Шаблон"
        raise TemplateRenderError(f"{where} не удалось заполнить: {exc}") from exc
    return output.getvalue()


def _with_images(template, value):
    """The context with each charts.Picture made an image of this document."""
    from docx.shared import Mm
    from docxtpl import InlineImage

    from .charts import Picture

    if isinstance(value, Picture):
        return InlineImage(template, io.BytesIO(value.png), width=Mm(value.width_mm))
    if isinstance(value, dict):
        return {key: _with_images(template, item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_with_images(template, item) for item in value]
    return value


def _xml_parts(archive: zipfile.ZipFile):
    return [name for name in archive.namelist() if name.startswith("word/") and name.endswith(".xml")]


def contains_number_token(docx_bytes: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as archive:
        token = NUMBER_TOKEN.encode()
        return any(token in archive.read(name) for name in _xml_parts(archive))


def fill_number(docx_bytes: bytes, number: str) -> bytes:
    """Replace the number token in the rendered document. The document is rendered before the
    register row is locked; only this cheap step runs under the lock."""
    from xml.sax.saxutils import escape

    token = NUMBER_TOKEN.encode()
    replacement = escape(number).encode()
    source = zipfile.ZipFile(io.BytesIO(docx_bytes))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("word/") and info.filename.endswith(".xml"):
                data = data.replace(token, replacement)
            target.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return output.getvalue()
