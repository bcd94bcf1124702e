"""Every API error answers the same JSON, in Russian:

    {"detail": "Объект не найден", "code": "not_found"}

and a validation error adds the messages per field (``non_field_errors`` for the request as a
whole):

    {"detail": "Проверьте введённые данные", "code": "invalid",
     "errors": {"kind": ["Значения «x» нет среди допустимых вариантов."]}}

A 404 always carries the same text whatever raised it, so an object outside the user's scope
cannot be told from a missing one. An unauthenticated request answers 401 with
``WWW-Authenticate: Token`` — DRF would answer 403 because session authentication, which has no
challenge, is listed first. Errors are always rendered as JSON.
"""

import re

from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.views import exception_handler as drf_exception_handler

from common import errors as action_errors

NOT_FOUND_MESSAGE = "Объект не найден"
VALIDATION_MESSAGE = "Проверьте введённые данные"
AUTHENTICATE_HEADER = "Token"  # what TokenAuthentication would challenge with

# Replaces DRF's default text; a view that raises with its own text keeps it (see _detail),
# except for authentication: a bad token and a deactivated user answer alike.
ALWAYS_OUR_TEXT = (exceptions.NotAuthenticated, exceptions.AuthenticationFailed)
MESSAGES = {
    exceptions.NotAuthenticated: ("Требуется аутентификация", "not_authenticated"),
    exceptions.AuthenticationFailed: ("Неверный токен или учётные данные", "authentication_failed"),
    exceptions.PermissionDenied: ("Недостаточно прав для выполнения действия", "permission_denied"),
    exceptions.NotFound: (NOT_FOUND_MESSAGE, "not_found"),
    exceptions.MethodNotAllowed: ("Метод не поддерживается", "method_not_allowed"),
    exceptions.NotAcceptable: ("Запрошенный формат ответа не поддерживается", "not_acceptable"),
    exceptions.UnsupportedMediaType: ("Неподдерживаемый формат тела запроса", "unsupported_media_type"),
    exceptions.ParseError: ("Некорректное тело запроса", "parse_error"),
}


def exception_handler(exc, context):
    exc = _from_action_error(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # an unexpected error: Django logs it and answers 500
    _render_as_json(context.get("request"))
    # DRF has already turned Http404 / django PermissionDenied into its own exceptions, but
    # only inside its handler; classify by the status it chose.
    if isinstance(exc, exceptions.ValidationError):
        response.data = _validation_body(exc.detail)
    elif isinstance(exc, exceptions.ParseError):
        response.data = _parse_error_body(exc)
    elif isinstance(exc, exceptions.Throttled):
        response.data = _throttled_body(exc)
    elif response.status_code == status.HTTP_404_NOT_FOUND:
        response.data = {"detail": NOT_FOUND_MESSAGE, "code": "not_found"}
    elif isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        response.data = _body(exc)
        response.status_code = status.HTTP_401_UNAUTHORIZED
        response["WWW-Authenticate"] = AUTHENTICATE_HEADER
    elif isinstance(exc, exceptions.APIException):
        response.data = _body(exc)
    else:  # django.core.exceptions.PermissionDenied
        response.data = _body(exceptions.PermissionDenied())
    if getattr(exc, "retry_after", None):  # a login lockout (api/authentication.py)
        response["Retry-After"] = str(exc.retry_after)
    return response


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Действие невозможно"
    default_code = "conflict"


def _from_action_error(exc):
    """A service's error (common.errors) as the API answers it: the same family the HTML pages
    map to forms, so a view needs no `except` of its own."""
    if not isinstance(exc, action_errors.ActionError):
        return exc
    if isinstance(exc, action_errors.InvalidInput):
        errors = {
            ("non_field_errors" if field == action_errors.NON_FIELD else field): messages
            for field, messages in exc.errors.items()
        }
        return exceptions.ValidationError(errors)
    if isinstance(exc, action_errors.NotAvailable):
        return exceptions.NotFound()
    if isinstance(exc, action_errors.ActionForbidden):
        return exceptions.PermissionDenied(str(exc), code="forbidden")
    if isinstance(exc, action_errors.AlreadyProcessed):
        return Conflict(str(exc), code="already_processed")
    return Conflict(str(exc))


def _render_as_json(request) -> None:
    """Errors are JSON even where the view renders otherwise (the schema's YAML, Swagger's
    HTML, the browsable API): DRF renders the error response with the request's renderer."""
    if request is not None:
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = JSONRenderer.media_type


def _body(exc: exceptions.APIException) -> dict:
    message, code = _detail(exc)
    return {"detail": message, "code": code}


def _detail(exc: exceptions.APIException) -> tuple[str, str]:
    detail = exc.detail
    if isinstance(exc, exceptions.PermissionDenied) and str(detail).startswith("CSRF Failed"):
        # SessionAuthentication's check on writes; its text is English.
        return "Не пройдена проверка CSRF: обновите страницу и повторите запрос", "csrf_failed"
    own_text = (
        isinstance(detail, str)
        and str(detail) != str(type(exc).default_detail)
        and not isinstance(exc, ALWAYS_OUR_TEXT)
    )
    for exc_class, (message, code) in MESSAGES.items():
        if isinstance(exc, exc_class):
            if own_text:
                return str(detail), getattr(detail, "code", None) or code
            return message, code
    return str(detail), getattr(detail, "code", None) or exc.default_code


def _validation_body(detail) -> dict:
    errors = detail if isinstance(detail, dict) else {"non_field_errors": detail}
    errors = _flat(errors)
    message, code = VALIDATION_MESSAGE, "invalid"
    # A request-wide error (wrong password, say) is the message itself.
    non_field = detail.get("non_field_errors") if isinstance(detail, dict) else detail
    if isinstance(non_field, list) and non_field:
        message = str(non_field[0])
        code = getattr(non_field[0], "code", None) or code
    return {"detail": message, "code": code, "errors": errors}


_JSON_POSITION = re.compile(r"line (\d+) column (\d+)")


def _parse_error_body(exc: exceptions.ParseError) -> dict:
    """A body that could not be parsed: a 400 like any invalid request, with the same `errors`
    key (the parser's English text replaced; for JSON, where it broke)."""
    message = "Не удалось разобрать тело запроса"
    text = str(exc.detail)
    if text.startswith("JSON parse error"):
        message = "Тело запроса — не корректный JSON"
        position = _JSON_POSITION.search(text)
        if position:
            message += f" (строка {position[1]}, позиция {position[2]})"
    return {"detail": message, "code": "parse_error", "errors": {"non_field_errors": [message]}}


def _throttled_body(exc: exceptions.Throttled) -> dict:
    if exc.wait:
        message = f"Слишком много запросов. Повторите через {int(exc.wait) or 1} с."
    else:
        message = "Слишком много запросов. Повторите попытку позже."
    return {"detail": message, "code": "throttled"}


def _flat(errors: dict, prefix: str = "") -> dict[str, list[str]]:
    """{field: [message, …]} as the schema publishes it (ValidationErrorSerializer): the errors of
    a nested serializer, a dict field or a list of objects under dotted keys — «programmes.
    non_field_errors», «corrections.IND-03», «items.2.hours» — never a nested object."""
    flat: dict[str, list[str]] = {}
    for key, value in errors.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flat(value, f"{name}."))
        elif isinstance(value, list) and any(isinstance(item, dict | list) for item in value):
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    flat.update(_flat(item, f"{name}.{index}."))
                elif item:
                    flat[f"{name}.{index}"] = [str(message) for message in item]
        else:
            flat[name] = [str(item) for item in (value if isinstance(value, list) else [value])]
    return flat
