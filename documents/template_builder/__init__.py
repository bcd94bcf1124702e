"""Builds the shipped .docx templates in documents/templates/ with python-docx.

    python -m documents.template_builder        # rewrites every template
    python -m documents.template_builder iom    # one template

The .docx files are committed; this package is how they were made, so a change of layout is a
reviewable diff here rather than an opaque binary. An administrator may instead upload a version
edited in Word or LibreOffice (see template_versions.template_upload); it keeps the same
placeholders.

`primitives` holds the page setup, styles and blocks every document shares (and the
byte-reproducible save); `layouts/` one module per form of document, with a layout per template.
A kind registered by a process names its template by file name (KindSpec.template_name); the
test suite checks that every registered kind has its file here and that the file is what its
layout builds.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from .layouts import LAYOUTS
from .primitives import reproducible_zip, set_core_properties

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"


def build(name: str, directory: Path = TEMPLATES_DIR) -> Path:
    """Write <directory>/<name>.docx from its layout; the same layout gives the same bytes."""
    document = LAYOUTS[name]()
    set_core_properties(document, name)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.docx"
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(reproducible_zip(buffer.getvalue()))
    return path


def main(argv=None):
    names = (argv if argv is not None else sys.argv[1:]) or list(LAYOUTS)
    for name in names:
        print(build(name))
