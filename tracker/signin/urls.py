from django.urls import path

from . import views

urlpatterns = [
    # Before django.contrib.auth.urls, so this (queued, rate-limited) one answers for "password_reset".
    path("accounts/password_reset/", views.password_reset, name="password_reset"),
    path("account/session/keep-alive/", views.keep_alive, name="session_keep_alive"),
    path("account/sessions/sign-out-others/", views.other_devices_sign_out, name="sign_out_other_devices"),
]
