"""Forms of the РМА pages and task steps. They validate input only; decisions are the services'."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from common import uploads
from common.uploads.errors import megabytes
from orgstructure.models import Subject

from .models import FileKind

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SCORE = {"min_value": Decimal("0"), "max_value": Decimal("100"), "max_digits": 5, "decimal_places": 2}


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person):
        return f"{person.full_name} — {person.position}, {person.organization}"


def _subjects_field(required=True):
    return forms.ModelMultipleChoiceField(
        label="Предметы (направления)",
        queryset=Subject.objects.order_by("name"),
        required=required,
        widget=forms.CheckboxSelectMultiple,
        help_text="по которым педагог войдёт в РМА; отметьте один или несколько",
    )


def _file_field(kind: str, required: bool):
    """The file is checked by its content in the service (common.uploads), with every file's
    errors at once; the help text says what passes."""
    return forms.FileField(
        label=FileKind(kind).label,
        required=required,
        help_text=f"{uploads.labels(uploads.EVIDENCE)}, до {megabytes(uploads.max_upload_bytes())} МБ",
    )


class SubmitForm(forms.Form):
    person = PersonChoiceField(label="Педагог", queryset=None, empty_label="— выберите педагога —")
    subjects = _subjects_field()
    attestation_order = _file_field(FileKind.ATTESTATION_ORDER, True)
    diploma = _file_field(FileKind.DIPLOMA, True)
    employment_record = _file_field(FileKind.EMPLOYMENT_RECORD, True)
    retraining = _file_field(FileKind.RETRAINING, False)
    methodical_training = _file_field(FileKind.METHODICAL_TRAINING, False)

    def __init__(self, *args, persons, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = persons
        if persons.count() == 1:
            self.fields["person"].help_text = "заявление подаётся от вашего имени"
            self.fields["person"].empty_label = None

    def files_by_kind(self) -> dict:
        return {kind: self.cleaned_data.get(kind) for kind in FileKind.values if self.cleaned_data.get(kind)}


class OverrideForm(forms.Form):
    reason = forms.CharField(
        label="Основание допуска вопреки формальным критериям",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="будет видно в заявке, в проекте списка и в реестре РМА",
    )


class RemoveFromListForm(forms.Form):
    reason = forms.CharField(
        label="Основание исключения из проекта списка",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="будет видно в заявке и в истории списка",
    )


class VerifyForm(forms.Form):
    VERIFY, RETURN = "verify", "return"
    decision = forms.ChoiceField(
        label="Решение",
        choices=[(VERIFY, "Документы подтверждены"), (RETURN, "Вернуть на доработку")],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="Комментарий (при возврате — что исправить)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    due_date = forms.DateField(
        label="Доработать до",
        required=False,
        widget=DATE_INPUT,
        help_text="пусто — срок по регламенту региона",
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.RETURN and not (data.get("comment") or "").strip():
            self.add_error("comment", "Напишите, что нужно исправить")
        return data


class CorrectForm(forms.Form):
    RESUBMIT, WITHDRAW = "resubmit", "withdraw"
    decision = forms.ChoiceField(
        label="Решение",
        choices=[(RESUBMIT, "Отправить исправленную заявку"), (WITHDRAW, "Отозвать заявку")],
        widget=forms.RadioSelect,
    )
    subjects = _subjects_field(required=False)
    attestation_order = _file_field(FileKind.ATTESTATION_ORDER, False)
    diploma = _file_field(FileKind.DIPLOMA, False)
    employment_record = _file_field(FileKind.EMPLOYMENT_RECORD, False)
    retraining = _file_field(FileKind.RETRAINING, False)
    comment = forms.CharField(label="Комментарий", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def files_by_kind(self) -> dict:
        return {kind: self.cleaned_data.get(kind) for kind in FileKind.values if self.cleaned_data.get(kind)}


class AssessForm(forms.Form):
    subject_score = forms.DecimalField(label="Предметные компетенции, %", **SCORE)
    methodical_score = forms.DecimalField(label="Методические компетенции, %", **SCORE)
    assessed_on = forms.DateField(label="Дата оценки", widget=DATE_INPUT)
    reference = forms.CharField(label="Протокол (ведомость)", required=False, max_length=200)


class TrainingForm(forms.Form):
    methodical_training = _file_field(FileKind.METHODICAL_TRAINING, True)


class ReissueForm(forms.Form):
    REISSUE, CLOSE = "reissue", "close"
    decision = forms.ChoiceField(
        label="Решение",
        choices=[(REISSUE, "Выпустить справку повторно"), (CLOSE, "Справка выдана иначе — закрыть задачу")],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label="Комментарий", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.CLOSE and not (data.get("comment") or "").strip():
            self.add_error("comment", "Напишите, как выдана справка")
        return data


class IncludeForm(forms.Form):
    comment = forms.CharField(label="Комментарий", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PrepareForm(forms.Form):
    academic_year = forms.RegexField(
        label="Учебный год", regex=r"^\d{4}/\d{4}$", error_messages={"invalid": "Укажите год в виде 2026/2027"}
    )
    basis = forms.CharField(
        label="Основание приказа",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="в творительном падеже; пусто — формулировка из настроек региона",
    )


class SignForm(forms.Form):
    APPROVE, RETURN = "approve", "return"
    decision = forms.ChoiceField(
        label="Решение",
        choices=[(APPROVE, "Утвердить список и подписать приказ"), (RETURN, "Вернуть на доработку")],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label="Замечания", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    confirm = forms.BooleanField(required=False)
    expected = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, candidates: int = 0, held_back: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        held = f"; не войдут (не соответствуют критериям на дату приказа): {held_back}" if held_back else ""
        self.fields["confirm"].label = (
            f"Подтверждаю подписание приказа: в список РМА войдут кандидатов — {candidates}{held}. "
            "Номер приказа будет присвоен при подписании"
        )
        self.fields["expected"].initial = candidates

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.RETURN and not (data.get("comment") or "").strip():
            self.add_error("comment", "Напишите замечания к проекту приказа")
        if data.get("decision") == self.APPROVE:
            if data.get("expected") is not None and data["expected"] != self.candidates:
                self.add_error(
                    None,
                    f"Состав списка изменился (было {data['expected']}, сейчас {self.candidates}): "
                    "проверьте его и подтвердите снова",
                )
            elif not data.get("confirm"):
                self.add_error("confirm", f"Подтвердите подписание: в приказ войдут кандидатов — {self.candidates}")
        return data


class ReviewForm(forms.Form):
    CONFIRM, EXCLUDE = "confirm", "exclude"
    decision = forms.ChoiceField(
        label="Решение",
        choices=[(CONFIRM, "Подтвердить членство (категория продлена)"), (EXCLUDE, "Исключить из РМА")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label="Основание", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class AssessmentProtocolForm(forms.Form):
    """The period of a ведомость результатов оценки: one day, or from … to …."""

    date_from = forms.DateField(label="Дата оценки (начало периода)", widget=DATE_INPUT)
    date_to = forms.DateField(label="Конец периода", widget=DATE_INPUT, required=False, help_text="пусто — один день")
    region = forms.IntegerField(widget=forms.HiddenInput)
