from django.urls import path

from . import views

urlpatterns = [
    path("clinic/invitations/", views.invitation_list, name="invitation_list"),
    path("clinic/invitations/new/", views.invitation_new, name="invitation_new"),
    path("clinic/invitations/new-clinician/", views.clinician_invite, name="clinician_invite"),
    path("clinic/invitations/<int:invitation_id>/resend/", views.invitation_resend, name="invitation_resend"),
    path("clinic/invitations/<int:invitation_id>/cancel/", views.invitation_cancel, name="invitation_cancel"),
    path("join/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("terms/", views.terms, name="clinic_terms"),
    path("clinic/", views.clinic_edit, name="clinic_edit"),
    path("clinic/clinicians/", views.clinician_list, name="clinician_list"),
    path("clinic/clinicians/<int:clinician_id>/approve/", views.clinician_approve, name="clinician_approve"),
    path("clinic/clinicians/<int:clinician_id>/deactivate/", views.clinician_deactivate, name="clinician_deactivate"),
    path(
        "clinic/clinicians/<int:clinician_id>/reset-second-step/",
        views.clinician_second_factors_reset,
        name="clinician_second_factors_reset",
    ),
    path("patients/<int:patient_id>/care-team/", views.care_team, name="care_team"),
    path("patients/<int:patient_id>/care-team/<int:link_id>/end/", views.care_team_end, name="care_team_end"),
    path("patients/<int:patient_id>/discharge/", views.patient_discharge, name="patient_discharge"),
    path("patients/<int:patient_id>/readmit/", views.patient_readmit, name="patient_readmit"),
    path("caseload/discharged/", views.discharged_list, name="discharged_list"),
    path("my/discharged/", views.my_discharged, name="my_discharged"),
    path("my/account/", views.my_account, name="my_account"),
    path("account/email/<str:token>/", views.account_email_confirm, name="account_email_confirm"),
]
