import contextlib
import datetime as dt
import io
import os
import shutil

import pytest
from docx import Document

from orgstructure.models import OrganizationKind
from tests.factories import make_municipality, make_organization, make_region


def docx_text(data: bytes) -> str:
    """All paragraph and table text of a .docx, in document order, one paragraph per line."""
    document = Document(io.BytesIO(data))
    lines = []
    body = document.element.body
    for child in body.iterchildren():
        if child.tag.endswith("}p"):
            lines.append(_paragraph_text(child))
        elif child.tag.endswith("}tbl"):
            for tc in child.iter():
                if tc.tag.endswith("}p"):
                    lines.append(_paragraph_text(tc))
    return "\n".join(lines).replace("\u00a0", " ")  # «№\u00a05»: tests compare plain spaces


def _paragraph_text(paragraph) -> str:
    parts = []
    for node in paragraph.iter():
        if node.tag.endswith("}t"):
            parts.append(node.text or "")
        elif node.tag.endswith("}tab") and node.getparent().tag.endswith("}r"):
            parts.append("\t")
        elif node.tag.endswith("}br"):
            parts.append("\n")
    return "".join(parts)


def docx_tables(data: bytes) -> list[list[list[str]]]:
    """Each table as rows of cell texts (merged cells repeat their text, as python-docx gives)."""
    document = Document(io.BytesIO(data))
    return [
        [[cell.text.replace("\u00a0", " ") for cell in row.cells] for row in table.rows] for table in document.tables
    ]


@pytest.fixture
def region(db):
    return make_region(name="Пермский край", timezone="Asia/Yekaterinburg")


@pytest.fixture
def ministry(region):
    organization = make_organization(
        region, kind=OrganizationKind.MINISTRY, name="Министерство образования и науки Пермского края"
    )
    organization.head_name = "Сидорова Нина Петровна"
    organization.head_position = "Министр"
    organization.save()
    return organization


@pytest.fixture
def municipality(region):
    return make_municipality(region, name="Березниковский городской округ")


@pytest.fixture
def school(region, municipality):
    return make_organization(region, municipality=municipality, name="МАОУ «СОШ № 3»")


ISSUED_ON = dt.date(2024, 8, 30)


@pytest.fixture
def soffice():
    """The soffice binary. Skips when LibreOffice is missing — unless PROFROST_REQUIRE_PDF=1
    (CI), where a missing LibreOffice fails the test instead."""
    binary = shutil.which("soffice") or shutil.which("libreoffice")
    if binary is None:
        if os.environ.get("PROFROST_REQUIRE_PDF") == "1":
            pytest.fail("PROFROST_REQUIRE_PDF=1, но LibreOffice (soffice) не установлен")
        pytest.skip("LibreOffice (soffice) не установлен")
    if shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None:
        if os.environ.get("PROFROST_REQUIRE_PDF") == "1":
            pytest.fail("PROFROST_REQUIRE_PDF=1, но poppler-utils (pdftotext, pdfinfo) не установлены")
        pytest.skip("poppler-utils не установлены")
    return binary


@contextlib.contextmanager
def connected(signal, receiver):
    """`receiver` hears `signal` inside the block only (as a process's AppConfig connects one)."""
    signal.connect(receiver, dispatch_uid=f"test-{id(receiver)}")
    try:
        yield receiver
    finally:
        signal.disconnect(dispatch_uid=f"test-{id(receiver)}")
