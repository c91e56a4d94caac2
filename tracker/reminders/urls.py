from django.urls import path

from . import views

urlpatterns = [
    path("my/reminders/", views.reminder_settings, name="reminder_settings"),
    path("my/reminders/browser/", views.push_subscribe_view, name="push_subscribe"),
    path("my/reminders/browser/remove/", views.push_unsubscribe_view, name="push_unsubscribe"),
    path("caseload/digest/", views.digest_settings, name="digest_settings"),
    path("reminders/stop/<str:token>/", views.unsubscribe, name="reminder_unsubscribe"),
    path("service-worker.js", views.service_worker, name="service_worker"),
    path("manifest.webmanifest", views.web_manifest, name="web_manifest"),
]
