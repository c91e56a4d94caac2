"""Clinic pages: invitations and joining, the manager's pages, care teams, discharge and the patient's account.

Access is decided here and in tracker.clinics.selectors / tracker.selectors:
anything of another clinic, or of a patient not on the visitor's caseload,
answers 404.
"""

from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tracker.decorators import role_required
from tracker.models import CareTeamMembership, Role
from tracker.selectors import colleagues_of, patient_for_clinician
from tracker.signin.addresses import client_address

from . import services
from .forms import AcceptInvitationForm, AccountForm, CareTeamAddForm, ClinicForm, DischargeForm, InvitationForm
from .models import InvitationStatus
from .selectors import (
    care_team_links,
    clinician_for_manager,
    clinicians_of_clinic,
    discharged_patients,
    invitation_for_clinician,
    invitations_of_clinic,
    managed_clinic,
)
from .terms import TERMS_VERSION
from .tokens import LinkProblem, read_email_change_token, read_invitation_token

CLINICIANS = (Role.PHYSIOTHERAPIST, Role.DOCTOR)
INVITATION_STATUSES = [
    (InvitationStatus.PENDING, "Waiting"),
    (InvitationStatus.EXPIRED, "Expired"),
    (InvitationStatus.ACCEPTED, "Joined"),
    (InvitationStatus.CANCELLED, "Cancelled"),
]


def base_url(request) -> str:
    """Where links in e-mails point: SITE_URL, or the address this request came to."""
    return settings.SITE_URL or request.build_absolute_uri("/").rstrip("/")


def _apply_form_error(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# Invitations (clinicians of the clinic).


@require_GET
@role_required(*CLINICIANS)
def invitation_list(request):
    """The clinic's invitations: waiting, expired, joined and cancelled, with resend and cancel."""
    invitations = list(invitations_of_clinic(user=request.user)[:200])
    groups = {status: [] for status, _ in INVITATION_STATUSES}
    for invitation in invitations:
        groups[invitation.status].append(invitation)
    return render(
        request,
        "clinics/invitation_list.html",
        {"groups": [(status, label, groups[status]) for status, label in INVITATION_STATUSES]},
    )


def _invite(request, *, patient: bool):
    clinic = request.user.clinic
    form = InvitationForm(request.POST or None, patient=patient, clinic=clinic)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, created = services.invitation_create(
                by=request.user,
                base_url=base_url(request),
                submission_token=form.cleaned_data.get("submission_token"),
                **form.invitation_fields(),
            )
        except ValidationError as error:
            _apply_form_error(form, error)
        else:
            if created:
                messages.success(request, f"Invitation sent to {invitation.email}. The link works for 7 days.")
            else:
                messages.success(request, f"{invitation.email} already had an invitation waiting: we sent it again.")
            return redirect("invitation_list")
    return render(request, "clinics/invite.html", {"form": form, "patient": patient, "clinic": clinic})


@require_http_methods(["GET", "POST"])
@role_required(*CLINICIANS)
def invitation_new(request):
    """Invite a patient: they get an e-mail with a link to join; the inviter joins their care team."""
    return _invite(request, patient=True)


@require_http_methods(["GET", "POST"])
@role_required(*CLINICIANS)
def clinician_invite(request):
    """Invite a physiotherapist or doctor; the clinic manager approves them once they have joined."""
    return _invite(request, patient=False)


@require_POST
@role_required(*CLINICIANS)
def invitation_resend(request, invitation_id: int):
    invitation = invitation_for_clinician(user=request.user, invitation_id=invitation_id)
    try:
        services.invitation_resend(invitation=invitation, by=request.user, base_url=base_url(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Sent again to {invitation.email}. The new link works for 7 days.")
    return redirect("invitation_list")


@require_POST
@role_required(*CLINICIANS)
def invitation_cancel(request, invitation_id: int):
    invitation = invitation_for_clinician(user=request.user, invitation_id=invitation_id)
    try:
        services.invitation_cancel(invitation=invitation, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Invitation to {invitation.email} cancelled. Its link no longer works.")
    return redirect("invitation_list")


# Joining (anyone with the link).

LINK_PROBLEMS = {
    "forged": (
        "This link does not work",
        "The link may have been cut short or changed when it was copied. Open it again straight from the e-mail. "
        "If it still does not work, ask your clinic to send a new invitation.",
    ),
    "expired": (
        "This invitation has expired",
        "Invitation links work for 7 days. Ask your clinic to send it again: you will get a new e-mail.",
    ),
    "used": (
        "This invitation has already been used",
        "Your account is set up. Sign in with your e-mail address and the password you chose.",
    ),
    "cancelled": (
        "This invitation was cancelled",
        "Your clinic cancelled it. If you think that is a mistake, please call the clinic.",
    ),
    "replaced": (
        "There is a newer invitation",
        "Your clinic sent the invitation again, so only the link in the newest e-mail works. Open that one.",
    ),
    "email_done": ("This e-mail address is already confirmed", "Your account already uses it. Nothing else to do."),
    "replaced_email": (
        "This link is out of date",
        "Your e-mail address changed since this link was sent. To change it again, go to My account.",
    ),
    "email_taken": (
        "This e-mail address cannot be used",
        "Another account uses it. Choose a different address under My account, or call your clinic.",
    ),
    "registered": (
        "You already have an account",
        "This e-mail address already has an account. Sign in with it, or ask the clinic to invite another address.",
    ),
}


def _link_problem(request, problem: LinkProblem):
    title, advice = LINK_PROBLEMS.get(problem.code, LINK_PROBLEMS["forged"])
    return render(
        request,
        "clinics/link_problem.html",
        {"title": title, "advice": advice, "code": problem.code},
        # A clear page, answered as "gone" (expired, used, cancelled) or "bad request" (forged).
        status=400 if problem.code == "forged" else 410,
    )


@require_http_methods(["GET", "POST"])
def invitation_accept(request, token: str):
    """Join the clinic from the e-mailed link: details, a password and the terms. Works on a phone."""
    if request.user.is_authenticated:
        return render(request, "clinics/signed_in_already.html")
    try:
        claim = read_invitation_token(token)
        invitation = services.invitation_for_link(claim)
    except LinkProblem as problem:
        return _link_problem(request, problem)
    initial = {
        "first_name": invitation.first_name,
        "last_name": invitation.last_name,
        "date_of_birth": invitation.date_of_birth,
        "phone": invitation.phone,
    }
    form = AcceptInvitationForm(request.POST or None, invitation=invitation, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.invitation_accept(
                claim=claim,
                password=data["new_password1"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                date_of_birth=data.get("date_of_birth"),
                phone=data.get("phone", ""),
                accepted_terms=data["accept_terms"],
            )
        except LinkProblem as problem:
            return _link_problem(request, problem)
        except ValidationError as error:
            _apply_form_error(form, error)
        else:
            if not user.is_patient:
                return render(request, "clinics/awaiting_approval.html", {"clinic": invitation.clinic})
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome, {user.first_name}. You are signed in.")
            return redirect("patient_home")
    return render(
        request,
        "clinics/accept.html",
        {"form": form, "invitation": invitation, "clinic": invitation.clinic, "terms_version": TERMS_VERSION},
    )


@require_GET
def terms(request):
    """The terms and privacy notice people accept when they join (TERMS_VERSION)."""
    return render(request, "clinics/terms.html", {"terms_version": TERMS_VERSION})


# The clinic manager's pages.


@require_http_methods(["GET", "POST"])
@role_required(*CLINICIANS)
def clinic_edit(request):
    """The clinic's details: name, phone shown to patients, local emergency number, time zone, address."""
    clinic = managed_clinic(user=request.user)
    form = ClinicForm(request.POST or None, instance=clinic)
    if request.method == "POST" and form.is_valid():
        try:
            services.clinic_update(manager=request.user, clinic=clinic, **form.cleaned_data)
        except ValidationError as error:
            _apply_form_error(form, error)
        else:
            messages.success(request, "Clinic details saved.")
            return redirect("clinic_edit")
    return render(request, "clinics/clinic_edit.html", {"form": form, "clinic": clinic})


@require_GET
@role_required(*CLINICIANS)
def clinician_list(request):
    """The clinic's physiotherapists and doctors: approve new ones, deactivate, reset a second step."""
    clinic = managed_clinic(user=request.user)
    clinicians = list(clinicians_of_clinic(manager=request.user))
    for clinician in clinicians:
        invitation = getattr(clinician, "invitation", None)
        clinician.awaiting_approval = (
            not clinician.is_active and invitation is not None and invitation.approved_at is None
        )
    return render(request, "clinics/clinician_list.html", {"clinic": clinic, "clinicians": clinicians})


def _manager_action(request, clinician_id: int, action, done: str):
    clinician = clinician_for_manager(manager=request.user, clinician_id=clinician_id)
    try:
        action(manager=request.user, clinician=clinician)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done.format(name=clinician.display_name))
    return redirect("clinician_list")


@require_POST
@role_required(*CLINICIANS)
def clinician_approve(request, clinician_id: int):
    return _manager_action(
        request, clinician_id, services.clinician_approve, "{name} can now sign in (and will set up a second step)."
    )


@require_POST
@role_required(*CLINICIANS)
def clinician_deactivate(request, clinician_id: int):
    return _manager_action(
        request, clinician_id, services.clinician_deactivate, "{name} can no longer sign in. Nothing was deleted."
    )


@require_POST
@role_required(*CLINICIANS)
def clinician_second_factors_reset(request, clinician_id: int):
    return _manager_action(
        request,
        clinician_id,
        partial(services.clinician_second_factors_reset, client_address=client_address(request)),
        "{name}'s second step was reset: they set up a new one at their next sign-in.",
    )


# Care teams (a patient's care team).


def _care_team_page(request, patient, form, status=200):
    links = list(care_team_links(patient=patient))
    return render(
        request,
        "clinics/care_team.html",
        {
            "patient": patient,
            "current": [link for link in links if link.is_active],
            "ended": [link for link in links if not link.is_active],
            "form": form,
        },
        status=status,
    )


def _colleagues_to_add(request, patient):
    linked = CareTeamMembership.objects.active().filter(patient=patient).values("clinician_id")
    return colleagues_of(user=request.user).exclude(pk__in=linked)


@require_http_methods(["GET", "POST"])
@role_required(*CLINICIANS)
def care_team(request, patient_id: int):
    """Who looks after this patient; add a colleague of the clinic, or end a link (kept on record)."""
    patient = patient_for_clinician(user=request.user, patient_id=patient_id)
    form = CareTeamAddForm(request.POST or None, colleagues=_colleagues_to_add(request, patient))
    if request.method == "POST" and form.is_valid():
        clinician = form.cleaned_data["clinician"]
        try:
            services.care_team_add(patient=patient, clinician=clinician, by=request.user)
        except ValidationError as error:
            _apply_form_error(form, error)
        else:
            messages.success(request, f"{clinician.display_name} is now on {patient.display_name}'s care team.")
            return redirect("care_team", patient_id=patient.pk)
    return _care_team_page(request, patient, form)


@require_POST
@role_required(*CLINICIANS)
def care_team_end(request, patient_id: int, link_id: int):
    patient = patient_for_clinician(user=request.user, patient_id=patient_id)
    link = get_object_or_404(
        CareTeamMembership.objects.active().select_related("clinician"), pk=link_id, patient=patient
    )
    services.care_team_end(link=link, by=request.user)
    if link.clinician_id == request.user.pk:
        messages.success(request, f"You are no longer on {patient.display_name}'s care team.")
        return redirect("caseload")
    messages.success(request, f"{link.clinician.display_name} is no longer on {patient.display_name}'s care team.")
    return redirect("care_team", patient_id=patient.pk)


# Discharge and re-admission.


@require_http_methods(["GET", "POST"])
@role_required(*CLINICIANS)
def patient_discharge(request, patient_id: int):
    """Discharge with a reason: off the caseload, program stopped, no flags; nothing is deleted."""
    patient = patient_for_clinician(user=request.user, patient_id=patient_id)
    if patient.discharged_at is not None:
        messages.info(request, f"{patient.display_name} is already discharged.")
        return redirect("patient_detail", patient_id=patient.pk)
    form = DischargeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.patient_discharge(
                patient=patient,
                by=request.user,
                reason=form.cleaned_data["reason"],
                submission_token=form.cleaned_data.get("submission_token"),
            )
        except ValidationError as error:
            _apply_form_error(form, error)
        else:
            messages.success(
                request, f"{patient.display_name} is discharged. Find them under Discharged patients to re-admit."
            )
            return redirect("caseload")
    return render(request, "clinics/discharge.html", {"patient": patient, "form": form})


@require_POST
@role_required(*CLINICIANS)
def patient_readmit(request, patient_id: int):
    """Re-admit: the same care team, program and flag checks as before the discharge."""
    patient = patient_for_clinician(user=request.user, patient_id=patient_id)
    services.patient_readmit(patient=patient, by=request.user)
    messages.success(request, f"{patient.display_name} is back on the caseload of their care team.")
    return redirect("patient_detail", patient_id=patient.pk)


@require_GET
@role_required(*CLINICIANS)
def discharged_list(request):
    """The visitor's discharged patients (their care-team links are kept), newest discharge first."""
    patients = list(discharged_patients(user=request.user)[:500])
    return render(request, "clinics/discharged_list.html", {"patients": patients})


@require_GET
@role_required(Role.PATIENT)
def my_discharged(request):
    """What a discharged patient sees: they are discharged, and how to download their data."""
    if request.user.discharged_at is None:
        return redirect("patient_home")
    return render(request, "clinics/my_discharged.html", {"clinic": request.user.clinic})


# The patient's own account.


@require_http_methods(["GET", "POST"])
@role_required(Role.PATIENT)
def my_account(request):
    """A patient's e-mail, phone and time zone. A new e-mail takes effect once confirmed from its inbox."""
    user = request.user
    initial = {"email": user.email, "phone": user.phone, "time_zone": user.time_zone}
    form = AccountForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.account_update(user=user, base_url=base_url(request), **form.cleaned_data)
        except ValidationError as error:
            _apply_form_error(form, error)
        else:
            if sent:
                messages.success(
                    request,
                    f"Saved. We sent a link to {form.cleaned_data['email']}: open it to start using that address. "
                    f"Until then we keep using {user.email or 'your old address'}.",
                )
            else:
                messages.success(request, "Saved.")
            return redirect("my_account")
    return render(request, "clinics/my_account.html", {"form": form})


@require_GET
def account_email_confirm(request, token: str):
    """The link sent to a new e-mail address: from now on the account uses it."""
    try:
        user = services.email_change_confirm(claim=read_email_change_token(token))
    except LinkProblem as problem:
        return _link_problem(request, problem)
    return render(request, "clinics/email_confirmed.html", {"email": user.email})
