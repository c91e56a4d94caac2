"""The demo history: plausible, idempotent, and the flagged patient's pain really rises."""

from datetime import timedelta
from statistics import mean

import pytest

from routines import demo as routines_demo
from tracker import demo, demo_history
from tracker.models import CheckIn, SessionEntry, SessionLog
from tracker.progress import progress_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic():
    clinic = demo.build_clinic(password="demo-pass")
    routines_demo.seed_programs(clinic=clinic)
    return clinic


def test_the_active_patient_has_three_weeks_ending_yesterday_and_today_is_left_to_them(clinic):
    demo_history.seed_history(clinic=clinic)
    patient = clinic.patient_active
    today = patient.local_today()
    dates = sorted(CheckIn.objects.filter(patient=patient).values_list("local_date", flat=True))
    assert dates == [today - timedelta(days=offset) for offset in range(21, 0, -1)]
    assert SessionLog.objects.filter(patient=patient).count() >= 15
    assert not SessionLog.objects.filter(patient=patient, local_date=today).exists()


def test_the_active_patient_slowly_improves(clinic):
    demo_history.seed_history(clinic=clinic)
    pains = list(CheckIn.objects.filter(patient=clinic.patient_active).order_by("local_date"))
    assert mean(check_in.neck_back_pain for check_in in pains[-7:]) < mean(
        check_in.neck_back_pain for check_in in pains[:7]
    )


def test_the_active_patients_sessions_log_their_own_program(clinic):
    demo_history.seed_history(clinic=clinic)
    entries = SessionEntry.objects.filter(session__patient=clinic.patient_active)
    assert entries.exists()
    assert set(entries.values_list("assignment__patient", flat=True)) == {clinic.patient_active.pk}


def test_the_flagged_patients_7_day_mean_stays_2_points_above_baseline_for_the_last_3_days(clinic):
    """The DESIGN.md contact-provider rule: baseline from the first 7 days (4+ check-ins)."""
    demo_history.seed_history(clinic=clinic)
    patient = clinic.patient_flagged
    check_ins = list(CheckIn.objects.filter(patient=patient).order_by("local_date"))
    first_week = [check_in for check_in in check_ins if check_in.local_date < check_ins[0].local_date + timedelta(7)]
    assert len(first_week) >= 4
    baseline = mean(check_in.neck_back_pain for check_in in first_week)
    yesterday = patient.local_today() - timedelta(days=1)
    progress = progress_for(patient=patient, start=yesterday - timedelta(days=2), end=yesterday)
    assert all(day.neck_back_average >= baseline + 2 for day in progress.pain)


def test_the_flagged_patients_first_two_weeks_are_calm(clinic):
    demo_history.seed_history(clinic=clinic)
    check_ins = CheckIn.objects.filter(patient=clinic.patient_flagged).order_by("local_date")[:14]
    assert max(check_in.neck_back_pain for check_in in check_ins) <= 4


def test_the_new_patient_gets_no_history(clinic):
    demo_history.seed_history(clinic=clinic)
    assert not CheckIn.objects.filter(patient=clinic.patient_new).exists()


def test_seeding_history_twice_changes_nothing(clinic):
    demo_history.seed_history(clinic=clinic)
    counts = (CheckIn.objects.count(), SessionLog.objects.count(), SessionEntry.objects.count())
    demo_history.seed_history(clinic=clinic)
    assert (CheckIn.objects.count(), SessionLog.objects.count(), SessionEntry.objects.count()) == counts


@pytest.fixture
def extra(clinic):
    patients = demo.add_extra_patients(clinic=clinic, count=3, password="demo-pass")
    routines_demo.seed_programs_bulk(patients=patients, physio=clinic.physio, doctor=clinic.doctor)
    return patients


def test_bulk_history_covers_the_days_asked_for_ending_yesterday(extra):
    written = demo_history.seed_bulk_history(patients=extra, days=30)
    assert written == CheckIn.objects.count() + SessionLog.objects.count() + SessionEntry.objects.count()
    for patient in extra:
        dates = CheckIn.objects.filter(patient=patient).values_list("local_date", flat=True)
        today = patient.local_today()
        assert 20 <= len(dates) <= 30
        assert min(dates) >= today - timedelta(days=30)
        assert max(dates) < today


def test_bulk_rows_read_back_as_ordinary_rows(extra):
    demo_history.seed_bulk_history(patients=extra, days=10)
    check_in = CheckIn.objects.first()
    assert 0 <= check_in.neck_back_pain <= 10
    assert check_in.submission_token.version == 4
    entry = SessionEntry.objects.select_related("session", "assignment").first()
    assert entry.session.patient_id == entry.assignment.patient_id


def test_bulk_sessions_count_toward_adherence(extra):
    demo_history.seed_bulk_history(patients=extra, days=28)
    patient = extra[0]
    today = patient.local_today()
    progress = progress_for(patient=patient, start=today - timedelta(days=27), end=today - timedelta(days=1))
    assert sum(week.done for week in progress.weeks) > 0
    assert all(week.prescribed > 0 for week in progress.weeks)


def test_bulk_history_twice_writes_nothing_the_second_time(extra):
    demo_history.seed_bulk_history(patients=extra, days=5)
    assert demo_history.seed_bulk_history(patients=extra, days=5) == 0
