from django import forms

TIME_FORMATS = ["%H:%M", "%H:%M:%S"]


class _TimeChoice(forms.Form):
    enabled = forms.BooleanField(required=False)
    send_at = forms.TimeField(
        input_formats=TIME_FORMATS,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "required": "Choose a time, such as 18:00.",
            "invalid": "Write the time as hours and minutes, such as 18:00 or 07:30.",
        },
    )


class ReminderSettingsForm(_TimeChoice):
    """A patient's daily check-in reminder."""

    by_email = forms.BooleanField(required=False, label="By e-mail")
    by_push = forms.BooleanField(required=False, label="As a notification in this browser or phone")

    def __init__(self, *args, push_available: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enabled"].label = "Remind me to check in every day"
        self.fields["send_at"].label = "At this time (your time zone)"
        if not push_available:
            self.fields["by_push"].disabled = True

    def clean(self):
        data = super().clean()
        if data.get("enabled") and not data.get("by_email") and not data.get("by_push"):
            raise forms.ValidationError(
                "Choose how to remind you: by e-mail, as a notification, or both. "
                "Or untick the first box to stop reminders."
            )
        return data


class DigestSettingsForm(_TimeChoice):
    """A clinician's daily digest of flags."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enabled"].label = "Send me a daily e-mail of new and open flags"
        self.fields["send_at"].label = "At this time (your time zone)"


class PushSubscriptionForm(forms.Form):
    """What a browser's PushManager.subscribe() answers, as the subscribe script posts it."""

    endpoint = forms.URLField(max_length=2000, assume_scheme="https")
    p256dh = forms.RegexField(regex=r"^[A-Za-z0-9_\-=]{20,200}$", max_length=200)
    auth = forms.RegexField(regex=r"^[A-Za-z0-9_\-=]{8,100}$", max_length=100)

    def clean_endpoint(self):
        endpoint = self.cleaned_data["endpoint"]
        if not endpoint.startswith("https://"):
            raise forms.ValidationError("A push endpoint must be an https:// address.")
        return endpoint
