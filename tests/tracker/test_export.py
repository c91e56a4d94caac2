"""The CSV export: its rows and columns, spreadsheet safety, streaming, and whose data it holds."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse

from tests.factories import AssignmentFactory, CheckInFactory, ExerciseFactory, SessionEntryFactory, SessionLogFactory
from tracker.models import EntryStatus
from tracker.review.export import EXPORT_COLUMNS, HEADER, spreadsheet_safe

pytestmark = pytest.mark.django_db


def download(client, url) -> tuple:
    response = client.get(url)
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")  # so spreadsheets read the file as UTF-8
    return response, list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def test_an_empty_history_gives_a_file_with_only_the_header(client, clinic):
    client.force_login(clinic.patient_a)

    response = client.get(reverse("my_export"))

    text = b"".join(response.streaming_content).decode("utf-8").removeprefix("\ufeff")
    assert text.splitlines() == [",".join(HEADER)]


def test_the_download_is_a_streamed_csv_attachment_never_cached(client, clinic):
    client.force_login(clinic.patient_a)

    response = client.get(reverse("my_export"))

    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(f'attachment; filename="recovery-{clinic.patient_a.username}-')
    assert response["Cache-Control"] == "no-store"


def test_each_check_in_and_each_exercise_is_one_row_in_date_order_with_iso_dates(client, clinic):
    patient = clinic.patient_a
    today = patient.local_today()
    yesterday = today - timedelta(days=1)
    bridge = AssignmentFactory(patient=patient, exercise=ExerciseFactory(name="Heel slide"), position=1)
    tilt = AssignmentFactory(patient=patient, exercise=ExerciseFactory(name="Wall push"), position=2)
    session = SessionLogFactory(patient=patient, local_date=yesterday)
    SessionEntryFactory(session=session, assignment=tilt, status=EntryStatus.SKIPPED, sets_done=None, reps_done=None)
    SessionEntryFactory(session=session, assignment=bridge, pain_before=3, pain_after=5, symptoms_worse=True)
    CheckInFactory(patient=patient, local_date=today, neck_back_pain=4, limb_pain=6, fever=True, night_pain=True)
    CheckInFactory(patient=patient, local_date=yesterday, neck_back_pain=2, limb_pain=3)
    client.force_login(patient)

    _, rows = download(client, reverse("my_export"))

    assert [(row["date"], row["record_type"], row["exercise"]) for row in rows] == [
        (yesterday.isoformat(), "check_in", ""),
        (yesterday.isoformat(), "exercise", "Heel slide"),
        (yesterday.isoformat(), "exercise", "Wall push"),
        (today.isoformat(), "check_in", ""),
    ]
    bridge_row, tilt_row, today_row = rows[1], rows[2], rows[3]
    assert (bridge_row["pain_before"], bridge_row["pain_after"], bridge_row["symptoms_worse"]) == ("3", "5", "yes")
    assert (tilt_row["exercise_status"], tilt_row["sets_done"], tilt_row["pain_before"]) == ("skipped", "", "")
    assert (today_row["neck_back_pain"], today_row["limb_pain"]) == ("4", "6")
    assert today_row["warning_signs"] == "fever;night_pain"
    assert today_row["recorded_at"].endswith("+00:00")


@pytest.mark.parametrize(
    ("note", "cell"),
    [
        ('=HYPERLINK("http://evil.example","Click")', '\'=HYPERLINK("http://evil.example","Click")'),
        ("+1 better today", "'+1 better today"),
        ("-2 on the scale", "'-2 on the scale"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\tindented", "'\tindented"),
        ('\uff1dHYPERLINK("http://evil.example")', '\'\uff1dHYPERLINK("http://evil.example")'),
        ("\uff0b1 better", "'\uff0b1 better"),
        ("\uff0d2 worse", "'\uff0d2 worse"),
        ("\uff20SUM(A1:A2)", "'\uff20SUM(A1:A2)"),
        ("Felt fine = good day", "Felt fine = good day"),
    ],
)
def test_notes_that_a_spreadsheet_would_run_as_formulas_are_written_as_plain_text(client, clinic, note, cell):
    CheckInFactory(patient=clinic.patient_a, note=note)
    client.force_login(clinic.patient_a)

    _, [row] = download(client, reverse("my_export"))

    assert row["note"] == cell


def test_numbers_are_never_altered_by_the_formula_guard():
    assert spreadsheet_safe(-1) == -1
    assert spreadsheet_safe(0) == 0


def test_a_patients_own_export_never_holds_another_patients_data(client, clinic):
    CheckInFactory(patient=clinic.patient_a, note="Alice's day")
    CheckInFactory(patient=clinic.patient_b, note="Bert's day")
    client.force_login(clinic.patient_a)

    _, rows = download(client, reverse("my_export"))

    assert [row["note"] for row in rows] == ["Alice's day"]


def test_a_linked_clinician_downloads_that_patients_history(client, clinic):
    CheckInFactory(patient=clinic.patient_a, note="Alice's day")
    CheckInFactory(patient=clinic.patient_b, note="Bert's day")
    client.force_login(clinic.linked_doctor)

    _, rows = download(client, reverse("patient_export", args=[clinic.patient_a.pk]))

    assert [row["note"] for row in rows] == ["Alice's day"]


def test_an_unlinked_clinician_gets_404_for_the_export(client, clinic):
    client.force_login(clinic.unlinked_physio)

    response = client.get(reverse("patient_export", args=[clinic.patient_a.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize("days", [2, 60])
def test_the_export_runs_the_same_queries_however_long_the_history(client, clinic, days, django_assert_max_num_queries):
    patient = clinic.patient_a
    assignment = AssignmentFactory(patient=patient)
    for offset in range(days):
        day = patient.local_today() - timedelta(days=offset)
        CheckInFactory(patient=patient, local_date=day)
        SessionEntryFactory(session=SessionLogFactory(patient=patient, local_date=day), assignment=assignment)
    client.force_login(patient)

    # Session and user, then one streamed query each for check-ins and exercises.
    with django_assert_max_num_queries(5):  # one is the audit trail's INSERT
        _, rows = download(client, reverse("my_export"))

    assert len(rows) == 2 * days


def test_the_patients_data_page_documents_every_column(client, clinic):
    client.force_login(clinic.patient_a)

    html = client.get(reverse("my_data")).content.decode()

    assert reverse("my_export") in html
    for column in EXPORT_COLUMNS:
        assert f"<code>{column.name}</code>" in html


def test_the_clinicians_patient_page_offers_the_download_and_documents_the_columns(client, clinic):
    client.force_login(clinic.linked_physio)

    html = client.get(reverse("patient_detail", args=[clinic.patient_a.pk])).content.decode()

    assert reverse("patient_export", args=[clinic.patient_a.pk]) in html
    assert all(f"<code>{column.name}</code>" in html for column in EXPORT_COLUMNS)


def test_the_patients_progress_page_links_to_their_data_page(client, clinic):
    client.force_login(clinic.patient_a)

    html = client.get(reverse("my_progress")).content.decode()

    assert reverse("my_data") in html
