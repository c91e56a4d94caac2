import re
import uuid
from datetime import date

from django import forms
from django.contrib.auth import password_validation
from django.utils import timezone

from tracker.models import Condition, Role, User
from tracker.models.accounts import validate_time_zone

from .models import Clinic

PHONE_PATTERN = re.compile(r"^\+?[0-9 ()\-]{6,30}$")


def clean_phone(value: str) -> str:
    value = (value or "").strip()
    if value and not PHONE_PATTERN.match(value):
        raise forms.ValidationError("Write the phone number with digits only (spaces, + and brackets are fine).")
    return value


def clean_date_of_birth(value: date | None) -> date | None:
    if value is None:
        return None
    if value > timezone.localdate():
        raise forms.ValidationError("The date of birth cannot be in the future.")
    if value.year < 1900:
        raise forms.ValidationError("Check the year of birth: it should be after 1900.")
    return value


class TimeZoneField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("validators", [validate_time_zone])
        kwargs.setdefault("help_text", "A place name such as Europe/London or America/New_York.")
        super().__init__(**kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class InvitationForm(forms.Form):
    """Invite a patient (with `role` patient) or a clinician to the inviter's clinic."""

    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    email = forms.EmailField(label="E-mail")
    role = forms.ChoiceField(choices=[(Role.PHYSIOTHERAPIST, "Physiotherapist"), (Role.DOCTOR, "Doctor")])
    condition = forms.ChoiceField(
        choices=Condition.choices, widget=forms.RadioSelect, label="Where is the pinched nerve?"
    )
    time_zone = TimeZoneField()
    date_of_birth = forms.DateField(widget=DateInput)
    phone = forms.CharField(max_length=40, required=False, widget=forms.TextInput(attrs={"type": "tel"}))
    clinic_patient_id = forms.CharField(max_length=40, required=False, label="Clinic patient id")
    submission_token = forms.UUIDField(widget=forms.HiddenInput, required=False, initial=uuid.uuid4)

    def __init__(self, *args, patient: bool, clinic: Clinic, **kwargs):
        super().__init__(*args, **kwargs)
        self.patient = patient
        self.fields["time_zone"].initial = clinic.time_zone
        if patient:
            del self.fields["role"]
        else:
            for name in ("condition", "time_zone", "date_of_birth", "clinic_patient_id"):
                del self.fields[name]

    def clean_phone(self):
        return clean_phone(self.cleaned_data.get("phone"))

    def clean_date_of_birth(self):
        return clean_date_of_birth(self.cleaned_data.get("date_of_birth"))

    def clean_first_name(self):
        return self.cleaned_data["first_name"].strip()

    def clean_last_name(self):
        return self.cleaned_data["last_name"].strip()

    def invitation_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("submission_token", None)
        data["role"] = Role.PATIENT if self.patient else data["role"]
        return data


class AcceptInvitationForm(forms.Form):
    """Joining through an invitation: confirm the details, choose a password, accept the terms."""

    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    date_of_birth = forms.DateField(widget=DateInput)
    phone = forms.CharField(max_length=40, required=False, widget=forms.TextInput(attrs={"type": "tel"}))
    new_password1 = forms.CharField(
        label="Choose a password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 8 characters. Not a common password, and not only numbers.",
    )
    new_password2 = forms.CharField(
        label="Type the password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    accept_terms = forms.BooleanField(label="I accept the terms and privacy notice")

    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation
        if not invitation.is_patient:
            del self.fields["date_of_birth"]
        self.fields["accept_terms"].error_messages["required"] = "Tick the box to accept the terms and privacy notice."

    def clean_phone(self):
        return clean_phone(self.cleaned_data.get("phone"))

    def clean_date_of_birth(self):
        return clean_date_of_birth(self.cleaned_data.get("date_of_birth"))

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("new_password1"), cleaned.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", "The two passwords are not the same. Type them again.")
        elif first:
            someone = User(
                username=self.invitation.email,
                email=self.invitation.email,
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(first, someone)
            except forms.ValidationError as error:
                self.add_error("new_password1", error)
        return cleaned


class ClinicForm(forms.ModelForm):
    class Meta:
        model = Clinic
        fields = ["name", "phone", "emergency_number", "time_zone", "address"]
        labels = {"emergency_number": "Local emergency number"}
        widgets = {"address": forms.Textarea(attrs={"rows": 3}), "phone": forms.TextInput(attrs={"type": "tel"})}

    def clean_phone(self):
        return clean_phone(self.cleaned_data.get("phone"))

    def clean_emergency_number(self):
        value = (self.cleaned_data.get("emergency_number") or "").strip()
        if value and not re.fullmatch(r"[0-9]{2,6}", value):
            raise forms.ValidationError("An emergency number is 2 to 6 digits, such as 999, 911 or 112.")
        return value


class CareTeamAddForm(forms.Form):
    clinician = forms.ModelChoiceField(queryset=User.objects.none(), label="Colleague", empty_label="Choose…")

    def __init__(self, *args, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clinician"].queryset = colleagues
        self.fields["clinician"].label_from_instance = lambda user: f"{user.display_name} ({user.get_role_display()})"


class DischargeForm(forms.Form):
    reason = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For the record, e.g. “Goals met; managing on their own.”",
    )
    submission_token = forms.UUIDField(widget=forms.HiddenInput, required=False, initial=uuid.uuid4)


class AccountForm(forms.Form):
    """A patient's own details: e-mail (confirmed by a link before it changes), phone and time zone."""

    email = forms.EmailField(label="E-mail")
    phone = forms.CharField(max_length=40, required=False, widget=forms.TextInput(attrs={"type": "tel"}))
    time_zone = TimeZoneField()

    def clean_phone(self):
        return clean_phone(self.cleaned_data.get("phone"))
