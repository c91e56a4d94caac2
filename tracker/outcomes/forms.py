"""The patient's questionnaire form: activities (first time), their ratings, PEG and, after the first, PGIC."""

import uuid

from django import forms

from .instruments import (
    PEG_QUESTIONS,
    PGIC_CHOICES,
    PGIC_QUESTION,
    PSFS_MAX_ACTIVITIES,
    PSFS_MIN_ACTIVITIES,
    PSFS_RATING_QUESTION,
)
from .models import PsfsActivity

RATING_CHOICES = [(value, str(value)) for value in range(11)]
RATING_MESSAGE = "Choose a number from 0 to 10."


def _rating(label: str, *, required: bool = True) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=RATING_CHOICES,
        coerce=int,
        required=required,
        empty_value=None,
        widget=forms.RadioSelect,
        error_messages={"required": RATING_MESSAGE, "invalid_choice": RATING_MESSAGE},
    )


class QuestionnaireForm(forms.Form):
    submission_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, baseline: bool, activities: list[PsfsActivity], **kwargs):
        kwargs.setdefault("initial", {}).setdefault("submission_token", uuid.uuid4())
        super().__init__(*args, **kwargs)
        self.baseline = baseline
        if baseline:
            for position in range(1, PSFS_MAX_ACTIVITIES + 1):
                self.fields[f"activity_{position}"] = forms.CharField(
                    label=f"Activity {position}{'' if position <= PSFS_MIN_ACTIVITIES else ' (if you want)'}",
                    max_length=80,
                    required=False,
                    error_messages={"max_length": "Keep each activity to 80 characters or fewer."},
                )
                self.fields[f"rating_{position}"] = _rating(
                    f"{PSFS_RATING_QUESTION} (activity {position})", required=False
                )
        else:
            for activity in activities:
                self.fields[f"rating_{activity.position}"] = _rating(f"{activity.name}: {PSFS_RATING_QUESTION.lower()}")
        for question in PEG_QUESTIONS:
            self.fields[question.link_id] = _rating(question.text)
        if not baseline:
            self.fields["pgic"] = forms.TypedChoiceField(
                label=PGIC_QUESTION,
                choices=[(value, words) for value, words, _ in PGIC_CHOICES],
                coerce=int,
                empty_value=None,
                widget=forms.RadioSelect,
                error_messages={
                    "required": "Choose how your problem has changed since you started.",
                    "invalid_choice": "Choose one of the answers.",
                },
            )
        self.activity_positions = (
            list(range(1, PSFS_MAX_ACTIVITIES + 1)) if baseline else [a.position for a in activities]
        )

    def activity_rows(self):
        """(name field or None, rating field, saved activity name) for the template."""
        return [
            (self[f"activity_{p}"] if self.baseline else None, self[f"rating_{p}"]) for p in self.activity_positions
        ]

    def peg_fields(self):
        return [(self[question.link_id], question) for question in PEG_QUESTIONS]

    def clean(self):
        cleaned = super().clean()
        if self.baseline:
            named = 0
            for position in self.activity_positions:
                name = (cleaned.get(f"activity_{position}") or "").strip()
                rating = cleaned.get(f"rating_{position}")
                if name and rating is None and f"rating_{position}" not in self.errors:
                    self.add_error(f"rating_{position}", f"Rate “{name}” from 0 to 10.")
                if not name and rating is not None:
                    self.add_error(f"activity_{position}", "Write the activity you are rating, or clear its rating.")
                named += bool(name)
            if named < PSFS_MIN_ACTIVITIES:
                raise forms.ValidationError(
                    "Name at least %(least)s activities that are hard for you now, and rate each one.",
                    params={"least": PSFS_MIN_ACTIVITIES},
                    code="too_few_activities",
                )
        return cleaned

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        rated = [p for p in self.activity_positions if data.get(f"rating_{p}") is not None]
        if self.baseline:
            rated = [p for p in rated if (data.get(f"activity_{p}") or "").strip()]
        return {
            "activity_names": [data[f"activity_{p}"] for p in rated] if self.baseline else None,
            "psfs_ratings": [data[f"rating_{p}"] for p in rated],
            "peg": {question.link_id: data[question.link_id] for question in PEG_QUESTIONS},
            "pgic": data.get("pgic"),
            "submission_token": data["submission_token"],
        }
