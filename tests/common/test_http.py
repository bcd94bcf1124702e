"""common.http: downloads are offered under server-made names with the detected extension."""

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage

from common.http import ascii_filename, attachment, content_disposition, download_name, safe_content_type


def test_download_name_is_the_server_stem_and_the_detected_extension():
    assert download_name("Диплом — Голубев М.Ю.", "pdf") == "Диплом — Голубев М.Ю.pdf"
    assert download_name("evil\u202efdp.exe", "pdf") == "evilfdp.exe.pdf"
    assert download_name("../../etc/passwd", "PDF") == "etc-passwd.pdf"
    assert download_name("", "") == "файл.bin"
    assert len(download_name("я" * 500, "docx")) == 155


def test_content_disposition_has_an_ascii_fallback_and_the_utf8_name():
    header = content_disposition('Приказ № 668/ОД "x".docx')
    assert header.startswith("attachment; filename=\"Prikaz_N_668_OD_x_.docx\"; filename*=UTF-8''")
    assert ascii_filename("Диплом.pdf") == "Diplom.pdf"


def test_content_types_come_from_a_short_list():
    assert safe_content_type("pdf") == "application/pdf"
    assert safe_content_type("html") == "application/octet-stream"


def test_attachment_headers(tmp_path):
    storage = FileSystemStorage(location=tmp_path)
    name = storage.save("x/upload", ContentFile(b"%PDF-1.7"))

    class Field:
        def open(self, mode):
            return storage.open(name, mode)

    response = attachment(Field(), stem="Диплом — Голубев М.Ю.", extension="pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert "filename*=UTF-8''%D0%94%D0%B8%D0%BF%D0%BB%D0%BE%D0%BC" in response["Content-Disposition"]
    assert response["Content-Disposition"].endswith(".pdf")
    response.file_to_stream.close()
