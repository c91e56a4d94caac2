from django.urls import path

from . import views

urlpatterns = [
    path("account/two-factor/", views.verify, name="mfa_verify"),
    path("account/two-factor/setup/", views.setup, name="mfa_setup"),
    path("account/two-factor/manage/", views.manage, name="mfa_manage"),
    path("account/two-factor/recovery-codes/", views.recovery_codes, name="mfa_recovery_codes"),
    path("account/two-factor/passkeys/<int:passkey_id>/remove/", views.passkey_delete, name="mfa_passkey_remove"),
    path("account/two-factor/turn-off/", views.turn_off, name="mfa_turn_off"),
]
