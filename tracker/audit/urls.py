from django.urls import path

from . import views

urlpatterns = [
    path("my/record-views/", views.my_record_views, name="my_record_views"),
    path("clinic/audit/", views.audit_review, name="audit_review"),
    path("clinic/audit/export.csv", views.audit_export, name="audit_export"),
]
