"""Supporting files are judged by their content: PDF, JPEG, PNG and DOCX pass; anything else, an
empty file or one over the limit is refused with a Russian message naming the file."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from workflows.rma.files import check_upload, sniff


def docx_bytes(main_part=True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        if main_part:
            archive.writestr("word/document.xml", "<w:document/>")
        else:
            archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"%PDF-1.7\n...", ("application/pdf", "pdf")),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", ("image/jpeg", "jpg")),
        (b"\x89PNG\r\n\x1a\n\x00\x00", ("image/png", "png")),
        (docx_bytes(), ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx")),
    ],
)
def test_allowed_formats_are_recognised_by_content(data, expected):
    assert sniff(data) == expected


@pytest.mark.parametrize(
    "data",
    [docx_bytes(main_part=False), b"PK\x03\x04broken zip", b"MZ\x90\x00", b"<html>", b"GIF89a"],
)
def test_other_content_is_refused_whatever_the_name(data):
    upload = SimpleUploadedFile("diplom.pdf", data, content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        check_upload(upload, label="Диплом")
    assert error.value.messages == [
        "Диплом: файл «diplom.pdf»: недопустимый формат. Загрузите документ в формате PDF, JPEG, PNG или DOCX"
    ]


def test_empty_and_oversized_files_are_refused(settings):
    settings.PROFROST_MAX_UPLOAD_BYTES = 1024 * 1024
    with pytest.raises(ValidationError, match="«scan.pdf» пустой"):
        check_upload(SimpleUploadedFile("scan.pdf", b""))
    big = SimpleUploadedFile("scan.pdf", b"%PDF-" + b"0" * (1024 * 1024))
    with pytest.raises(ValidationError, match="больше допустимого размера 1 МБ"):
        check_upload(big)


def test_checked_file_carries_type_size_and_checksum():
    checked = check_upload(SimpleUploadedFile("скан.png", b"\x89PNG\r\n\x1a\nxx"))
    assert (checked.extension, checked.size, len(checked.sha256)) == ("png", 10, 64)
