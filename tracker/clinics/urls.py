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
]
