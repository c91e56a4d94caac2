"""The triage inbox on the caseload: one card per patient, most urgent first, filtered, marked as seen."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import CareTeamMembershipFactory, FlagFactory, PatientFactory
from tracker.models import Flag, FlagStatus, Severity
from tracker.triage.selectors import inbox_for

pytestmark = pytest.mark.django_db


def flag(patient, *, rule_id="contact.pain_rising", severity=Severity.CONTACT_PROVIDER, hours_ago=0, **fields):
    made = FlagFactory(patient=patient, rule_id=rule_id, severity=severity, **fields)
    Flag.objects.filter(pk=made.pk).update(opened_at=timezone.now() - timedelta(hours=hours_ago))
    made.refresh_from_db()
    return made


def linked(clinician, **fields):
    patient = PatientFactory(**fields)
    CareTeamMembershipFactory(patient=patient, clinician=clinician)
    return patient


def four_flags(patient):
    """The flagged demo patient's kind of day: four reasons at once."""
    return [
        flag(patient, hours_ago=30, clinician_summary="Neck pain 7-day mean 6.4 vs baseline 3 (+3.4, +114%), 3 days."),
        flag(
            patient, rule_id="contact.setback", hours_ago=5, clinician_summary="Neck pain 7-day mean 6.4 vs best 2.7."
        ),
        flag(patient, rule_id="contact.pain_spike", hours_ago=5, clinician_summary="Neck pain 7/10 on 24 Nov."),
        flag(patient, rule_id="contact.numbness_spreading", hours_ago=2, clinician_summary="Paraesthesia new, 3 days."),
    ]


def test_a_patient_with_four_flags_gets_one_card_with_every_reason(clinic):
    patient = clinic.patient_a
    flags = four_flags(patient)

    [card] = inbox_for(clinician=clinic.linked_physio).cards

    assert card.patient == patient
    assert [flag.pk for flag in card.flags] == [flags[0].pk, flags[1].pk, flags[2].pk, flags[3].pk]
    assert card.top_severity == Severity.CONTACT_PROVIDER
    assert card.oldest_opened_at == flags[0].opened_at


def test_cards_come_most_severe_first_then_the_longest_waiting(clinic):
    physio = clinic.linked_physio
    waiting_long = linked(physio, last_name="Long")
    flag(waiting_long, hours_ago=48)
    waiting_short = linked(physio, last_name="Short")
    flag(waiting_short, hours_ago=1)
    emergency = linked(physio, last_name="Urgent")
    flag(emergency, rule_id="emergency.cauda_equina", severity=Severity.EMERGENCY, hours_ago=0)
    flag(emergency, hours_ago=0, rule_id="contact.pain_spike")

    names = [card.patient.last_name for card in inbox_for(clinician=physio).cards]

    assert names == ["Urgent", "Long", "Short"]


def test_the_severity_filter_keeps_cards_whose_most_serious_alert_is_at_that_level(clinic):
    physio = clinic.linked_physio
    emergency = linked(physio, last_name="Urgent")
    flag(emergency, rule_id="emergency.cauda_equina", severity=Severity.EMERGENCY)
    contact = linked(physio, last_name="Rising")
    flag(contact)

    assert [card.patient.last_name for card in inbox_for(clinician=physio, severity="emergency").cards] == ["Urgent"]
    assert [card.patient.last_name for card in inbox_for(clinician=physio, severity="contact").cards] == ["Rising"]
    assert inbox_for(clinician=physio, severity="review").cards == []


def test_the_inbox_shows_only_the_clinicians_own_patients(clinic):
    flag(clinic.patient_b)

    assert inbox_for(clinician=clinic.linked_physio).cards == []
    assert [card.patient for card in inbox_for(clinician=clinic.unlinked_physio).cards] == [clinic.patient_b]


def test_the_inbox_is_one_query_however_many_flags_and_patients(clinic, django_assert_num_queries):
    for _ in range(5):
        four_flags(linked(clinic.linked_physio))

    with django_assert_num_queries(1):
        inbox = inbox_for(clinician=clinic.linked_physio)
        for card in inbox.cards:
            [person.display_name for person in card.seen_by]
            [(flag.clinician_summary, flag.patient.display_name) for flag in card.flags]

    assert len(inbox.cards) == 5


def test_the_card_reads_in_the_clinicians_words_never_the_patients(client, clinic):
    four_flags(clinic.patient_a)
    client.force_login(clinic.linked_physio)

    page = client.get(reverse("caseload")).content.decode()

    assert page.count(f'id="inbox-patient-{clinic.patient_a.pk}"') == 1
    for summary in (
        "Neck pain 7-day mean 6.4 vs baseline 3 (+3.4, +114%), 3 days.",
        "Neck pain 7-day mean 6.4 vs best 2.7.",
        "Neck pain 7/10 on 24 Nov.",
        "Paraesthesia new, 3 days.",
    ):
        assert summary in page
    assert "Your average back pain" not in page  # the patient's wording (FlagFactory.explanation)
    assert "oldest opened" in page
    assert "Not yet seen" in page


def test_the_filter_works_without_javascript_and_with_htmx(client, clinic):
    flag(clinic.patient_a)
    client.force_login(clinic.linked_physio)

    plain = client.get(reverse("caseload"), {"severity": "emergency"}).content.decode()
    fragment = client.get(
        reverse("caseload"), {"severity": "contact"}, headers={"HX-Request": "true", "HX-Target": "triage-inbox"}
    ).content.decode()

    assert "No patient's most serious alert is at this level." in plain
    assert "<html" not in fragment
    assert f'id="inbox-patient-{clinic.patient_a.pk}"' in fragment


def test_an_unknown_severity_shows_every_card(client, clinic):
    flag(clinic.patient_a)
    client.force_login(clinic.linked_physio)

    page = client.get(reverse("caseload"), {"severity": "<script>"}).content.decode()

    assert f'id="inbox-patient-{clinic.patient_a.pk}"' in page


# --- Mark all seen ------------------------------------------------------------


def url(patient):
    return reverse("flags_acknowledge_all", args=[patient.pk])


def test_mark_all_seen_with_htmx_marks_every_open_flag_and_returns_the_card(client, clinic):
    flags = four_flags(clinic.patient_a)
    other = flag(clinic.patient_b)
    client.force_login(clinic.linked_physio)

    response = client.post(url(clinic.patient_a), headers={"HX-Request": "true"})

    html = response.content.decode()
    assert "<html" not in html
    assert f"Seen by {clinic.linked_physio.display_name}." in html
    assert "Mark all seen" not in html
    statuses = {item.status for item in Flag.objects.filter(pk__in=[item.pk for item in flags])}
    assert statuses == {FlagStatus.ACKNOWLEDGED}
    assert set(Flag.objects.filter(pk__in=[f.pk for f in flags]).values_list("acknowledged_by", flat=True)) == {
        clinic.linked_physio.pk
    }
    other.refresh_from_db()
    assert other.status == FlagStatus.OPEN


def test_mark_all_seen_without_javascript_goes_back_with_a_message(client, clinic):
    four_flags(clinic.patient_a)
    client.force_login(clinic.linked_doctor)

    response = client.post(url(clinic.patient_a), {"next": "/caseload/?sort=pain"}, follow=True)

    assert response.redirect_chain[-1][0] == "/caseload/?sort=pain"
    assert f"Marked as seen: 4 alerts for {clinic.patient_a.display_name}." in response.content.decode()


def test_mark_all_seen_keeps_who_saw_first_and_leaves_resolved_flags_alone(client, clinic):
    seen_earlier = flag(clinic.patient_a, rule_id="contact.setback")
    Flag.objects.filter(pk=seen_earlier.pk).update(
        status=FlagStatus.ACKNOWLEDGED, acknowledged_by=clinic.linked_doctor, acknowledged_at=timezone.now()
    )
    fresh = flag(clinic.patient_a)
    resolved = flag(clinic.patient_a, rule_id="contact.pain_spike")
    Flag.objects.filter(pk=resolved.pk).update(
        status=FlagStatus.RESOLVED, resolved_by=clinic.linked_doctor, resolved_at=timezone.now()
    )
    client.force_login(clinic.linked_physio)

    html = client.post(url(clinic.patient_a), headers={"HX-Request": "true"}).content.decode()

    seen_earlier.refresh_from_db()
    fresh.refresh_from_db()
    resolved.refresh_from_db()
    assert seen_earlier.acknowledged_by == clinic.linked_doctor
    assert fresh.acknowledged_by == clinic.linked_physio
    assert resolved.status == FlagStatus.RESOLVED
    assert f"Seen by {clinic.linked_doctor.display_name}, {clinic.linked_physio.display_name}." in html


def test_mark_all_seen_twice_changes_nothing_and_says_so(client, clinic):
    flag(clinic.patient_a)
    client.force_login(clinic.linked_physio)
    client.post(url(clinic.patient_a))

    response = client.post(url(clinic.patient_a), follow=True)

    assert "was already marked as seen" in response.content.decode()


def test_mark_all_seen_for_someone_elses_patient_is_a_404_and_marks_nothing(client, clinic):
    other = flag(clinic.patient_a)
    client.force_login(clinic.unlinked_physio)

    response = client.post(url(clinic.patient_a))

    assert response.status_code == 404
    other.refresh_from_db()
    assert other.status == FlagStatus.OPEN
