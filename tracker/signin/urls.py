from django.urls import path

from . import views

urlpatterns = [
    # Before django.contrib.auth.urls, so these answer for "login" and "password_reset".
    path("accounts/login/", views.login, name="login"),
    path("accounts/password_reset/", views.password_reset, name="password_reset"),
    path("account/session/keep-alive/", views.keep_alive, name="session_keep_alive"),
    path("account/sessions/sign-out-others/", views.other_devices_sign_out, name="sign_out_other_devices"),
]
