"""Inviting people to a clinic and joining through the e-mailed link."""

import re
import time
import types
import uuid
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from tests.background import run_queued_tasks
from tests.factories import ClinicFactory, PatientFactory, PhysiotherapistFactory
from tests.tracker.clinics.helpers import InvitationFactory
from tracker.clinics import services
from tracker.clinics.models import ConsentRecord, Invitation
from tracker.clinics.terms import TERMS_VERSION
from tracker.clinics.tokens import LinkProblem, invitation_token, read_invitation_token
from tracker.models import CareTeamMembership, User

pytestmark = pytest.mark.django_db

PATIENT_FORM = {
    "first_name": "Nia",
    "last_name": "Newton",
    "email": "Nia.Newton@Example.org",
    "condition": "neck",
    "time_zone": "Europe/London",
    "date_of_birth": "1980-05-04",
    "phone": "07700 900123",
    "clinic_patient_id": "RS-1042",
}
JOIN_FORM = {
    "first_name": "Nia",
    "last_name": "Newton",
    "date_of_birth": "1980-05-04",
    "phone": "07700 900123",
    "new_password1": "bright-river-stone-42",
    "new_password2": "bright-river-stone-42",
    "accept_terms": "on",
}


def emailed_link() -> str:
    run_queued_tasks()
    return re.search(r"https?://\S+/join/\S+/", mail.outbox[-1].body).group(0)


def path_of(link: str) -> str:
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


def test_a_physio_invites_a_patient_who_joins_on_the_link(client, clinic):
    client.force_login(clinic.linked_physio)
    response = client.post(reverse("invitation_new"), PATIENT_FORM)
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "nia.newton@example.org"
    assert invitation.clinic == clinic.linked_physio.clinic
    assert invitation.status == "pending"
    link = emailed_link()
    assert mail.outbox[-1].to == ["nia.newton@example.org"]

    client.logout()
    page = client.get(path_of(link))
    assert page.status_code == 200
    assert "Join" in page.content.decode()
    response = client.post(path_of(link), JOIN_FORM)
    assert response.status_code == 302
    assert response["Location"] == reverse("patient_home")
    patient = User.objects.get(email="nia.newton@example.org")
    assert patient.is_patient
    assert patient.condition == "neck"
    assert patient.clinic == clinic.linked_physio.clinic
    assert patient.clinic_patient_id == "RS-1042"
    assert str(patient.date_of_birth) == "1980-05-04"
    assert patient.check_password("bright-river-stone-42")
    assert CareTeamMembership.objects.active().filter(patient=patient, clinician=clinic.linked_physio).exists()
    assert list(ConsentRecord.objects.filter(user=patient).values_list("version", flat=True)) == [TERMS_VERSION]
    # Signed in straight away: the Today page opens.
    assert client.get(reverse("patient_home")).status_code == 200


def test_the_link_works_once(client, clinic):
    token = invitation_token(InvitationFactory(invited_by=clinic.linked_physio))
    url = reverse("invitation_accept", args=[token])
    assert client.post(url, JOIN_FORM).status_code == 302
    client.logout()
    response = client.post(url, JOIN_FORM)
    assert response.status_code == 410
    assert "already been used" in response.content.decode()
    assert User.objects.filter(email__startswith="invitee").count() == 1


def test_a_double_submit_of_the_join_form_makes_one_account(client, clinic):
    invitation = InvitationFactory(invited_by=clinic.linked_physio)
    claim = read_invitation_token(invitation_token(invitation))
    fields = {"password": "bright-river-stone-42", "first_name": "Ivy", "last_name": "Invitee", "accepted_terms": True}
    services.invitation_accept(claim=claim, **fields)
    with pytest.raises(LinkProblem) as problem:
        services.invitation_accept(claim=claim, **fields)
    assert problem.value.code == "used"
    assert User.objects.filter(email=invitation.email).count() == 1
    assert ConsentRecord.objects.count() == 1


def test_an_expired_link_says_to_ask_for_a_new_one(client, clinic, monkeypatch):
    eight_days_ago = time.time() - timedelta(days=8).total_seconds()
    invitation = InvitationFactory(invited_by=clinic.linked_physio, sent_at=timezone.now() - timedelta(days=8))
    monkeypatch.setattr(signing, "time", types.SimpleNamespace(time=lambda: eight_days_ago))
    token = invitation_token(invitation)
    monkeypatch.undo()
    response = client.get(reverse("invitation_accept", args=[token]))
    assert response.status_code == 410
    assert "This invitation has expired" in response.content.decode()
    assert "Ask your clinic to send it again" in response.content.decode()
    assert invitation.status == "expired"


def test_a_changed_link_is_refused_with_what_to_do(client, clinic):
    token = invitation_token(InvitationFactory(invited_by=clinic.linked_physio))
    for forged in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), "not-a-token", "x" * 300):
        response = client.get(reverse("invitation_accept", args=[forged]))
        assert response.status_code == 400
        assert "This link does not work" in response.content.decode()
    # A genuine signature over another invitation id that does not exist.
    fake = signing.dumps({"i": 999999, "s": 1}, salt="tracker.clinics.invitation")
    assert client.get(reverse("invitation_accept", args=[fake])).status_code == 400


def test_a_cancelled_invitation_link_says_so(client, clinic):
    invitation = InvitationFactory(invited_by=clinic.linked_physio)
    token = invitation_token(invitation)
    client.force_login(clinic.linked_doctor)
    assert client.post(reverse("invitation_cancel", args=[invitation.pk])).status_code == 302
    client.logout()
    response = client.post(reverse("invitation_accept", args=[token]), JOIN_FORM)
    assert response.status_code == 410
    assert "was cancelled" in response.content.decode()
    assert not User.objects.filter(email=invitation.email).exists()


def test_resending_makes_the_old_link_stop_and_the_new_one_work(client, clinic):
    invitation = InvitationFactory(invited_by=clinic.linked_physio, sent_at=timezone.now() - timedelta(days=6))
    old = invitation_token(invitation)
    client.force_login(clinic.linked_physio)
    client.post(reverse("invitation_resend", args=[invitation.pk]))
    link = emailed_link()
    client.logout()
    assert client.get(reverse("invitation_accept", args=[old])).status_code == 410
    assert client.get(path_of(link)).status_code == 200
    invitation.refresh_from_db()
    assert invitation.expires_at > timezone.now() + timedelta(days=6, hours=23)


def test_inviting_the_same_address_twice_keeps_one_pending_invitation(client, clinic):
    client.force_login(clinic.linked_physio)
    client.post(reverse("invitation_new"), PATIENT_FORM)
    client.force_login(clinic.linked_doctor)
    response = client.post(reverse("invitation_new"), {**PATIENT_FORM, "email": "nia.newton@example.org"}, follow=True)
    assert "already had an invitation waiting: we sent it again" in response.content.decode()
    assert Invitation.objects.open().count() == 1
    assert Invitation.objects.get().invited_by == clinic.linked_doctor


def test_the_database_keeps_one_open_invitation_per_address():
    invitation = InvitationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        InvitationFactory(email=invitation.email, invited_by=invitation.invited_by)


def test_a_double_click_on_invite_sends_one_invitation(client, clinic):
    client.force_login(clinic.linked_physio)
    data = {**PATIENT_FORM, "submission_token": str(uuid.uuid4())}
    client.post(reverse("invitation_new"), data)
    client.post(reverse("invitation_new"), data)
    assert Invitation.objects.count() == 1
    run_queued_tasks()
    assert len(mail.outbox) == 1


def test_an_address_registered_here_is_named_and_nothing_else(client, clinic):
    client.force_login(clinic.linked_physio)
    response = client.post(reverse("invitation_new"), {**PATIENT_FORM, "email": clinic.patient_b.email.upper()})
    assert response.status_code == 200
    assert "This person is already registered with your clinic." in response.content.decode()
    assert not Invitation.objects.exists()


def test_an_address_registered_at_another_clinic_is_not_revealed(client, clinic):
    client.force_login(clinic.linked_physio)
    response = client.post(reverse("invitation_new"), {**PATIENT_FORM, "email": clinic.other_clinic_patient.email})
    assert response.status_code == 302  # the same answer as for a new address
    invitation = Invitation.objects.get()
    link = emailed_link()
    client.logout()
    page = client.get(path_of(link))
    assert page.status_code == 410
    assert "You already have an account" in page.content.decode()
    assert invitation.status == "pending"


def test_the_join_form_explains_bad_input_and_keeps_nothing(client, clinic):
    token = invitation_token(InvitationFactory(invited_by=clinic.linked_physio))
    url = reverse("invitation_accept", args=[token])
    response = client.post(url, {**JOIN_FORM, "new_password1": "12345678", "new_password2": "12345678"})
    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()
    response = client.post(url, {**JOIN_FORM, "new_password2": "something-else-42"})
    assert "The two passwords are not the same" in response.content.decode()
    response = client.post(url, {key: value for key, value in JOIN_FORM.items() if key != "accept_terms"})
    assert "Tick the box to accept the terms and privacy notice." in response.content.decode()
    response = client.post(url, {**JOIN_FORM, "date_of_birth": "2999-01-01"})
    assert "cannot be in the future" in response.content.decode()
    assert not User.objects.filter(email__startswith="invitee").exists()
    assert not ConsentRecord.objects.exists()


def test_consent_is_stored_once_per_version(clinic):
    first = services.consent_record(user=clinic.patient_a)
    again = services.consent_record(user=clinic.patient_a)
    assert first.pk == again.pk
    assert first.accepted_at == again.accepted_at
    services.consent_record(user=clinic.patient_a, version="2027-01")
    assert sorted(ConsentRecord.objects.filter(user=clinic.patient_a).values_list("version", flat=True)) == sorted(
        [TERMS_VERSION, "2027-01"]
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ConsentRecord.objects.create(user=clinic.patient_a, version=TERMS_VERSION)


def test_someone_signed_in_is_asked_to_sign_out_first(client, clinic):
    token = invitation_token(InvitationFactory(invited_by=clinic.linked_physio))
    client.force_login(clinic.patient_b)
    response = client.post(reverse("invitation_accept", args=[token]), JOIN_FORM)
    assert "sign out first" in response.content.decode()
    assert not User.objects.filter(email__startswith="invitee").exists()


def test_another_clinics_invitation_cannot_be_resent_or_cancelled(client, clinic):
    theirs = InvitationFactory(invited_by=clinic.other_clinic_manager)
    client.force_login(clinic.linked_physio)
    for name in ("invitation_resend", "invitation_cancel"):
        assert client.post(reverse(name, args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.cancelled_at is None


def test_the_list_shows_only_this_clinics_invitations_by_status(client, clinic):
    InvitationFactory(invited_by=clinic.linked_physio, email="waiting@example.org")
    InvitationFactory(
        invited_by=clinic.linked_physio, email="old@example.org", sent_at=timezone.now() - timedelta(days=8)
    )
    InvitationFactory(invited_by=clinic.linked_physio, email="gone@example.org", cancelled_at=timezone.now())
    InvitationFactory(invited_by=clinic.other_clinic_manager, email="elsewhere@example.org")
    client.force_login(clinic.linked_doctor)
    page = client.get(reverse("invitation_list")).content.decode()
    assert "waiting@example.org" in page
    assert "old@example.org" in page
    assert "gone@example.org" in page
    assert "elsewhere@example.org" not in page
    assert "Waiting (1)" in page
    assert "Expired (1)" in page
    assert "Cancelled (1)" in page


@pytest.mark.parametrize("count", [1, 12])
def test_the_invitation_list_takes_a_fixed_number_of_queries(client, clinic, django_assert_num_queries, count):
    for number in range(count):
        InvitationFactory(invited_by=PhysiotherapistFactory(), email=f"n{number}@example.org")
    client.force_login(clinic.linked_physio)
    client.get(reverse("invitation_list"))
    # Session, user, the second-factor device, the invitations with their inviters.
    with django_assert_num_queries(5):  # one is the audit trail's INSERT
        assert client.get(reverse("invitation_list")).status_code == 200


def test_a_patient_of_another_clinic_is_not_offered_as_registered(clinic):
    """The check looks at this clinic's accounts only."""
    other = ClinicFactory()
    PatientFactory(clinic=other, email="shared@example.org")
    invitation, created = services.invitation_create(
        by=clinic.linked_physio,
        email="shared@example.org",
        role="patient",
        first_name="S",
        last_name="Hared",
        condition="neck",
        base_url="http://testserver",
    )
    assert created
    assert invitation.status == "pending"


def test_a_patient_invitation_needs_a_condition(clinic):
    with pytest.raises(services.ValidationError, match="neck or lower back"):
        services.invitation_create(
            by=clinic.linked_physio,
            email="x@example.org",
            role="patient",
            first_name="X",
            last_name="Y",
            base_url="http://testserver",
        )
    assert not Invitation.objects.exists()
