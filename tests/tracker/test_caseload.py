"""The caseload dashboard: who is listed, in what order, the figures shown, filters and query counts."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from routines.models import Assignment, AssignmentStatus, Decision
from tests.factories import (
    AssignmentFactory,
    CareTeamMembershipFactory,
    CheckInFactory,
    ClearanceFactory,
    FlagFactory,
    PatientFactory,
    PhysiotherapistFactory,
    SessionEntryFactory,
    SessionLogFactory,
)
from tracker.models import Condition, FlagStatus, PatientSummary, SessionLog, Severity
from tracker.review.caseload import (
    PAGE_SIZE,
    CaseloadParams,
    ClearanceState,
    Direction,
    Show,
    Sort,
    caseload_for,
)
from tracker.services.summaries import summary_is_current, summary_refresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def physio():
    return PhysiotherapistFactory()


def linked_patient(physio, **fields):
    patient = PatientFactory(**fields)
    CareTeamMembershipFactory(patient=patient, clinician=physio)
    return patient


def pains(patient, values_oldest_first, *, ending_days_ago=0):
    """One check-in a day with both scores at the given value; then the summary is refreshed."""
    today = patient.local_today()
    for index, value in enumerate(values_oldest_first):
        day = today - timedelta(days=ending_days_ago + len(values_oldest_first) - 1 - index)
        CheckInFactory(patient=patient, local_date=day, neck_back_pain=value, limb_pain=value)
    summary_refresh(patient=patient)


def added_days_ago(assignment, days):
    """Date the assignment back: adherence plans an exercise only from the day it was added."""
    type(assignment).objects.filter(pk=assignment.pk).update(created_at=timezone.now() - timedelta(days=days))
    return assignment


def rows(physio, **query):
    return caseload_for(clinician=physio, params=CaseloadParams.from_query(query)).rows


def names(physio, **query):
    return [row.patient.last_name for row in rows(physio, **query)]


# Query-string checking.


@pytest.mark.parametrize(
    "query",
    [
        {"show": "everything"},
        {"sort": "password"},
        {"sort": "name; DROP TABLE tracker_user"},
        {"dir": "sideways"},
        {"region": "knee"},
        {"page": "-1"},
        {"page": "abc"},
        {"page": "99999999999"},
    ],
)
def test_an_unknown_parameter_falls_back_to_its_default(query):
    params = CaseloadParams.from_query(query)

    assert params == CaseloadParams(search="")


def test_a_long_search_is_cut_and_its_spaces_tidied():
    params = CaseloadParams.from_query({"q": "  ada   " + "x" * 300})

    assert params.search.startswith("ada x")
    assert len(params.search) == 100


def test_the_dashboard_page_answers_unknown_parameters_with_the_default_view(client, physio):
    linked_patient(physio, last_name="Able")
    client.force_login(physio)

    response = client.get(reverse("caseload"), {"sort": "' OR 1=1 --", "show": "<script>", "page": "x"})

    assert response.status_code == 200
    assert "Able" in response.content.decode()
    assert "<script>" not in response.content.decode()


# Who is listed.


def test_only_patients_on_the_clinicians_active_care_team_are_listed(physio):
    linked_patient(physio, last_name="Mine")
    PatientFactory(last_name="Stranger")
    ended = linked_patient(physio, last_name="Former")
    ended.care_team_links.update(ended_at=timezone.now())

    assert names(physio) == ["Mine"]


def test_a_linked_doctor_sees_the_same_rows(clinic):
    doctor_rows = rows(clinic.linked_doctor)

    assert [row.patient for row in doctor_rows] == [clinic.patient_a]


# Ordering.


def test_patients_with_open_flags_come_first_most_severe_first(physio):
    calm = linked_patient(physio, last_name="Calm")
    review = linked_patient(physio, last_name="Review")
    emergency = linked_patient(physio, last_name="Emergency")
    contact = linked_patient(physio, last_name="Contact")
    FlagFactory(patient=review, severity=Severity.REVIEW_EXERCISE, rule_id="review.x", dedupe_key="review.x")
    FlagFactory(patient=contact, severity=Severity.CONTACT_PROVIDER)
    FlagFactory(patient=emergency, severity=Severity.EMERGENCY, rule_id="emergency.x", dedupe_key="emergency.x")
    for patient in (calm, review, emergency, contact):
        pains(patient, [2])

    assert names(physio) == ["Emergency", "Contact", "Review", "Calm"]


def test_between_equally_severe_flags_the_oldest_comes_first(physio):
    newer = linked_patient(physio, last_name="Newer")
    older = linked_patient(physio, last_name="Older")
    FlagFactory(patient=older)
    FlagFactory(patient=newer)

    assert names(physio) == ["Older", "Newer"]


def test_a_resolved_flag_no_longer_puts_a_patient_first(physio, clinic):
    resolved = linked_patient(physio, last_name="Aaron")
    FlagFactory(
        patient=resolved, status=FlagStatus.RESOLVED, resolved_at=timezone.now(), resolved_by=clinic.linked_physio
    )
    pains(resolved, [1])
    pains(linked_patient(physio, last_name="Zed"), [1])

    assert names(physio) == ["Aaron", "Zed"]
    assert rows(physio)[0].flags == []


def test_an_acknowledged_flag_still_counts_as_open(physio, clinic):
    patient = linked_patient(physio, last_name="Seen")
    linked_patient(physio, last_name="Another")
    FlagFactory(patient=patient, status=FlagStatus.ACKNOWLEDGED)

    assert names(physio, show=Show.FLAGGED) == ["Seen"]


def test_without_flags_the_longest_silence_comes_first(physio):
    pains(linked_patient(physio, last_name="Today"), [3])
    pains(linked_patient(physio, last_name="Week"), [3], ending_days_ago=7)
    linked_patient(physio, last_name="Never")

    assert names(physio) == ["Never", "Week", "Today"]


def test_sorting_by_pain_puts_the_highest_first_and_reversing_puts_it_last(physio):
    pains(linked_patient(physio, last_name="Low"), [2, 2, 2])
    pains(linked_patient(physio, last_name="High"), [7, 7, 7])
    linked_patient(physio, last_name="Unknown")

    assert names(physio, sort=Sort.PAIN) == ["High", "Low", "Unknown"]
    assert names(physio, sort=Sort.PAIN, dir=Direction.REVERSED) == ["Low", "High", "Unknown"]


def test_sorting_by_name(physio):
    for last_name in ("Cole", "Abbott", "Baker"):
        linked_patient(physio, last_name=last_name)

    assert names(physio, sort=Sort.NAME) == ["Abbott", "Baker", "Cole"]


def test_sorting_by_adherence_puts_the_lowest_first(physio):
    for last_name, done in (("Keen", 14), ("Lapsed", 2)):
        patient = linked_patient(physio, last_name=last_name)
        assignment = added_days_ago(AssignmentFactory(patient=patient, with_clearance=True, times_per_week=7), 30)
        for days_ago in range(done):
            session = SessionLogFactory(patient=patient, local_date=patient.local_today() - timedelta(days=days_ago))
            SessionEntryFactory(session=session, assignment=assignment)
        summary_refresh(patient=patient)

    assert names(physio, sort=Sort.ADHERENCE) == ["Lapsed", "Keen"]


# Figures.


def test_the_seven_day_pain_is_the_mean_of_the_worse_score_of_each_check_in(physio):
    patient = linked_patient(physio)
    today = patient.local_today()
    CheckInFactory(patient=patient, local_date=today, neck_back_pain=2, limb_pain=6)
    CheckInFactory(patient=patient, local_date=today - timedelta(days=1), neck_back_pain=5, limb_pain=1)
    CheckInFactory(patient=patient, local_date=today - timedelta(days=6), neck_back_pain=4, limb_pain=4)
    CheckInFactory(patient=patient, local_date=today - timedelta(days=7), neck_back_pain=10, limb_pain=10)
    summary_refresh(patient=patient)

    [row] = rows(physio)

    assert row.pain_mean == pytest.approx(5.0)  # (6 + 5 + 4) / 3; the 10 is eight days old


def test_the_windows_slide_with_the_calendar_without_any_new_write(physio):
    patient = linked_patient(physio)
    assignment = added_days_ago(AssignmentFactory(patient=patient, with_clearance=True), 20)
    today = patient.local_today()
    for days_ago, pain in ((12, 9), (11, 9), (10, 9), (5, 2), (4, 3), (3, 4)):
        day = today - timedelta(days=days_ago)
        CheckInFactory(patient=patient, local_date=day, neck_back_pain=pain, limb_pain=0)
        SessionEntryFactory(session=SessionLogFactory(patient=patient, local_date=day), assignment=assignment)
    # Last refreshed three days ago: the summary's days end then.
    summary_refresh(patient=patient, today=today - timedelta(days=3))

    [row] = rows(physio)

    assert row.pain_mean == pytest.approx(3.0)  # only the last 7 days: 2, 3, 4
    assert row.done == 6  # all six sessions are within 14 days
    assert row.days_since_check_in == 3


def test_fewer_than_three_check_ins_in_seven_days_give_no_average(physio):
    pains(linked_patient(physio), [5, 5])

    [row] = rows(physio)

    assert row.pain_mean is None


def test_the_trend_is_the_weeks_mean_minus_the_baseline(physio):
    patient = linked_patient(physio)
    pains(patient, [5, 5, 5, 5, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6])

    [row] = rows(physio)

    assert (row.baseline, row.pain_mean) == (5.0, 6.0)
    assert row.trend == pytest.approx(1.0)
    assert row.trend_direction == "up"
    assert not row.trend_is_meaningful_rise  # 1 point is 20% of 5: below 2 points and below 30%


def test_a_rise_of_thirty_percent_is_marked_as_meaningful_like_the_flag_rules(physio):
    patient = linked_patient(physio)
    pains(patient, [3, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4])

    [row] = rows(physio)

    assert row.trend_is_meaningful_rise  # 1 point is 33% of 3


def test_a_falling_trend_points_down(physio):
    pains(linked_patient(physio), [6, 6, 6, 6, 6, 6, 6, 3, 3, 3, 3, 3, 3, 3])

    [row] = rows(physio)

    assert row.trend_direction == "down"


def test_days_since_the_last_check_in_follow_the_patients_calendar(physio):
    pains(linked_patient(physio), [3], ending_days_ago=4)

    [row] = rows(physio)

    assert row.days_since_check_in == 4
    assert row.not_logging


def test_adherence_is_exercises_done_out_of_those_prescribed_in_fourteen_days(physio):
    patient = linked_patient(physio)
    walking = added_days_ago(AssignmentFactory(patient=patient, with_clearance=True, times_per_week=7), 14)
    added_days_ago(AssignmentFactory(patient=patient, times_per_week=3), 14)
    for days_ago in range(5):
        session = SessionLogFactory(patient=patient, local_date=patient.local_today() - timedelta(days=days_ago))
        SessionEntryFactory(session=session, assignment=walking)
    summary_refresh(patient=patient)

    [row] = rows(physio)

    assert (row.done, row.prescribed) == (5, 20)
    assert row.adherence == pytest.approx(0.25)


def test_adherence_is_counted_exercise_by_exercise_against_hand_counted_days(physio):
    """The miscount of issue 11 ("48 of 38"): days done for exercises no longer planned, and extra days, counted."""
    patient = linked_patient(physio)
    today = patient.local_today()
    ClearanceFactory(patient=patient)

    def done_on(assignment, days_ago):
        session, _ = SessionLog.objects.get_or_create(patient=patient, local_date=today - timedelta(days=days_ago))
        SessionEntryFactory(session=session, assignment=assignment)

    # Chin tuck, every day since long ago: done 10 of the 14 days (and once 20 days ago, outside).
    chin_tuck = added_days_ago(AssignmentFactory(patient=patient, times_per_week=7), 40)
    for days_ago in (0, 1, 2, 3, 5, 6, 8, 9, 11, 13, 20):
        done_on(chin_tuck, days_ago)
    # Walking, 5 times a week: done all 14 days, but only 10 were planned.
    walking = added_days_ago(AssignmentFactory(patient=patient, times_per_week=5), 40)
    for days_ago in range(14):
        done_on(walking, days_ago)
    # Added 2 days ago (3 days in the program, today included), daily: done twice.
    new_stretch = added_days_ago(AssignmentFactory(patient=patient, times_per_week=7), 2)
    for days_ago in (0, 1):
        done_on(new_stretch, days_ago)
    # 3 times a week, added 5 days ago (6 days: 18/7 sessions, rounded up to 3): done once.
    strength = added_days_ago(AssignmentFactory(patient=patient, times_per_week=3), 5)
    done_on(strength, 4)
    # Done every day, then paused 4 days ago: planned and done the 10 days up to the pause, not after.
    paused = added_days_ago(AssignmentFactory(patient=patient, times_per_week=7), 40)
    for days_ago in range(4, 14):
        done_on(paused, days_ago)
    Assignment.objects.filter(pk=paused.pk).update(
        status=AssignmentStatus.PAUSED, pause_reason="Sore arm", updated_at=timezone.now() - timedelta(days=4)
    )
    # Removed 9 days ago after being done daily: its 5 days in the window count (done on 4 of them).
    removed = added_days_ago(AssignmentFactory(patient=patient, times_per_week=7), 40)
    for days_ago in (9, 10, 12, 13):
        done_on(removed, days_ago)
    Assignment.objects.filter(pk=removed.pk).update(
        status=AssignmentStatus.REMOVED, removed_at=timezone.now() - timedelta(days=9)
    )
    summary_refresh(patient=patient)

    [row] = rows(physio)

    # Planned 14 + 10 + 3 + 3 + 10 + 5 = 45; done 10 + 10 (of 14) + 2 + 1 + 10 + 4 = 37.
    assert (row.done, row.prescribed) == (37, 45)
    assert row.adherence == pytest.approx(37 / 45)


def test_adherence_never_exceeds_the_plan_for_the_flagged_demo_patient_after_a_pause(physio):
    """The demo patient of issue 11: four daily exercises done for three weeks, then one paused."""
    patient = linked_patient(physio, condition=Condition.NECK)
    ClearanceFactory(patient=patient)
    today = patient.local_today()
    program = [added_days_ago(AssignmentFactory(patient=patient, times_per_week=7), 21) for _ in range(3)]
    walking = added_days_ago(AssignmentFactory(patient=patient, times_per_week=5), 21)
    for days_ago in range(21):
        session = SessionLogFactory(patient=patient, local_date=today - timedelta(days=days_ago))
        for assignment in program:
            SessionEntryFactory(session=session, assignment=assignment)
        if days_ago % 7 not in (2, 6):
            SessionEntryFactory(session=session, assignment=walking)
    Assignment.objects.filter(pk=program[0].pk).update(status=AssignmentStatus.PAUSED, pause_reason="Sore arm")
    summary_refresh(patient=patient)

    [row] = rows(physio)

    # Three daily exercises (one paused today, after its session), all 14 days done: 42 of 42;
    # walking, 5 a week, done on 10 of the 14 days: 10 of 10, its other days not counted.
    assert (row.done, row.prescribed) == (52, 52)
    assert row.adherence == 1.0


def test_each_row_has_a_fourteen_day_pain_line_named_in_words(client, physio):
    patient = linked_patient(physio)
    pains(patient, [6, 6, 5, 5, 4, 4, 3], ending_days_ago=2)
    quiet = linked_patient(physio, last_name="Quiet")
    client.force_login(physio)

    [row] = [row for row in rows(physio) if row.patient.pk == patient.pk]
    page = client.get(reverse("caseload")).content.decode()

    assert row.pain_days == [None] * 5 + [6, 6, 5, 5, 4, 4, 3, None, None]
    assert row.pain_sparkline_label == "Pain over 14 days: from 6 to 3"
    assert 'role="img" aria-label="Pain over 14 days: from 6 to 3"' in page
    assert "<polyline" in page
    assert "style=" not in page.split('id="caseload-results"')[1]
    assert quiet.last_name in page
    assert "No check-ins" in page


def test_the_caseload_page_runs_the_same_queries_for_3_or_60_patients_with_their_lines(
    client, physio, django_assert_num_queries
):
    client.force_login(physio)
    counts = []
    for size in (3, 57):
        fill_caseload(physio, size)
        # A new patient gives a new cache key: each visit builds the table (see the test below for the queries).
        with django_assert_num_queries(9) as captured:
            html = client.get(reverse("caseload")).content.decode()
        counts.append(len(captured.captured_queries))
        assert html.count('class="sparkline"') == min(25, 3 if size == 3 else 60)

    assert counts == [9, 9]


def test_adherence_is_not_shown_without_a_clearance_in_force(physio):
    patient = linked_patient(physio)
    AssignmentFactory(patient=patient)

    [row] = rows(physio)

    assert row.adherence is None


@pytest.mark.parametrize(
    ("clearance", "state"),
    [
        ({}, ClearanceState.IN_FORCE),
        (
            {"decision": Decision.RESTRICTED, "covers_neck": False, "restrictions": "No neck work."},
            ClearanceState.RESTRICTED,
        ),
        (
            {
                "decision": Decision.NOT_CLEARED,
                "covers_neck": False,
                "covers_lower_back": False,
                "covers_general": False,
            },
            ClearanceState.NOT_CLEARED,
        ),
        ({"valid_until_days_ago": 1}, ClearanceState.EXPIRED),
        ({"revoked": True}, ClearanceState.REVOKED),
        (None, ClearanceState.NONE),
    ],
)
def test_the_clearance_column_shows_the_newest_decision_as_it_stands_today(physio, clinic, clearance, state):
    patient = linked_patient(physio)
    if clearance is not None:
        fields = dict(clearance)
        today = patient.local_today()
        if fields.pop("valid_until_days_ago", None):
            fields.update(decided_on=today - timedelta(days=30), valid_until=today - timedelta(days=1))
        if fields.pop("revoked", False):
            fields.update(revoked_at=timezone.now(), revoked_by=clinic.linked_doctor, revoke_reason="Worse.")
        ClearanceFactory(patient=patient, **fields)

    [row] = rows(physio)

    assert row.clearance_state == state


# Filters and search.


def test_the_flagged_filter_keeps_patients_with_unresolved_flags(physio):
    FlagFactory(patient=linked_patient(physio, last_name="Flagged"))
    linked_patient(physio, last_name="Fine")

    assert names(physio, show=Show.FLAGGED) == ["Flagged"]


def test_the_not_logging_filter_keeps_those_silent_for_three_days_or_never_logged(physio):
    pains(linked_patient(physio, last_name="Yesterday"), [3], ending_days_ago=2)
    pains(linked_patient(physio, last_name="Quiet"), [3], ending_days_ago=3)
    linked_patient(physio, last_name="Never")

    assert sorted(names(physio, show=Show.NOT_LOGGING)) == ["Never", "Quiet"]


def test_the_no_clearance_filter_keeps_patients_without_a_decision_in_force(physio):
    ClearanceFactory(patient=linked_patient(physio, last_name="Cleared"))
    linked_patient(physio, last_name="Waiting")

    assert names(physio, show=Show.NO_CLEARANCE) == ["Waiting"]


def test_the_region_filter_keeps_patients_with_that_condition(physio):
    linked_patient(physio, last_name="Neck", condition=Condition.NECK)
    linked_patient(physio, last_name="Back", condition=Condition.LOWER_BACK)

    assert names(physio, region=Condition.NECK) == ["Neck"]


def test_search_finds_patients_by_first_or_last_name_in_any_case(physio):
    linked_patient(physio, first_name="Samira", last_name="Turner")
    linked_patient(physio, first_name="Tom", last_name="Hughes")

    assert names(physio, q="sam tur") == ["Turner"]
    assert names(physio, q="HUGH") == ["Hughes"]
    assert names(physio, q="nobody") == []


def test_search_never_reaches_patients_outside_the_caseload(physio):
    PatientFactory(first_name="Samira", last_name="Elsewhere")

    assert names(physio, q="Samira") == []


# Pages.


def test_the_caseload_is_cut_into_pages_and_a_page_past_the_end_shows_the_last(physio):
    for number in range(PAGE_SIZE + 5):
        linked_patient(physio, last_name=f"Patient{number:02d}")

    first = caseload_for(clinician=physio, params=CaseloadParams.from_query({"sort": "name"}))
    beyond = caseload_for(clinician=physio, params=CaseloadParams.from_query({"sort": "name", "page": "99"}))

    assert len(first.rows) == PAGE_SIZE
    assert first.page.paginator.num_pages == 2
    assert [row.patient.last_name for row in beyond.rows] == [f"Patient{number:02d}" for number in range(25, 30)]


# The page.


def test_the_page_shows_the_trend_with_words_for_screen_readers(client, physio):
    patient = linked_patient(physio)
    pains(patient, [2, 2, 2, 2, 2, 2, 2, 5, 5, 5, 5, 5, 5, 5])
    client.force_login(physio)

    html = client.get(reverse("caseload")).content.decode()

    assert "▲ +3.0" in html
    assert "Up 3.0 points from a baseline of 2.0, a meaningful rise." in html


def test_an_htmx_filter_change_gets_only_the_results(client, physio):
    linked_patient(physio, last_name="Able")
    client.force_login(physio)

    response = client.get(reverse("caseload"), {"q": "able"}, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert html.lstrip().startswith('<section id="caseload-results"')
    assert "Able" in html
    assert "<form" not in html
    assert response["Vary"].count("HX-Request") == 1


def test_each_patient_links_to_their_page(client, physio):
    patient = linked_patient(physio)
    client.force_login(physio)

    html = client.get(reverse("caseload")).content.decode()

    assert reverse("patient_detail", args=[patient.pk]) in html


def fill_caseload(physio, count):
    for number in range(count):
        patient = linked_patient(physio, condition=Condition.NECK if number % 2 else Condition.LOWER_BACK)
        assignment = AssignmentFactory(patient=patient, with_clearance=True)
        pains(patient, [3, 4, 5, 4, 3, 4, 5, 6])
        SessionEntryFactory(session=SessionLogFactory(patient=patient), assignment=assignment)
        if number % 3 == 0:
            FlagFactory(patient=patient)


@pytest.mark.parametrize("caseload_size", [3, 60])
@pytest.mark.parametrize("query", [{}, {"sort": "pain", "show": "flagged", "q": "a"}, {"page": "2"}])
def test_the_dashboard_runs_a_fixed_number_of_queries_whatever_the_caseload(
    client, physio, django_assert_max_num_queries, caseload_size, query
):
    fill_caseload(physio, caseload_size)
    client.force_login(physio)

    # Session, user, the second factor that verified the session, who the
    # patients are (for the cache key, tracker.pagecache), the caseload's
    # three queries (patients, their active exercises, their flags), the
    # triage inbox's alerts, and the audit trail's INSERT (tracker/audit).
    # The emergencies whose care team was not reached need a query only when
    # an emergency is open (tracker.flags.selectors.unreached_among): none here.
    with django_assert_max_num_queries(9):
        response = client.get(reverse("caseload"), query)
    assert response.status_code == 200
    # The same again: the table and the alerts come from the cache.
    with django_assert_max_num_queries(5):
        again = client.get(reverse("caseload"), query)
    results = response.text.split('<section id="caseload-results"')[1].split("</section>")[0]
    assert results == again.text.split('<section id="caseload-results"')[1].split("</section>")[0]


def test_htmx_restoring_the_page_from_history_gets_the_whole_page(client, physio):
    client.force_login(physio)

    response = client.get(
        reverse("caseload"), {"show": "flagged"}, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )

    assert "<html" in response.content.decode()


@pytest.mark.parametrize(
    "older_shape",
    [
        pytest.param(lambda recent: recent[:2], id="before per-exercise days"),
        pytest.param(lambda recent: recent[:3], id="before the version"),
        pytest.param(lambda recent: [*recent[:3], 1], id="an older version"),
    ],
)
def test_a_summary_written_by_an_older_version_is_refreshed_when_the_caseload_reads_it(
    client, physio, older_shape, django_assert_max_num_queries
):
    """No `manage.py refresh_summaries` after an upgrade: the first caseload read brings the summary up to date."""
    patient = linked_patient(physio, last_name="Upgraded")
    walking = added_days_ago(AssignmentFactory(patient=patient, with_clearance=True, times_per_week=7), 14)
    for days_ago in range(3):
        SessionEntryFactory(
            session=SessionLogFactory(patient=patient, local_date=patient.local_today() - timedelta(days=days_ago)),
            assignment=walking,
        )
    pains(patient, [6, 5, 4])
    summary = PatientSummary.objects.get(patient=patient)
    PatientSummary.objects.filter(patient=patient).update(recent_days=older_shape(summary.recent_days))
    client.force_login(physio)

    page = client.get(reverse("caseload")).text
    row = page.split("Upgraded")[1].split("</tr>")[0]

    assert "3 of 14" in row
    assert "Pain over 14 days: from 6 to 4" in row
    assert summary_is_current(PatientSummary.objects.get(patient=patient).recent_days)
    # Refreshed once: the next table built reads the stored summary again, with no refresh.
    with django_assert_max_num_queries(10):
        client.get(reverse("caseload"), {"sort": "name"})
