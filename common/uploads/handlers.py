"""Sizes refused before the body is read.

* BodyLimitMiddleware answers a request whose Content-Length is over PROFROST_MAX_REQUEST_BYTES
  with 413 and a Russian message (JSON with `detail` and `errors` under the API, a page
  elsewhere) before anything reads the body — it must come before the CSRF middleware, which
  reads POST.
* LimitedUploadHandler (first of FILE_UPLOAD_HANDLERS) counts each file's bytes as they stream
  in; past PROFROST_MAX_UPLOAD_BYTES it passes nothing more on, and the upload becomes an
  OversizeUpload, which check_upload refuses with the usual Russian message — so the form shows
  the error by the field, and nothing over the limit reaches memory or a temporary file.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpResponse

from .errors import megabytes


def max_request_bytes() -> int:
    default = int(getattr(settings, "PROFROST_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)) * 4 + 1024 * 1024
    return int(getattr(settings, "PROFROST_MAX_REQUEST_BYTES", default))


def request_too_large_message(limit: int) -> str:
    return (
        f"Запрос слишком велик: файлы вместе больше {megabytes(limit)} МБ. "
        "Уменьшите файлы (например, сохраните сканы с меньшим разрешением) и отправьте снова."
    )


class BodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = max_request_bytes()
        if length > limit:
            return self.refuse(request, limit)
        return self.get_response(request)

    @staticmethod
    def refuse(request, limit: int) -> HttpResponse:
        message = request_too_large_message(limit)
        api_prefix = getattr(settings, "PROFROST_API_PREFIX", "/api/")
        if request.path.startswith(api_prefix):
            body = json.dumps({"detail": message, "errors": {"non_field_errors": [message]}}, ensure_ascii=False)
            response = HttpResponse(body, status=413, content_type="application/json; charset=utf-8")
        else:
            page = (
                '<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Слишком большой запрос</title>'
                f"</head><body><h1>Слишком большой запрос</h1><p>{message}</p>"
                "<p>Вернитесь на предыдущую страницу и приложите файлы меньшего размера.</p></body></html>"
            )
            response = HttpResponse(page, status=413, content_type="text/html; charset=utf-8")
        response["Connection"] = "close"  # the unread body is not left for the next request
        return response


class OversizeUpload(UploadedFile):
    """A file that went past the limit while it streamed in: its name and the bytes counted, no
    content. check_upload refuses it."""

    oversize = True

    def __init__(self, name: str, size: int, content_type: str = ""):
        super().__init__(file=None, name=name, content_type=content_type, size=size)

    def read(self, *args, **kwargs):
        return b""

    def seek(self, *args, **kwargs):
        return 0

    def open(self, mode=None):
        return self

    def close(self):
        return None


class LimitedUploadHandler(FileUploadHandler):
    def new_file(self, field_name, file_name, content_type, content_length, charset=None, content_type_extra=None):
        super().new_file(field_name, file_name, content_type, content_length, charset, content_type_extra)
        self.limit = int(getattr(settings, "PROFROST_MAX_UPLOAD_BYTES", 10 * 1024 * 1024))
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            return None  # the handlers after this one get nothing more of this file
        return raw_data

    def file_complete(self, file_size):
        if self.received > self.limit:
            return OversizeUpload(self.file_name, self.received, self.content_type)
        return None
