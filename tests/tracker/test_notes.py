"""Clinical notes: who may write and edit them, and that edits are never silent."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import CareTeamMembershipFactory, ClinicalNoteFactory, PatientFactory, PhysiotherapistFactory
from tracker.models import ClinicalNote
from tracker.review.notes import notes_with_history
from tracker.services.notes import note_add, note_edit

pytestmark = pytest.mark.django_db


def test_a_care_team_clinician_adds_a_note_recorded_as_theirs_in_history(clinic):
    note = note_add(patient=clinic.patient_a, author=clinic.linked_physio, body="  Reviewed the pain diary.  ")

    assert note.body == "Reviewed the pain diary."
    assert note.history.get().history_user == clinic.linked_physio


def test_a_linked_doctor_may_add_a_note(clinic):
    note = note_add(patient=clinic.patient_a, author=clinic.linked_doctor, body="Approved gentle exercise.")

    assert note.author == clinic.linked_doctor


def test_a_clinician_outside_the_care_team_cannot_add_a_note(clinic):
    with pytest.raises(ValidationError, match="care team"):
        note_add(patient=clinic.patient_a, author=clinic.unlinked_physio, body="Hello")

    assert not ClinicalNote.objects.exists()


def test_a_patient_cannot_add_a_clinical_note(clinic):
    with pytest.raises(ValidationError):
        note_add(patient=clinic.patient_a, author=clinic.patient_a, body="My own note")


@pytest.mark.parametrize("body", ["", "   \n  "])
def test_an_empty_note_is_refused_with_a_clear_message(clinic, body):
    with pytest.raises(ValidationError, match="Write something"):
        note_add(patient=clinic.patient_a, author=clinic.linked_physio, body=body)


def test_a_note_longer_than_the_limit_is_refused(clinic):
    with pytest.raises(ValidationError, match="at most 5000"):
        note_add(patient=clinic.patient_a, author=clinic.linked_physio, body="x" * 5001)


def test_editing_a_note_keeps_the_earlier_wording_in_its_history(clinic):
    note = note_add(patient=clinic.patient_a, author=clinic.linked_physio, body="Pain 6/10, advised rest.")

    note_edit(note=note, editor=clinic.linked_physio, body="Pain 5/10, advised rest.")

    [shown] = notes_with_history(patient=clinic.patient_a)
    assert shown.note.body == "Pain 5/10, advised rest."
    assert shown.was_edited
    assert [version.body for version in shown.previous_versions] == ["Pain 6/10, advised rest."]
    assert shown.previous_versions[0].saved_by == clinic.linked_physio


def test_each_edit_adds_one_earlier_version_newest_first(clinic):
    note = note_add(patient=clinic.patient_a, author=clinic.linked_physio, body="First")
    note_edit(note=note, editor=clinic.linked_physio, body="Second")
    note_edit(note=note, editor=clinic.linked_physio, body="Third")

    [shown] = notes_with_history(patient=clinic.patient_a)

    assert [version.body for version in shown.previous_versions] == ["Second", "First"]


def test_saving_the_same_wording_is_not_shown_as_an_edit(clinic):
    note = note_add(patient=clinic.patient_a, author=clinic.linked_physio, body="Unchanged")

    note_edit(note=note, editor=clinic.linked_physio, body="Unchanged  ")

    [shown] = notes_with_history(patient=clinic.patient_a)
    assert not shown.was_edited


def test_only_the_author_may_edit_a_note(clinic):
    note = note_add(patient=clinic.patient_a, author=clinic.linked_physio, body="Original")

    with pytest.raises(ValidationError, match="Only the clinician who wrote"):
        note_edit(note=note, editor=clinic.linked_doctor, body="Changed by someone else")

    note.refresh_from_db()
    assert note.body == "Original"


def test_an_author_who_left_the_care_team_can_no_longer_edit_their_note(clinic):
    note = ClinicalNoteFactory(patient=clinic.patient_a, author=PhysiotherapistFactory(), on_care_team=False)

    with pytest.raises(ValidationError, match="no longer on this patient's care team"):
        note_edit(note=note, editor=note.author, body="Too late")


def test_notes_with_history_uses_two_queries_however_many_notes_and_edits(clinic, django_assert_num_queries):
    for number in range(5):
        note = note_add(patient=clinic.patient_a, author=clinic.linked_physio, body=f"Note {number}")
        note_edit(note=note, editor=clinic.linked_physio, body=f"Note {number}, corrected")

    with django_assert_num_queries(2):
        notes = notes_with_history(patient=clinic.patient_a)
        assert all(item.was_edited for item in notes)


def test_another_patients_notes_are_never_listed(clinic):
    ClinicalNoteFactory(patient=clinic.patient_b, body="About Bert")

    assert notes_with_history(patient=clinic.patient_a) == []


# Views: the patient page's notes section.


def test_adding_a_note_without_javascript_saves_it_and_returns_to_the_notes(client, clinic):
    client.force_login(clinic.linked_physio)

    response = client.post(reverse("note_create", args=[clinic.patient_a.pk]), {"body": "Walks 20 minutes daily."})

    assert response.status_code == 302
    assert response["Location"] == reverse("patient_detail", args=[clinic.patient_a.pk]) + "#notes"
    assert ClinicalNote.objects.get().body == "Walks 20 minutes daily."


def test_adding_a_note_with_htmx_returns_only_the_notes_section_with_the_new_note(client, clinic):
    client.force_login(clinic.linked_physio)

    response = client.post(
        reverse("note_create", args=[clinic.patient_a.pk]), {"body": "Walks daily."}, headers={"HX-Request": "true"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="notes"')
    assert "Walks daily." in html
    assert "<html" not in html


def test_an_empty_note_shows_the_error_in_the_htmx_fragment(client, clinic):
    client.force_login(clinic.linked_physio)

    response = client.post(
        reverse("note_create", args=[clinic.patient_a.pk]), {"body": " "}, headers={"HX-Request": "true"}
    )

    assert "Write something in the note" in response.content.decode()
    assert not ClinicalNote.objects.exists()


def test_an_empty_note_without_javascript_shows_the_whole_page_with_the_error(client, clinic):
    client.force_login(clinic.linked_physio)

    response = client.post(reverse("note_create", args=[clinic.patient_a.pk]), {"body": ""})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html
    assert "Write something in the note" in html


def test_the_patient_page_shows_an_edited_note_with_its_earlier_wording(client, clinic):
    note = note_add(patient=clinic.patient_a, author=clinic.linked_physio, body="Knee-to-chest hurt.")
    note_edit(note=note, editor=clinic.linked_physio, body="Knee-to-chest hurt on the left side.")
    client.force_login(clinic.linked_doctor)

    html = client.get(reverse("patient_detail", args=[clinic.patient_a.pk])).content.decode()

    assert "Knee-to-chest hurt on the left side." in html
    assert "edited" in html
    assert "Knee-to-chest hurt.</div>" in html


def test_the_edit_link_is_shown_only_to_the_author(client, clinic):
    note = note_add(patient=clinic.patient_a, author=clinic.linked_physio, body="Mine")
    edit_url = reverse("note_update", args=[clinic.patient_a.pk, note.pk])

    client.force_login(clinic.linked_doctor)
    assert edit_url not in client.get(reverse("patient_detail", args=[clinic.patient_a.pk])).content.decode()
    client.force_login(clinic.linked_physio)
    assert edit_url in client.get(reverse("patient_detail", args=[clinic.patient_a.pk])).content.decode()


def test_editing_a_note_through_the_form_keeps_history_and_returns_to_the_page(client, clinic):
    note = note_add(patient=clinic.patient_a, author=clinic.linked_physio, body="Before")
    client.force_login(clinic.linked_physio)

    response = client.post(reverse("note_update", args=[clinic.patient_a.pk, note.pk]), {"body": "After"})

    assert response.status_code == 302
    note.refresh_from_db()
    assert note.body == "After"
    assert note.history.count() == 2


def test_an_empty_edit_keeps_the_note_and_shows_the_error(client, clinic):
    note = note_add(patient=clinic.patient_a, author=clinic.linked_physio, body="Before")
    client.force_login(clinic.linked_physio)

    response = client.post(reverse("note_update", args=[clinic.patient_a.pk, note.pk]), {"body": ""})

    assert "Write something in the note" in response.content.decode()
    note.refresh_from_db()
    assert note.body == "Before"


def test_a_note_cannot_be_reached_through_another_patients_address(client, clinic):
    other_patient = PatientFactory()
    CareTeamMembershipFactory(patient=other_patient, clinician=clinic.linked_physio)
    note = note_add(patient=clinic.patient_a, author=clinic.linked_physio, body="About Alice")
    client.force_login(clinic.linked_physio)

    response = client.get(reverse("note_update", args=[other_patient.pk, note.pk]))

    assert response.status_code == 404
