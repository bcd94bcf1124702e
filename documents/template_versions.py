"""Template versions of the document kinds: the shipped file in documents/templates/ is
registered as a version on first use; an administrator may upload another version, which is
accepted only if it renders with the kind's sample data. Issued documents keep the version
they were made with."""

from __future__ import annotations

import html
import io
import re
import zipfile
from functools import lru_cache
from pathlib import Path

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from common import uploads
from common.uploads import storage as upload_storage

from .errors import DocumentError, TemplateValidationError
from .kinds import NUMBER_TOKEN, DocumentRequisites, KindSpec, build_context, get_spec, resolve_signatory
from .models import DocumentTemplate, TemplateSource
from .rendering import contains_number_token, render_docx, sha256_hex

BUILTIN_TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


@lru_cache(maxsize=32)
def _builtin_template(path: str, mtime_ns: int) -> tuple[bytes, str]:
    data = Path(path).read_bytes()
    return data, sha256_hex(data)


def builtin_template_bytes(spec: KindSpec) -> tuple[bytes, str]:
    path = BUILTIN_TEMPLATES_DIR / spec.template_name
    return _builtin_template(str(path), path.stat().st_mtime_ns)


_TEMPLATE_CACHE: dict[str, bytes] = {}


def template_bytes(template: DocumentTemplate) -> bytes:
    """The bytes of a template version, read once per process (keyed by content hash)."""
    data = _TEMPLATE_CACHE.get(template.sha256)
    if data is None:
        with template.file.open("rb") as handle:
            data = handle.read()
        if sha256_hex(data) != template.sha256:
            raise DocumentError(f"Файл шаблона «{template}» поврежден: контрольная сумма не совпадает")
        if len(_TEMPLATE_CACHE) > 64:
            _TEMPLATE_CACHE.clear()
        _TEMPLATE_CACHE[template.sha256] = data
    return data


def template_active(*, kind: str) -> DocumentTemplate:
    """The version issued documents of `kind` are made with now. The shipped file is registered
    as a new version when there is none yet, or when the active version is a shipped one and the
    shipped file has changed since; an uploaded version stays until another replaces it."""
    spec = get_spec(kind)
    active = DocumentTemplate.objects.filter(kind=spec.kind, is_active=True).first()
    if active is not None and active.source == TemplateSource.UPLOAD:
        return active
    data, digest = builtin_template_bytes(spec)
    if active is not None and active.sha256 == digest:
        return active
    try:
        return _template_add_version(
            kind=spec.kind, data=data, source=TemplateSource.BUILTIN, uploaded_by=None, comment=""
        )
    except IntegrityError:  # another worker registered it at the same moment
        return DocumentTemplate.objects.get(kind=spec.kind, is_active=True)


@transaction.atomic
def _template_add_version(*, kind, data: bytes, source, uploaded_by, comment) -> DocumentTemplate:
    # Lock the kind's versions so that two uploads do not pick the same number.
    list(DocumentTemplate.objects.select_for_update().filter(kind=kind).values_list("id", flat=True))
    last = DocumentTemplate.objects.filter(kind=kind).aggregate(last=Max("version"))["last"] or 0
    DocumentTemplate.objects.filter(kind=kind, is_active=True).update(is_active=False)
    template = DocumentTemplate(
        kind=kind,
        version=last + 1,
        sha256=sha256_hex(data),
        source=source,
        is_active=True,
        uploaded_by=uploaded_by,
        comment=comment,
    )
    upload_storage.store(template.file, data, name=f"{kind}.docx")  # removed on rollback
    try:
        with transaction.atomic():
            template.save()
    except Exception:
        template.file.storage.delete(template.file.name)
        raise
    _TEMPLATE_CACHE[template.sha256] = data
    return template


def template_check(*, kind: str, data: bytes) -> bytes:
    """Render the candidate template with the kind's sample data; return the rendered bytes or
    raise TemplateValidationError with the reason in Russian."""
    spec = get_spec(kind)
    from . import samples

    requisites = DocumentRequisites(
        organization=_SampleOrganization(),
        signatory=resolve_signatory(samples.SIGNATORY, None),
        issued_on=timezone.localdate(),
        number=NUMBER_TOKEN if spec.numbered else "",
    )
    context = build_context(spec, spec.sample(None), requisites)
    try:
        rendered = render_docx(data, context, label=spec.label)
    except DocumentError as exc:
        raise TemplateValidationError(f"Новая версия шаблона не принята: {exc}") from exc
    if spec.numbered and not contains_number_token(rendered):
        raise TemplateValidationError("Новая версия шаблона не принята: в ней нет поля номера документа {{ number }}")
    return rendered


# --- an uploaded template: the file first, then its tags, then the sandbox render --------------

# Loops may nest as deep as the built-in templates need: rma_list_order.docx nests three (groups →
# subjects → members); nothing deeper renders in reasonable time with real data.
MAX_LOOP_DEPTH = 3
_TAG = re.compile(r"\{%-?\s*(?:tr|tc|p|r)?\s+(.*?)-?%\}", re.DOTALL)
_EXPRESSION = re.compile(r"\{\{.*?\}\}", re.DOTALL)
_XML_TAG = re.compile(r"<[^>]+>")


def template_tags_check(data: bytes) -> None:
    """The Jinja of a template, read from its Word parts before docxtpl runs it: loops at most
    MAX_LOOP_DEPTH deep and only over the document's data (no range(), no calls), no powers or
    multiplication (a «"x" * 10**9» would fill the memory inside the sandbox)."""
    from jinja2 import TemplateSyntaxError, nodes

    from .rendering import jinja_env

    with zipfile.ZipFile(io.BytesIO(data)) as archive:  # already inspected by common.uploads
        parts = [name for name in archive.namelist() if name.startswith("word/") and name.endswith(".xml")]
        text = "".join(html.unescape(_XML_TAG.sub("", archive.read(name).decode("utf-8", "replace"))) for name in parts)
    source = "".join(
        "{% " + match.group(1) + " %}" if match.re is _TAG else match.group(0)
        for match in sorted([*_TAG.finditer(text), *_EXPRESSION.finditer(text)], key=lambda m: m.start())
    )
    try:
        tree = jinja_env().parse(source)
    except TemplateSyntaxError as exc:
        raise TemplateValidationError(
            f"Новая версия шаблона не принята: ошибка в поле шаблона (строка {exc.lineno})"
        ) from exc

    def walk(node, depth: int) -> None:
        if isinstance(node, nodes.For):
            depth += 1
            if depth > MAX_LOOP_DEPTH:
                raise TemplateValidationError(
                    f"Новая версия шаблона не принята: циклы {{% for %}} вложены глубже {MAX_LOOP_DEPTH} уровней"
                )
            if not isinstance(node.iter, (nodes.Name, nodes.Getattr, nodes.Getitem)):
                raise TemplateValidationError(
                    "Новая версия шаблона не принята: цикл {% for %} может перебирать только данные документа "
                    "(без range() и вызовов функций)"
                )
        if isinstance(node, (nodes.Pow, nodes.Mul)):
            raise TemplateValidationError(
                "Новая версия шаблона не принята: умножение и возведение в степень в полях шаблона не допускаются"
            )
        for child in node.iter_child_nodes():
            walk(child, depth)

    walk(tree, 0)


def template_inspect(*, kind: str, file) -> bytes:
    """An uploaded template's bytes, if they may become a version: a real Word package without
    macros, external relationships, embedded objects or bombs (common.uploads), tags within
    bounds (template_tags_check), and it renders with the kind's sample data in the strict
    sandbox (template_check). Raises TemplateValidationError with the reason in Russian."""
    try:
        checked = uploads.check_upload(file, accept=uploads.TEMPLATE, label="Шаблон")
    except uploads.UploadRefused as exc:
        raise TemplateValidationError(exc.messages[0]) from exc
    template_tags_check(checked.data)
    template_check(kind=kind, data=checked.data)
    return checked.data


def template_upload(*, kind: str, file, uploaded_by, comment: str = "") -> DocumentTemplate:
    """Accept a new version of a kind's template if it passes template_inspect; it becomes the
    active version. Documents issued before keep the version they were made with."""
    data = template_inspect(kind=kind, file=file if hasattr(file, "read") else io.BytesIO(bytes(file)))
    return _template_add_version(
        kind=kind, data=data, source=TemplateSource.UPLOAD, uploaded_by=uploaded_by, comment=comment
    )


class _SampleOrganization:
    """Stands in for an Organization when a template is checked with sample data."""

    pk = None
    parent_id = None
    parent = None
    name = "Министерство образования и науки Пермского края"
    email = "minobr@example.org"
    inn = "5900000000"
    head_name = ""
    head_position = ""

    def __str__(self):
        return self.name
