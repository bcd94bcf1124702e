"""Sizes refused before the body is read: a request over the limit gets 413 without being read;
a file over the limit stops being kept while it streams in and is refused by check_upload."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import RequestFactory

from common.uploads import UploadRefused, check_upload
from common.uploads.handlers import BodyLimitMiddleware, OversizeUpload


def _never_called(request):
    raise AssertionError("the view must not run")


class _Unreadable:
    def read(self, *args):
        raise AssertionError("the body must not be read")

    readline = read


@pytest.mark.parametrize(
    ("path", "content_type"), [("/api/v1/rma/applications/", "application/json"), ("/rma/", "text/html")]
)
def test_a_body_over_the_limit_is_answered_413_unread(settings, path, content_type):
    settings.PROFROST_MAX_REQUEST_BYTES = 1000
    request = RequestFactory().generic("POST", path, b"", content_type="multipart/form-data; boundary=x")
    request.META["CONTENT_LENGTH"] = "1001"
    request.META["wsgi.input"] = _Unreadable()
    request._stream = _Unreadable()
    response = BodyLimitMiddleware(_never_called)(request)
    assert response.status_code == 413
    assert response["Content-Type"].startswith(content_type)
    text = response.content.decode()
    assert "Запрос слишком велик" in text and "больше 0 МБ" not in text
    if content_type == "application/json":
        body = json.loads(text)
        assert body["detail"].startswith("Запрос слишком велик") and body["errors"]


def test_a_body_within_the_limit_goes_on(settings):
    settings.PROFROST_MAX_REQUEST_BYTES = 1000
    request = RequestFactory().post("/rma/", {"a": "b"})
    assert BodyLimitMiddleware(lambda r: HttpResponse("ok"))(request).content == b"ok"


def test_a_file_over_the_limit_becomes_an_oversize_upload_that_is_refused(settings):
    settings.PROFROST_MAX_UPLOAD_BYTES = 64 * 1024
    request = RequestFactory().post(
        "/x/",
        {
            "big": SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (300 * 1024)),
            "small": SimpleUploadedFile("s.pdf", b"%PDF-1"),
        },
    )
    big, small = request.FILES["big"], request.FILES["small"]
    assert isinstance(big, OversizeUpload) and big.size > 64 * 1024 and big.name == "big.pdf"
    assert small.read() == b"%PDF-1"
    with pytest.raises(UploadRefused, match="«big.pdf» больше допустимого размера"):
        check_upload(big, label="Диплом")
