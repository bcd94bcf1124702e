"""The errors of an action, and how each reaches the user — one family for every service of every
process, answered the same way by the HTML pages and the API:

| error                 | meaning                                                | form          | API |
|-----------------------|--------------------------------------------------------|---------------|-----|
| `InvalidInput`        | bad input, by field ({"diploma": ["Файл … пустой"]})   | field errors  | 400 |
| `ActionForbidden`     | the user sees the object but holds no role for the act | form error    | 403 |
| `NotAvailable`        | missing, or outside the user's scope (same answer)     | 404 page      | 404 |
| `AlreadyProcessed`    | someone else was first (a task, a concurrent change)   | 409 page      | 409 |
| `ActionRefused`       | the regulation or the status does not allow it         | form error    | 409 |

`str(error)` is always the Russian message for the user. `ActionError` is the base of all.
"""

from __future__ import annotations

from collections.abc import Mapping

NON_FIELD = "__all__"


class ActionError(Exception):
    """The action is not possible; `str(error)` is the Russian message for the user."""

    status_code = 409
    default_message = "Действие невозможно"

    def __init__(self, message: str | None = None):
        super().__init__(message or self.default_message)

    @property
    def message(self) -> str:
        return str(self)


class ActionRefused(ActionError):
    """The status or the regulation does not allow the action now."""


class ActionForbidden(ActionError):
    """The user does not hold the role for this action over this object."""

    status_code = 403
    default_message = "Недостаточно прав для этого действия"


class NotAvailable(ActionError):
    """The object does not exist or is not the user's to see: answered as a missing one (404)."""

    status_code = 404
    default_message = "Объект не найден"


class AlreadyProcessed(ActionError):
    """Another user (or another request of the same user) was first."""

    default_message = "Задача уже обработана"


class InvalidInput(ActionError):
    """Input errors by field: {"diploma": ["Файл «…» пустой"]}; `NON_FIELD` for the whole form."""

    status_code = 400

    def __init__(self, errors: Mapping[str, list[str] | str]):
        self.errors = {key: [value] if isinstance(value, str) else list(value) for key, value in errors.items()}
        super().__init__("; ".join(message for messages in self.errors.values() for message in messages))


def add_to_form(form, error: ActionError) -> None:
    """Put an action's error on a Django form: field errors where the form has the field, the rest
    (and any other action error) above the form."""
    if isinstance(error, InvalidInput):
        for field, messages in error.errors.items():
            for message in messages:
                form.add_error(field if field in form.fields else None, message)
    else:
        form.add_error(None, str(error))
