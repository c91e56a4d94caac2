from django import forms

CODE_FIELD = {
    "max_length": 64,
    "widget": forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autocapitalize": "off"}),
}


class SetupCodeForm(forms.Form):
    token = forms.CharField(
        label="The 6-digit code your app shows",
        error_messages={"required": "Enter the 6 digits your app shows."},
        **CODE_FIELD,
    )


class VerifyCodeForm(forms.Form):
    token = forms.CharField(
        label="Code from your authenticator app, or a recovery code",
        error_messages={"required": "Enter the 6 digits your app shows, or one of your recovery codes."},
        **CODE_FIELD,
    )
