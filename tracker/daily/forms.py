"""Forms for the daily check-in and the session log.

The forms turn what the browser sent into typed values with friendly messages;
the services (tracker.services.checkins / .sessions) apply the same rules again
and the database backs them with constraints.
"""

import uuid

from django import forms

from routines.models import Assignment
from tracker.models import Change, CheckIn, Condition, EntryStatus, Extent, User
from tracker.services.checkins import NOTE_MAX_LENGTH, PAIN_MESSAGE, checkin_red_flag_fields
from tracker.services.sessions import DOSE_LABELS, DOSE_LIMITS, prescribed_dose
from tracker.services.sessions import PAIN_MESSAGE as OPTIONAL_PAIN_MESSAGE

PAIN_CHOICES = [(number, str(number)) for number in range(11)]

# The daily safety checklist, in plain words. Each is a yes/no question.
RED_FLAG_LABELS = {
    "bladder_bowel_change": "New trouble controlling my bladder or bowels",
    "saddle_numbness": "Numbness around my genitals, bottom or inner thighs",
    "both_legs": "Weakness, pain or numbness in both legs",
    "foot_drop": "A foot that drags, slaps or catches when I walk",
    "hand_clumsiness_or_falls": "Clumsy hands, unsteady walking or a fall",
    "sudden_weakness_or_numbness": "Sudden weakness or numbness that has not gone away",
    "fever": "A fever, or feeling hot and shivery",
    "weight_loss": "Losing weight without trying",
    "night_pain": "New pain at night that does not ease when I rest",
}

CHANGE_CHOICES = [
    (Change.NONE, "None"),
    (Change.BETTER, "Better"),
    (Change.SAME, "Same"),
    (Change.WORSE, "Worse"),
    (Change.NEW, "New"),
]


def pain_labels(patient: User) -> tuple[str, str]:
    """What the two pain scores are called for this patient."""
    if patient.condition == Condition.NECK:
        return "Neck pain", "Arm pain"
    return "Back pain", "Leg pain"


def _pain_field(*, label: str, required: bool, message: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        # Optional scores start with nothing chosen; there is no "not given" tile to tap.
        choices=PAIN_CHOICES,
        coerce=int,
        empty_value=None,
        required=required,
        widget=forms.RadioSelect,
        error_messages={"required": message, "invalid_choice": message},
    )


class CheckInForm(forms.Form):
    neck_back_pain = _pain_field(label="Back pain", required=True, message=PAIN_MESSAGE)
    limb_pain = _pain_field(label="Leg pain", required=True, message=PAIN_MESSAGE)
    numbness = forms.ChoiceField(
        label="Numbness or tingling", choices=CHANGE_CHOICES, widget=forms.RadioSelect, initial=Change.NONE
    )
    weakness = forms.ChoiceField(
        label="Weakness", choices=CHANGE_CHOICES, widget=forms.RadioSelect, initial=Change.NONE
    )
    extent = forms.ChoiceField(
        label="Where do you feel it?", choices=Extent.choices, widget=forms.RadioSelect, initial=Extent.SAME
    )
    note = forms.CharField(
        label="Anything else to tell your care team? (optional)",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    submission_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, patient: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.patient = patient
        back, limb = pain_labels(patient)
        self.fields["neck_back_pain"].label = back
        self.fields["limb_pain"].label = limb
        limb_word = "arm" if patient.condition == Condition.NECK else "leg"
        self.fields["extent"].choices = [
            (Extent.RETREATING, "Moving back toward my spine"),
            (Extent.SAME, "About the same"),
            (Extent.SPREADING, f"Spreading further down my {limb_word}"),
        ]
        self.red_flag_names = checkin_red_flag_fields(patient=patient)
        for name in self.red_flag_names:
            # Never pre-ticked from an earlier day: each day's answers are fresh.
            self.fields[name] = forms.BooleanField(label=RED_FLAG_LABELS[name], required=False)

    def red_flag_fields(self):
        return [self[name] for name in self.red_flag_names]


def checkin_initial(*, patient: User, existing: CheckIn | None, previous: CheckIn | None) -> dict:
    """What the check-in form starts with.

    Editing a day shows that day's answers. A new day starts from the most
    recent earlier check-in's pain scores, so an unchanged day takes two taps
    less, and says so on the page. The "better/same/worse" answers start at
    "same" (or "none" if there was none), and the safety checklist always
    starts empty: a warning sign is never carried over from another day.
    """
    if existing is not None:
        initial = {
            name: getattr(existing, name)
            for name in ("neck_back_pain", "limb_pain", "numbness", "weakness", "extent", "note")
        }
        initial.update({name: getattr(existing, name) for name in checkin_red_flag_fields(patient=patient)})
        initial["submission_token"] = existing.submission_token
        return initial
    initial: dict = {"submission_token": uuid.uuid4()}
    if previous is not None:
        initial["neck_back_pain"] = previous.neck_back_pain
        initial["limb_pain"] = previous.limb_pain
        for name in ("numbness", "weakness"):
            initial[name] = Change.NONE if getattr(previous, name) == Change.NONE else Change.SAME
    return initial


def _dose_field(name: str, *, label: str) -> forms.IntegerField:
    maximum = DOSE_LIMITS[name]
    message = f"Enter a whole number of {DOSE_LABELS[name]} from 0 to {maximum}."
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=maximum,
        error_messages={"invalid": message, "min_value": message, "max_value": message},
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


ENTRY_FIELDS = (*DOSE_LIMITS, "status", "pain_before", "pain_after", "symptoms_worse", "note")


class SessionEntryForm(forms.Form):
    """How one exercise went. Prefixed by the assignment so a page can hold one per exercise."""

    status = forms.ChoiceField(
        label="Did you do it?",
        choices=[(EntryStatus.DONE, "Done"), (EntryStatus.SKIPPED, "Skipped")],
        widget=forms.RadioSelect,
        initial=EntryStatus.DONE,
        error_messages={"required": "Say whether you did this exercise or skipped it."},
    )
    sets_done = _dose_field("sets_done", label="Sets")
    reps_done = _dose_field("reps_done", label="Repetitions")
    hold_seconds_done = _dose_field("hold_seconds_done", label="Seconds held")
    minutes_done = _dose_field("minutes_done", label="Minutes")
    pain_before = _pain_field(label="Pain before", required=False, message=OPTIONAL_PAIN_MESSAGE)
    pain_after = _pain_field(label="Pain after", required=False, message=OPTIONAL_PAIN_MESSAGE)
    symptoms_worse = forms.BooleanField(label="My symptoms spread further or got worse", required=False)
    note = forms.CharField(
        label="Note (optional)", required=False, max_length=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, assignment: Assignment, **kwargs):
        kwargs.setdefault("prefix", f"exercise-{assignment.pk}")
        super().__init__(*args, **kwargs)
        self.assignment = assignment
        # Only the parts of a dose the prescription uses.
        if assignment.reps is None:
            del self.fields["reps_done"]
        if not assignment.hold_seconds:
            del self.fields["hold_seconds_done"]
        if assignment.minutes is None:
            del self.fields["minutes_done"]
        if assignment.minutes is not None and assignment.reps is None:
            del self.fields["sets_done"]

    def dose_fields(self):
        return [self[name] for name in DOSE_LIMITS if name in self.fields]

    def values(self) -> dict:
        """The cleaned data with every entry field present (absent dose parts are empty)."""
        return {name: self.cleaned_data.get(name) for name in ENTRY_FIELDS}


def session_entry_initial(*, assignment: Assignment, entry) -> dict:
    """An existing entry's values, or the prescription (pre-filled) for a new one."""
    if entry is not None:
        return {name: getattr(entry, name) for name in ENTRY_FIELDS}
    return {"status": EntryStatus.DONE, **prescribed_dose(assignment)}
