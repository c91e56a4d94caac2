from datetime import date

from django import forms

from .models import AuditAction

ACTION_CHOICES = [
    ("", "Anything"),
    (AuditAction.READ, "Looked"),
    (AuditAction.CHANGE, "Changed"),
    ("refused", "Refused attempts"),
]
EARLIEST = date(2000, 1, 1)
LATEST = date(2199, 12, 31)


class AuditFilterForm(forms.Form):
    """The review's filters. Every field is optional; bad values are explained, never a 500."""

    person = forms.CharField(
        required=False, max_length=150, label="Staff member or user", help_text="Name or username."
    )
    patient = forms.CharField(required=False, max_length=150, label="Patient", help_text="Name or username.")
    action = forms.ChoiceField(required=False, choices=ACTION_CHOICES, label="What")
    start = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def _clean_day(self, name: str):
        value = self.cleaned_data.get(name)
        if value is not None and not EARLIEST <= value <= LATEST:
            raise forms.ValidationError(f"Choose a date between {EARLIEST:%Y} and {LATEST:%Y}.")
        return value

    def clean_start(self):
        return self._clean_day("start")

    def clean_end(self):
        return self._clean_day("end")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "The end date is before the start date.")
        return cleaned

    def filters(self) -> dict:
        """The filters to apply; none when the form has mistakes (the page says which)."""
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value not in ("", None)}
