from django.apps import AppConfig


class SigninConfig(AppConfig):
    name = "tracker.signin"
    label = "signin"
    verbose_name = "Signing in"
