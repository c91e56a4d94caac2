from django.urls import path

from . import views

urlpatterns = [
    path("my/questionnaire/", views.questionnaire, name="questionnaire"),
    path("patients/<int:patient_id>/questionnaire/ask/", views.questionnaire_ask, name="questionnaire_ask"),
]
