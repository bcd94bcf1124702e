"""Errors of document generation. Each carries a Russian message an official can act on; the
issuing service raises them before a number is taken or a file is written."""


class DocumentError(Exception):
    """Base class: `str(error)` is the Russian message shown to the user."""


class UnknownKindError(DocumentError):
    def __init__(self, kind):
        super().__init__(f"Неизвестный вид документа: «{kind}»")
        self.kind = kind


class MissingFieldsError(DocumentError):
    """Required context fields are empty. `fields` lists their Russian labels (with the row
    of a table where the gap is)."""

    def __init__(self, kind_title: str, fields: list[str]):
        super().__init__(
            f"Документ «{kind_title}» не может быть сформирован: не заполнены обязательные поля — " + "; ".join(fields)
        )
        self.fields = fields


class InvalidDataError(DocumentError):
    """A field is filled but unusable: a date that is not a date, a figure that is not a number."""


class UnknownSignatoryError(DocumentError):
    pass


class DeclensionError(DocumentError):
    pass


class NumberFormatError(DocumentError):
    pass


class TemplateRenderError(DocumentError):
    """The .docx template could not be filled (syntax error in a placeholder, a broken file)."""


class TemplateValidationError(DocumentError):
    """An uploaded template version is refused (it does not render with the sample context)."""
