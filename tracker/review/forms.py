import uuid

from django import forms

from ..models import ClinicalNote


class NoteForm(forms.Form):
    body = forms.CharField(
        label="Note",
        max_length=ClinicalNote._meta.get_field("body").max_length,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Seen by the care team only. Edits keep the earlier wording.",
        error_messages={"required": "Write something in the note before saving it."},
    )
    # One note per form, however often it is sent (tracker.idempotency).
    submission_token = forms.UUIDField(widget=forms.HiddenInput, required=False, initial=uuid.uuid4)
