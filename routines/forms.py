"""Forms for clearances and programs. They check shapes (numbers, dates, lengths);
routines.services checks the rules and the view puts its messages on the form."""

import uuid

from django import forms
from django.core.exceptions import ValidationError

from .models import (
    HOLD_SECONDS_RANGE,
    MINUTES_RANGE,
    REPS_RANGE,
    SETS_RANGE,
    TIMES_PER_WEEK_RANGE,
    Decision,
    Exercise,
    Region,
)


def add_service_error(form: forms.Form, error: ValidationError) -> None:
    """Put a service's error on the form: on the field it names if the form has it, else on the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _number(label: str, bounds: tuple[int, int], *, required: bool = False, help_text: str = "") -> forms.IntegerField:
    # The browser gets the range as a hint; the service gives the message.
    return forms.IntegerField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"min": bounds[0], "max": bounds[1], "inputmode": "numeric"}),
    )


class DoseForm(forms.Form):
    sets = _number("Sets", SETS_RANGE)
    reps = _number("Repetitions", REPS_RANGE, help_text="Empty for timed exercises such as walking.")
    hold_seconds = _number("Hold (seconds)", HOLD_SECONDS_RANGE)
    minutes = _number("Minutes", MINUTES_RANGE, help_text="Only for timed exercises.")
    times_per_week = _number("Times a week", TIMES_PER_WEEK_RANGE)


class AssignmentAddForm(DoseForm):
    """Empty dose fields take the library's usual dose for the chosen exercise."""

    exercise = forms.ModelChoiceField(
        queryset=Exercise.objects.all(),
        label="Exercise",
        error_messages={"required": "Choose an exercise to add.", "invalid_choice": "Choose an exercise to add."},
    )
    field_order = ["exercise", "sets", "reps", "hold_seconds", "minutes", "times_per_week"]

    def dose(self) -> dict:
        """The typed dose, with the library's usual value for each field left empty."""
        exercise = self.cleaned_data["exercise"]
        usual = {
            "sets": exercise.default_sets,
            "reps": exercise.default_reps,
            "hold_seconds": exercise.default_hold_seconds,
            "minutes": exercise.default_minutes,
            "times_per_week": 7,
        }
        return {
            name: self.cleaned_data.get(name) if self.cleaned_data.get(name) is not None else value
            for name, value in usual.items()
        }


class VersionForm(forms.Form):
    """The version of the assignment the page showed, so a stale form is caught."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class AssignmentChangeForm(DoseForm, VersionForm):
    def dose(self) -> dict:
        data = self.cleaned_data
        return {
            "sets": data.get("sets"),
            "reps": data.get("reps"),
            "hold_seconds": data.get("hold_seconds") or 0,
            "minutes": data.get("minutes"),
            "times_per_week": data.get("times_per_week"),
        }


class AssignmentPauseForm(VersionForm):
    reason = forms.CharField(
        label="Why pause it?",
        help_text="The patient will read this.",
        max_length=1000,
        required=False,  # the service gives the message when it is empty
    )


class ClearanceForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a decision."},
    )
    regions = forms.MultipleChoiceField(
        label="Body regions allowed",
        choices=Region.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Only for “cleared with restrictions”. A full clearance covers every region.",
    )
    restrictions = forms.CharField(
        label="Restrictions",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text="What the patient must not do, in plain words. Required with restrictions.",
    )
    valid_until = forms.DateField(
        label="Last valid day (optional)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty if the decision has no end date.",
    )
    # One decision per form, however often it is sent (tracker.idempotency).
    submission_token = forms.UUIDField(widget=forms.HiddenInput, required=False, initial=uuid.uuid4)


class ExternalClearanceForm(ClearanceForm):
    doctor_name = forms.CharField(label="Doctor's name", max_length=150, required=False)
    decided_on = forms.DateField(
        label="Day of the doctor's decision",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Give the day the doctor made the decision."},
    )
    field_order = ["doctor_name", "decided_on", "decision", "regions", "restrictions", "valid_until"]


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label="Why is the approval withdrawn?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,  # the service gives the message when it is empty
        help_text="The patient and the care team will see this.",
    )
