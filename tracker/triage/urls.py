from django.urls import path

from . import views

urlpatterns = [
    path(
        "patients/<int:patient_id>/flags/acknowledge-all/",
        views.acknowledge_all,
        name="flags_acknowledge_all",
    ),
]
