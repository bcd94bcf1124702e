"""common.uploads: the kind is decided by content; containers are inspected before anything
parses them; every refusal is one Russian message naming the file."""

import io
import re
import time
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from common import uploads
from common.uploads import EVIDENCE, TABLE, TEMPLATE, Kind, UploadRefused, check_bytes, check_upload
from tests import corpus

LATIN_WORDS = re.compile(r"[A-Za-z]{4,}")
ALLOWED_LATIN = {
    "JPEG",
    "DOCX",
    "XLSX",
    "JavaScript",
    "DOCTYPE",
    "ENTITY",
    "ActiveX",
    "Office",
    "Excel",
    "Word",
    "docx",
    "xlsx",
}


def refusal(data: bytes, name: str = "файл.pdf", accept=EVIDENCE, label: str = "Диплом") -> UploadRefused:
    with pytest.raises(UploadRefused) as error:
        check_bytes(data, name=name, accept=accept, label=label)
    return error.value


def assert_russian(message: str, name: str):
    assert f"«{uploads.shown_name(name)}»" in message
    foreign = set(LATIN_WORDS.findall(message.replace(uploads.shown_name(name), ""))) - ALLOWED_LATIN
    assert not foreign, message
    assert "Error" not in message and "(" not in message.split("»", 1)[0]


@pytest.mark.parametrize(
    ("data", "kind"),
    [(corpus.PDF, Kind.PDF), (corpus.JPEG, Kind.JPEG), (corpus.PNG, Kind.PNG), (corpus.DOCX, Kind.DOCX)],
)
def test_valid_evidence_is_recognised_by_content_whatever_the_name(data, kind):
    checked = check_upload(SimpleUploadedFile("scan.bin", data, content_type="text/html"))
    assert checked.kind is kind
    assert (checked.extension, checked.content_type, checked.size, len(checked.sha256)) == (
        kind.extension,
        kind.content_type,
        len(data),
        64,
    )


def test_every_built_in_template_is_a_valid_template():
    from pathlib import Path

    for path in Path("documents/templates").glob("*.docx"):
        assert check_bytes(path.read_bytes(), name=path.name, accept=TEMPLATE).kind is Kind.DOCX


def test_tables_accept_xlsx_and_csv():
    assert check_bytes(corpus.xlsx(), name="kadry.xlsx", accept=TABLE).kind is Kind.XLSX
    checked = check_bytes("СНИЛС;Фамилия\n".encode("cp1251"), name="kadry.csv", accept=TABLE)
    assert (checked.kind, checked.encoding) == (Kind.CSV, "cp1251")
    assert check_bytes("СНИЛС;Фамилия\n".encode(), name="k.csv", accept=TABLE).encoding == "utf-8-sig"


@pytest.mark.parametrize(
    ("data", "accept"),
    [
        (corpus.xlsx(), EVIDENCE),  # a workbook is not a supporting document
        (corpus.DOCX, TABLE),
        (corpus.PDF, TEMPLATE),
        (b"MZ\x90\x00", EVIDENCE),
        (b"<html><script>alert(1)</script>", EVIDENCE),
        (b"GIF89a", EVIDENCE),
        (b"PK\x03\x04 broken", EVIDENCE),
        (corpus.PNG, TABLE),
    ],
)
def test_other_content_is_refused_whatever_the_name(data, accept):
    error = refusal(data, name="diplom.pdf", accept=accept)
    assert_russian(error.messages[0], "diplom.pdf")
    assert len(error.messages) == 1


def test_wrong_kind_message_lists_what_is_accepted():
    error = refusal(b"GIF89a", name="diplom.pdf")
    assert error.messages == [
        "Диплом: файл «diplom.pdf»: недопустимый формат. Загрузите документ в формате PDF, JPEG, PNG или DOCX"
    ]


@pytest.mark.parametrize(("name", "builder"), sorted(corpus.HOSTILE.items()))
def test_every_hostile_class_is_refused_in_russian(name, builder):
    accept = EVIDENCE if not name.endswith(".docx") else TEMPLATE
    data = builder()
    started = time.monotonic()
    error = refusal(data, name=name, accept=accept)
    assert time.monotonic() - started < 5
    assert_russian(error.messages[0], name)


@pytest.mark.parametrize(
    ("builder", "code"),
    [
        (corpus.docx_bomb, "file_unpacked"),
        (corpus.docx_macro, "file_macros"),
        (corpus.docx_external_relationship, "file_external"),
        (corpus.docx_embedded_object, "file_embedded"),
        (corpus.docx_many_entries, "file_entries"),
        (corpus.pdf_javascript, "file_javascript"),
        (corpus.pdf_javascript_hex, "file_javascript"),
        (corpus.pdf_launch, "file_launch"),
        (corpus.pdf_embedded_file, "file_embedded"),
        (corpus.pdf_html_polyglot, "file_polyglot"),
        (corpus.pdf_prefixed_executable, "file_polyglot"),
        (corpus.pdf_behind_garbage, "file_prefix"),
        (corpus.png_pixel_bomb, "file_pixels"),
    ],
)
def test_each_class_is_refused_for_its_own_reason(builder, code):
    assert refusal(builder()).code == code


def test_a_bomb_is_refused_without_unpacking_it():
    data = corpus.docx_bomb()
    tracemalloc.start()
    refusal(data, name="bomb.docx")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 20 * 1024 * 1024


def test_headers_that_lie_about_the_size_are_not_trusted():
    """The central directory says 1 KB; the streamed read stops at the declared size and the
    checksum no longer matches."""
    assert refusal(corpus.docx_bomb(declared=1024), name="bomb.docx").code == "file_damaged"


def test_a_part_compressed_beyond_the_ratio_is_refused(settings):
    settings.PROFROST_UPLOAD_MAX_UNPACKED_BYTES = 4 * 1024 * 1024 * 1024
    data = corpus.docx_bomb()
    started = time.monotonic()
    assert refusal(data, name="bomb.docx").code == "file_ratio"
    assert time.monotonic() - started < 5  # stops after about 100 MiB of the 1 GiB


@pytest.mark.parametrize(
    ("builder", "code"),
    [
        (corpus.pdf_javascript, "file_javascript"),
        (corpus.pdf_javascript_hex, "file_javascript"),
        (corpus.pdf_launch, "file_launch"),
        (corpus.pdf_embedded_file, "file_embedded"),
    ],
)
def test_the_object_walk_finds_active_content_without_the_raw_scan(monkeypatch, builder, code):
    """pypdf parses every object and decodes names («/J#61vaScript» is /JavaScript), so what
    the byte scan misses (e.g. objects in compressed object streams) is still found."""
    from common.uploads import pdf as pdf_inspection

    monkeypatch.setattr(pdf_inspection, "_raw_names", lambda data: set())
    assert refusal(builder()).code == code


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",  # no cross-reference, no catalog
        corpus.PDF[: len(corpus.PDF) // 2],  # cut short
        corpus.PDF.replace(b"/Pages 2 0 R", b"/Pagez 2 0 R"),
    ],
)
def test_a_pdf_without_a_real_structure_is_refused(data):
    assert refusal(data).code == "file_damaged"


def test_a_pdf_behind_a_little_whitespace_is_accepted_but_not_behind_other_data():
    assert check_bytes(b"\n\n" + corpus.PDF, name="a.pdf").kind is Kind.PDF
    assert refusal(b"<html>" + corpus.PDF).code == "file_prefix"


def test_damaged_images_are_refused():
    assert refusal(corpus.PNG[:40], name="a.png").code == "file_damaged"
    assert refusal(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, name="a.png").code == "file_damaged"
    assert refusal(corpus.JPEG[: len(corpus.JPEG) // 2], name="a.jpg").code == "file_damaged"


def test_an_image_with_markup_inside_is_refused():
    assert refusal(corpus.JPEG + b"<script>alert(1)</script>", name="a.jpg").code == "file_polyglot"


def test_a_hyperlink_is_the_one_external_relationship_allowed():
    import docx as python_docx

    document = python_docx.Document(io.BytesIO(corpus.DOCX))
    part = document.part
    part.relate_to(
        "https://edu.example.ru/",
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink",
        is_external=True,
    )
    buffer = io.BytesIO()
    document.save(buffer)
    assert check_bytes(buffer.getvalue(), name="a.docx").kind is Kind.DOCX
    unc = buffer.getvalue()
    part.relate_to(
        "file://attacker/share",
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink",
        is_external=True,
    )
    buffer = io.BytesIO()
    document.save(buffer)
    assert unc != buffer.getvalue()
    assert refusal(buffer.getvalue(), name="a.docx").code == "file_external"


def test_a_package_with_a_doctype_is_refused():
    with_entities = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><w:document/>'
    data = corpus.repack(corpus.DOCX, replace={"word/document.xml": with_entities})
    assert refusal(data, name="a.docx").code == "file_doctype"


def test_a_zip_that_is_not_an_office_document_is_refused():
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    assert refusal(buffer.getvalue(), name="a.docx", accept=TEMPLATE).code == "file_not_office"


def test_an_old_office_file_gets_its_own_message():
    error = refusal(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, name="old.doc")
    assert "Office 97–2003" in error.messages[0]


def test_empty_and_oversized_files_are_refused(settings):
    settings.PROFROST_MAX_UPLOAD_BYTES = 1024 * 1024
    with pytest.raises(UploadRefused, match="«scan.pdf» пустой"):
        check_upload(SimpleUploadedFile("scan.pdf", b""))
    big = SimpleUploadedFile("scan.pdf", b"%PDF-" + b"0" * (1024 * 1024))
    with pytest.raises(UploadRefused, match="больше допустимого размера 1 МБ"):
        check_upload(big)


def test_a_file_object_is_not_read_past_the_limit(settings):
    settings.PROFROST_MAX_UPLOAD_BYTES = 1024

    class Stream(io.BytesIO):
        name = "big.csv"
        largest = 0

        def read(self, size=-1):
            Stream.largest = max(Stream.largest, size)
            return super().read(size)

    with pytest.raises(UploadRefused, match="больше допустимого размера"):
        check_upload(Stream(b"a;b\n" * 100_000), accept=TABLE)
    assert Stream.largest == 1025


def test_a_hostile_file_name_is_shown_cleaned():
    name = "evil\u202efdp.exe"
    error = refusal(b"GIF89a", name=name)
    assert "\u202e" not in error.messages[0]
    assert "«evilfdp.exe»" in error.messages[0]
    checked = check_bytes(corpus.PDF, name="C:\\Users\\x\\" + name)
    assert checked.name == "evilfdp.exe"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"\xff\xfeS\x00", "file_utf16"),
        (b"a;b\x00c\n", "file_binary"),
        (b"\x01\x02\x03\x04" * 100, "file_binary"),
        (b"\x98\x98\x98\xff\xfe", "file_encoding"),
    ],
)
def test_text_tables_must_be_text(data, code):
    assert refusal(data, name="k.csv", accept=TABLE).code == code
