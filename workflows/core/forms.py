from django import forms


class ExtendDeadlineForm(forms.Form):
    new_due_date = forms.DateField(
        label="Новый срок",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="если это выходной, срок перейдёт на следующий рабочий день",
    )
    reason = forms.CharField(label="Причина продления", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class ReassignForm(forms.Form):
    colleague = forms.ModelChoiceField(label="Коллега", queryset=None, empty_label=None)
    reason = forms.CharField(label="Причина", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["colleague"].queryset = colleagues
        self.fields["colleague"].label_from_instance = lambda user: user.get_full_name() or user.get_username()


class SubstitutionForm(forms.Form):
    absent = forms.ModelChoiceField(label="Отсутствующий", queryset=None)
    substitute = forms.ModelChoiceField(label="Замещающий", queryset=None)
    starts_on = forms.DateField(label="С", widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label="По", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="Основание", max_length=300)

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("absent", "substitute"):
            self.fields[name].queryset = users
            self.fields[name].label_from_instance = lambda user: user.get_full_name() or user.get_username()

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            raise forms.ValidationError("Дата окончания раньше даты начала")
        if data.get("absent") and data.get("absent") == data.get("substitute"):
            raise forms.ValidationError("Сотрудник не может замещать сам себя")
        return data
