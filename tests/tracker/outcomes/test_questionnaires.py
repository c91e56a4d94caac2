"""The questionnaire as patients and clinicians meet it: due on Today, answered, scored, shown, asked for."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from tests.factories import CheckInFactory
from tests.tracker.outcomes.helpers import answered, first_answers, later_answers
from tracker.outcomes.models import Answer, PsfsActivity, QuestionnaireAsk, Response, Sitting

pytestmark = pytest.mark.django_db

DUE_TEXT = "A short questionnaire is due"


def _today(client, patient) -> str:
    client.force_login(patient)
    return client.get(reverse("patient_home")).content.decode()


def test_a_new_patient_sees_a_questionnaire_is_due_and_answers_it(client, clinic):
    patient = clinic.patient_a
    assert DUE_TEXT in _today(client, patient)
    page = client.get(reverse("questionnaire")).content.decode()
    assert "Things that are hard for you" in page
    assert "Change since you started" not in page  # PGIC is not asked at the start

    response = client.post(reverse("questionnaire"), first_answers())

    assert response.status_code == 302
    assert response["Location"] == reverse("my_progress") + "#questionnaires"
    sitting = Sitting.objects.get(patient=patient)
    assert sitting.baseline
    assert sitting.local_date == patient.local_today()
    scores = {r.instrument: r.score for r in sitting.responses.all()}
    assert scores == {"psfs": Decimal("3.00"), "peg": Decimal("6.67")}
    assert [a.name for a in PsfsActivity.objects.filter(patient=patient)] == [
        "Sitting through a film",
        "Putting on my socks",
        "Carrying the shopping",
    ]
    assert DUE_TEXT not in _today(client, patient)


def test_two_weeks_later_the_same_activities_are_rated_and_pgic_is_asked(client, clinic):
    patient = clinic.patient_a
    today = patient.local_today()
    answered(patient, today - timedelta(days=14), names=["Sitting", "Dressing", "Lifting"])
    assert DUE_TEXT in _today(client, patient)
    page = client.get(reverse("questionnaire")).content.decode()
    assert "Dressing: how well can you do this now?" in page
    assert "Change since you started" in page

    client.post(reverse("questionnaire"), later_answers())

    latest = Sitting.objects.get(patient=patient, local_date=today)
    assert not latest.baseline
    assert {r.instrument: r.score for r in latest.responses.all()} == {
        "psfs": Decimal("5.33"),
        "peg": Decimal("4.00"),
        "pgic": Decimal("2"),
    }


def test_thirteen_days_after_the_last_nothing_is_due_and_the_page_says_when(client, clinic):
    patient = clinic.patient_a
    answered(patient, patient.local_today() - timedelta(days=13))
    assert DUE_TEXT not in _today(client, patient)
    page = client.get(reverse("questionnaire")).content.decode()
    assert "There is no questionnaire for you to answer today" in page
    assert "next one is due on" in page
    response = client.post(reverse("questionnaire"), later_answers(), follow=True)
    assert "There is no questionnaire to answer today" in response.content.decode()
    assert Sitting.objects.filter(patient=patient).count() == 1


def test_a_double_submit_stores_one_questionnaire(client, clinic):
    client.force_login(clinic.patient_a)
    data = first_answers()
    client.post(reverse("questionnaire"), data)
    second = client.post(reverse("questionnaire"), data)
    assert second.status_code == 302
    assert Sitting.objects.count() == 1
    assert Response.objects.count() == 2
    assert Answer.objects.count() == 6


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"activity_3": "", "rating_3": None}, "Name at least 3 activities"),
        ({"rating_2": None}, "Rate “Putting on my socks” from 0 to 10."),
        ({"rating_2": "11"}, "Choose a number from 0 to 10."),
        ({"rating_4": "5"}, "Write the activity you are rating, or clear its rating."),
        ({"peg-pain": None}, "Choose a number from 0 to 10."),
        ({"peg-activity": "-1"}, "Choose a number from 0 to 10."),
        ({"activity_1": "x" * 81}, "Keep each activity to 80 characters or fewer."),
    ],
)
def test_bad_answers_come_back_with_a_clear_message_and_nothing_is_saved(client, clinic, change, message):
    client.force_login(clinic.patient_a)
    response = client.post(reverse("questionnaire"), first_answers(**change))
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "Sitting through a film" in page or change.get("activity_1")  # the answers stay in the form
    assert not Sitting.objects.exists()
    assert not PsfsActivity.objects.exists()


def test_a_later_questionnaire_without_the_change_question_is_refused_with_a_message(client, clinic):
    patient = clinic.patient_a
    answered(patient, patient.local_today() - timedelta(days=20))
    client.force_login(patient)
    response = client.post(reverse("questionnaire"), later_answers(pgic=None))
    assert "Choose how your problem has changed since you started." in response.content.decode()
    assert Sitting.objects.count() == 1


def test_the_database_refuses_scores_and_answers_out_of_range(clinic):
    sitting = answered(clinic.patient_a, clinic.patient_a.local_today())
    response = sitting.responses.get(instrument="psfs")
    for bad in (
        lambda: Response.objects.filter(pk=response.pk).update(score=Decimal("10.01")),
        lambda: Response.objects.create(sitting=sitting, instrument="pgic", score=3, baseline=True),
        lambda: Answer.objects.filter(response=response).update(value=11),
        lambda: Sitting.objects.create(patient=clinic.patient_a, local_date=sitting.local_date, baseline=False),
        lambda: PsfsActivity.objects.create(patient=clinic.patient_a, position=6, name="Six"),
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            bad()


def test_the_clinician_asks_for_one_now_once_however_often_they_press(client, clinic):
    patient = clinic.patient_a
    answered(patient, patient.local_today() - timedelta(days=3))
    assert DUE_TEXT not in _today(client, patient)

    client.force_login(clinic.linked_physio)
    url = reverse("questionnaire_ask", args=[patient.pk])
    first = client.post(url, follow=True)
    assert "will see a questionnaire to answer" in first.content.decode()
    again = client.post(url, follow=True)
    assert "already waiting" in again.content.decode()
    assert QuestionnaireAsk.objects.filter(patient=patient).count() == 1
    assert "Asked for by the care team" in client.get(reverse("patient_detail", args=[patient.pk])).content.decode()

    page = _today(client, patient)
    assert DUE_TEXT in page
    assert "Your care team asked for it." in page
    client.post(reverse("questionnaire"), later_answers())
    assert QuestionnaireAsk.objects.get().answered_by == Sitting.objects.latest("local_date")
    assert DUE_TEXT not in _today(client, patient)


def test_asking_for_another_patients_questionnaire_is_a_404(client, clinic):
    client.force_login(clinic.unlinked_physio)
    assert client.post(reverse("questionnaire_ask", args=[clinic.patient_a.pk])).status_code == 404
    assert not QuestionnaireAsk.objects.exists()


def _history(patient):
    today = patient.local_today()
    answered(patient, today - timedelta(days=28), ratings=(3, 4, 2), peg=(7, 6, 7))
    answered(patient, today - timedelta(days=14), ratings=(4, 4, 3), peg=(6, 6, 6), pgic=3)
    answered(patient, today, ratings=(6, 6, 4), peg=(4, 4, 4), pgic=2)


def test_the_patient_sees_their_scores_over_time_on_the_progress_page(client, clinic):
    _history(clinic.patient_a)
    client.force_login(clinic.patient_a)
    page = client.get(reverse("my_progress")).content.decode()
    assert "Your questionnaires" in page
    assert "Things that are hard for you: your average" in page
    assert "5.3" in page
    assert "+2.3" in page
    assert "Much better" in page  # PGIC in the patient's words
    assert "Meaningful" not in page  # the highlight is for the care team


def test_the_care_team_sees_a_meaningful_change_with_its_direction(client, clinic):
    _history(clinic.patient_a)
    client.force_login(clinic.linked_doctor)
    page = client.get(reverse("patient_detail", args=[clinic.patient_a.pk])).content.decode()
    assert "Meaningful improvement" in page
    assert "PSFS mean 5.33 vs baseline 3.00 (+2.33 points, +78%): meaningful improvement" in page
    assert "PEG score 4.00 vs baseline 6.67 (-2.67 points, -40%): meaningful improvement" in page
    assert "Much improved" in page  # PGIC in clinical words
    assert "PSFS activities named by the patient: Sitting; Dressing; Lifting." in page
    report = client.get(reverse("patient_report", args=[clinic.patient_a.pk])).content.decode()
    assert "PSFS mean 5.33 vs baseline 3.00" in report


def test_a_worsening_is_highlighted_as_a_worsening(client, clinic):
    patient = clinic.patient_a
    answered(patient, patient.local_today() - timedelta(days=14), ratings=(6, 6, 6), peg=(3, 3, 3))
    answered(patient, patient.local_today(), ratings=(3, 4, 4), peg=(5, 5, 5), pgic=6)
    client.force_login(clinic.linked_physio)
    page = client.get(reverse("patient_detail", args=[patient.pk])).content.decode()
    assert "Meaningful worsening" in page
    assert "PEG score 5.00 vs baseline 3.00 (+2.00 points, +67%): meaningful worsening" in page


def test_a_small_change_is_shown_but_not_highlighted(client, clinic):
    patient = clinic.patient_a
    answered(patient, patient.local_today() - timedelta(days=14), ratings=(4, 4, 4), peg=(5, 5, 5))
    answered(patient, patient.local_today(), ratings=(4, 3, 4), peg=(6, 6, 6), pgic=5)
    client.force_login(clinic.linked_physio)
    page = client.get(reverse("patient_detail", args=[patient.pk])).content.decode()
    assert "Meaningful" not in page.replace("Meaningful change against", "")
    assert "change below the meaningful threshold" not in page  # only meaningful ones are listed
    assert "3.7" in page
    assert "Minimally worse" in page


@pytest.mark.parametrize("sittings", [1, 12])
def test_the_questionnaire_pages_run_a_fixed_number_of_queries(client, clinic, sittings, django_assert_max_num_queries):
    patient = clinic.patient_a
    today = patient.local_today()
    for index in range(sittings):
        answered(patient, today - timedelta(days=14 * (sittings - index)), pgic=None if index == 0 else 4)
    CheckInFactory(patient=patient, local_date=today)
    client.force_login(patient)
    # Six to build each page, and the audit trail's one INSERT (tracker.audit).
    with django_assert_max_num_queries(7):
        assert client.get(reverse("questionnaire")).status_code == 200
    with django_assert_max_num_queries(7):
        assert client.get(reverse("my_progress")).status_code == 200


def test_staff_can_look_at_questionnaires_in_the_admin_but_not_change_them(admin_client, clinic):
    sitting = answered(clinic.patient_a, clinic.patient_a.local_today())
    assert admin_client.get(reverse("admin:outcomes_sitting_changelist")).status_code == 200
    page = admin_client.get(reverse("admin:outcomes_sitting_change", args=[sitting.pk]))
    assert page.status_code == 200
    assert (
        admin_client.post(reverse("admin:outcomes_sitting_delete", args=[sitting.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert Sitting.objects.filter(pk=sitting.pk).exists()
