"""Saving the daily check-in: one per local day, editable today and yesterday, never duplicated."""

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories import CheckInFactory, PatientFactory, PhysiotherapistFactory
from tests.tracker.daily_helpers import checkin_data, freeze_now
from tracker.daily.edit_window import CLOSED_DAY_MESSAGE, FUTURE_DAY_MESSAGE
from tracker.models import CheckIn, Condition
from tracker.services.checkins import PAIN_MESSAGE, checkin_save

pytestmark = pytest.mark.django_db


def test_a_check_in_is_saved_for_the_patients_day():
    patient = PatientFactory()
    check_in = checkin_save(patient=patient, local_date=patient.local_today(), data=checkin_data(neck_back_pain=6))
    assert check_in.local_date == patient.local_today()
    assert CheckIn.objects.get(patient=patient).neck_back_pain == 6


def test_saving_the_same_day_again_changes_that_check_in_and_keeps_the_old_answers_in_history():
    patient = PatientFactory()
    today = patient.local_today()
    checkin_save(patient=patient, local_date=today, data=checkin_data(neck_back_pain=6))
    checkin_save(patient=patient, local_date=today, data=checkin_data(neck_back_pain=4))
    check_in = CheckIn.objects.get(patient=patient)
    assert check_in.neck_back_pain == 4
    assert [record.neck_back_pain for record in check_in.history.order_by("history_date")] == [6, 4]


def test_a_repeated_submission_with_the_same_token_leaves_one_check_in_and_one_history_entry():
    patient = PatientFactory()
    token = uuid.uuid4()
    today = patient.local_today()
    first = checkin_save(patient=patient, local_date=today, data=checkin_data(), submission_token=token)
    second = checkin_save(patient=patient, local_date=today, data=checkin_data(), submission_token=token)
    assert first.pk == second.pk
    assert CheckIn.objects.filter(patient=patient).count() == 1
    assert first.history.count() == 1
    assert CheckIn.objects.get().submission_token == token


def test_a_check_in_created_by_a_racing_request_is_updated_rather_than_duplicated(monkeypatch):
    """Two requests for the same day: ours looks first, theirs inserts, then ours inserts and collides."""
    patient = PatientFactory()
    today = patient.local_today()
    theirs = CheckInFactory(patient=patient, local_date=today, neck_back_pain=2)
    real_filter = CheckIn.objects.select_for_update

    class BlindOnce:
        """The first look-up sees nothing, as if the other request had not committed yet."""

        calls = 0

        def __call__(self):
            self.calls += 1
            queryset = real_filter()
            return queryset.none() if self.calls == 1 else queryset

    blind = BlindOnce()
    monkeypatch.setattr(CheckIn.objects, "select_for_update", blind)
    ours = checkin_save(patient=patient, local_date=today, data=checkin_data(neck_back_pain=7))
    assert blind.calls == 2  # looked, collided on insert, looked again
    assert ours.pk == theirs.pk
    assert CheckIn.objects.filter(patient=patient).count() == 1
    assert CheckIn.objects.get(patient=patient).neck_back_pain == 7


def test_a_token_already_used_by_someone_else_does_not_block_or_touch_their_check_in():
    other = CheckInFactory()
    patient = PatientFactory()
    check_in = checkin_save(
        patient=patient, local_date=patient.local_today(), data=checkin_data(), submission_token=other.submission_token
    )
    assert check_in.patient == patient
    assert check_in.submission_token != other.submission_token
    other.refresh_from_db()
    assert other.neck_back_pain == 3


def test_yesterday_can_be_filled_in_late():
    patient = PatientFactory()
    yesterday = patient.local_today() - timedelta(days=1)
    assert checkin_save(patient=patient, local_date=yesterday, data=checkin_data()).local_date == yesterday


def test_a_future_day_is_refused_and_nothing_is_saved():
    patient = PatientFactory()
    with pytest.raises(ValidationError) as error:
        checkin_save(patient=patient, local_date=patient.local_today() + timedelta(days=1), data=checkin_data())
    assert error.value.message_dict == {"local_date": [FUTURE_DAY_MESSAGE]}
    assert not CheckIn.objects.exists()


def test_a_day_before_yesterday_is_closed_and_nothing_is_saved():
    patient = PatientFactory()
    with pytest.raises(ValidationError) as error:
        checkin_save(patient=patient, local_date=patient.local_today() - timedelta(days=2), data=checkin_data())
    assert error.value.message_dict == {"local_date": [CLOSED_DAY_MESSAGE]}
    assert not CheckIn.objects.exists()


def test_an_old_check_in_cannot_be_changed():
    patient = PatientFactory()
    old = CheckInFactory(patient=patient, local_date=patient.local_today() - timedelta(days=3), neck_back_pain=5)
    with pytest.raises(ValidationError):
        checkin_save(patient=patient, local_date=old.local_date, data=checkin_data(neck_back_pain=1))
    old.refresh_from_db()
    assert old.neck_back_pain == 5


@pytest.mark.parametrize("bad_pain", [11, -1, "5", "seven", None, True, 4.5])
def test_a_pain_score_that_is_not_a_whole_number_from_0_to_10_is_refused(bad_pain):
    patient = PatientFactory()
    with pytest.raises(ValidationError) as error:
        checkin_save(patient=patient, local_date=patient.local_today(), data=checkin_data(limb_pain=bad_pain))
    assert error.value.message_dict == {"limb_pain": [PAIN_MESSAGE]}
    assert not CheckIn.objects.exists()


def test_an_unknown_symptom_answer_is_refused():
    patient = PatientFactory()
    with pytest.raises(ValidationError) as error:
        checkin_save(patient=patient, local_date=patient.local_today(), data=checkin_data(extent="everywhere"))
    assert "extent" in error.value.message_dict


def test_only_patients_check_in():
    physio = PhysiotherapistFactory()
    with pytest.raises(ValidationError):
        checkin_save(patient=physio, local_date=physio.local_today(), data=checkin_data())
    assert not CheckIn.objects.exists()


def test_the_hand_and_falls_question_is_stored_only_for_neck_patients():
    back = PatientFactory(condition=Condition.LOWER_BACK)
    neck = PatientFactory(condition=Condition.NECK)
    data = checkin_data(hand_clumsiness_or_falls=True)
    assert checkin_save(patient=back, local_date=back.local_today(), data=data).hand_clumsiness_or_falls is False
    assert checkin_save(patient=neck, local_date=neck.local_today(), data=data).hand_clumsiness_or_falls is True


def test_the_database_refuses_a_second_check_in_for_the_same_day():
    check_in = CheckInFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        CheckInFactory(patient=check_in.patient, local_date=check_in.local_date)


@pytest.mark.parametrize("field", ["neck_back_pain", "limb_pain"])
def test_the_database_refuses_pain_above_10(field):
    with pytest.raises(IntegrityError), transaction.atomic():
        CheckInFactory(**{field: 11})


def test_two_patients_check_in_on_the_same_day():
    first, second = PatientFactory(), PatientFactory()
    for patient in (first, second):
        checkin_save(patient=patient, local_date=patient.local_today(), data=checkin_data())
    assert CheckIn.objects.count() == 2


def test_today_is_the_day_where_the_patient_lives(monkeypatch):
    # 23:30 in London on 10 March is already 11 March in Auckland.
    freeze_now(monkeypatch, datetime(2025, 3, 10, 23, 30, tzinfo=UTC))
    london = PatientFactory(time_zone="Europe/London")
    auckland = PatientFactory(time_zone="Pacific/Auckland")
    assert checkin_save(patient=london, local_date=date(2025, 3, 10), data=checkin_data()).local_date == date(
        2025, 3, 10
    )
    assert checkin_save(patient=auckland, local_date=date(2025, 3, 11), data=checkin_data()).local_date == date(
        2025, 3, 11
    )
    with pytest.raises(ValidationError):
        checkin_save(patient=london, local_date=date(2025, 3, 11), data=checkin_data())


def test_a_check_in_just_after_local_midnight_starts_a_new_day_and_yesterday_stays_open(monkeypatch):
    # 05:30 UTC is 00:30 in New York on 11 March.
    freeze_now(monkeypatch, datetime(2025, 3, 11, 5, 30, tzinfo=UTC))
    patient = PatientFactory(time_zone="America/New_York")
    checkin_save(patient=patient, local_date=date(2025, 3, 10), data=checkin_data(neck_back_pain=5))
    checkin_save(patient=patient, local_date=date(2025, 3, 11), data=checkin_data(neck_back_pain=4))
    assert list(CheckIn.objects.order_by("local_date").values_list("local_date", "neck_back_pain")) == [
        (date(2025, 3, 10), 5),
        (date(2025, 3, 11), 4),
    ]
    with pytest.raises(ValidationError):
        checkin_save(patient=patient, local_date=date(2025, 3, 9), data=checkin_data())
