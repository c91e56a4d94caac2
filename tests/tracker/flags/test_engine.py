"""The flag engine against the database: every rule end to end, dedupe, still-applies, reviews, failures."""

import logging

import pytest
from django.db import transaction

from tests.factories import AssignmentFactory, CareTeamMembershipFactory, FlagFactory, PatientFactory
from tracker.flags import engine
from tracker.flags.rules import Hit, Rule
from tracker.models import Change, CheckIn, Condition, Extent, Flag, FlagStatus, Severity
from tracker.services.flags import flag_resolve, flags_evaluate

from .records import log_check_in, log_days, log_entry

pytestmark = pytest.mark.django_db


def open_rule_ids(patient) -> set[str]:
    return set(Flag.objects.unresolved().filter(patient=patient).values_list("rule_id", flat=True))


def the_flag(patient, rule_id: str) -> Flag:
    return Flag.objects.unresolved().get(patient=patient, rule_id=rule_id)


# Each rule in DESIGN.md: a history that crosses its threshold, and one that stays just below it.
def bladder(patient, crossing):
    log_check_in(patient, 0, bladder_bowel_change=crossing)


def both_legs(patient, crossing):
    log_check_in(patient, 0, both_legs=crossing)


def foot_drop(patient, crossing):
    log_check_in(patient, 0, foot_drop=crossing)


def saddle(patient, crossing):
    log_check_in(patient, 0, saddle_numbness=crossing)


def sudden(patient, crossing):
    log_check_in(patient, 0, sudden_weakness_or_numbness=crossing)


def neck_cord(patient, crossing):
    patient.condition = Condition.NECK
    patient.save()
    log_check_in(patient, 0, hand_clumsiness_or_falls=crossing)


def rising(patient, crossing):
    # Baseline 3; the 30% rule (with its 1-point floor) puts the threshold at 4.
    log_days(patient, 27, 21, back=3)
    if crossing:
        log_days(patient, 20, 0, back=4)
    else:
        log_days(patient, 20, 3, back=4)
        log_check_in(patient, 2, back=3)
        log_days(patient, 1, 0, back=4)


def high_day(patient, crossing):
    log_check_in(patient, 0, back=8 if crossing else 7)


def high_above_baseline(patient, crossing):
    log_days(patient, 20, 1, back=3)
    log_check_in(patient, 0, back=6 if crossing else 5)


def numbness(patient, crossing):
    log_check_in(patient, 2 if crossing else 1, numbness=Change.NEW)
    log_check_in(patient, 0, numbness=Change.SAME)


def spreading(patient, crossing):
    log_check_in(patient, 2 if crossing else 1, extent=Extent.SPREADING)
    log_check_in(patient, 0, extent=Extent.SPREADING)


def weakness(patient, crossing):
    log_check_in(patient, 0, weakness=Change.NEW if crossing else Change.SAME)


def general(patient, crossing):
    log_check_in(patient, 0, night_pain=crossing)


def not_heard(patient, crossing):
    log_check_in(patient, 3 if crossing else 2, limb=9)


def exercise(patient, crossing):
    assignment = AssignmentFactory(patient=patient, exercise__name="Wall slide")
    for days_ago in (5, 3):
        log_entry(assignment, days_ago, before=2, after=5 if crossing else 4)
    log_entry(assignment, 1, before=2, after=2)


SCENARIOS = [
    (bladder, "emergency.cauda_equina", "Today you told us about a change in how your bladder or bowel works."),
    (saddle, "emergency.cauda_equina", "Today you told us about numbness around your bottom or genitals."),
    (both_legs, "emergency.both_legs_or_foot_drop", "Today you told us about pain, numbness or weakness in both legs."),
    (foot_drop, "emergency.both_legs_or_foot_drop", "Today you told us about a foot that drops or drags"),
    (sudden, "emergency.sudden_weakness_or_numbness", "sudden weakness or numbness that has not gone away"),
    (neck_cord, "emergency.neck_cord_signs", "clumsy hands, a change in how you walk, or a fall"),
    (rising, "contact.pain_rising", "Your average back pain over the last 7 days is 4, up from 3 when you started."),
    (high_day, "contact.pain_high_day", "Your back pain was 8 out of 10 today."),
    (
        high_above_baseline,
        "contact.pain_high_day",
        "Your back pain was 6 out of 10 today. When you started, it was 3 on average.",
    ),
    (numbness, "contact.nerve_symptoms_spreading", "your numbness or tingling was new or worse"),
    (spreading, "contact.nerve_symptoms_spreading", "your symptoms were spreading further down your leg"),
    (weakness, "contact.new_weakness", "Today you told us your weakness is new."),
    (general, "contact.general_warning_signs", "Today you told us about new pain at night."),
    (not_heard, "contact.not_heard_from_you", "we have not heard from you in the 3 days since"),
    (exercise, "review.exercise_aggravates", "Wall slide made your symptoms worse in 2 of your last 3"),
]


@pytest.mark.parametrize(
    ("build", "rule_id", "words"), SCENARIOS, ids=[f"{rule_id}-{build.__name__}" for build, rule_id, _ in SCENARIOS]
)
def test_a_history_crossing_the_threshold_opens_the_right_flag(build, rule_id, words):
    patient = PatientFactory()
    build(patient, crossing=True)
    result = flags_evaluate(patient=patient)
    assert result.ok
    flag = the_flag(patient, rule_id)
    assert words in flag.explanation
    assert flag.severity == {"emergency": 3, "contact": 2, "review": 1}[rule_id.split(".")[0]]
    assert flag.status == FlagStatus.OPEN
    assert flag.evidence


@pytest.mark.parametrize(
    ("build", "rule_id", "words"), SCENARIOS, ids=[f"{rule_id}-{build.__name__}" for build, rule_id, _ in SCENARIOS]
)
def test_a_history_just_below_the_threshold_opens_no_such_flag(build, rule_id, words):
    patient = PatientFactory()
    build(patient, crossing=False)
    assert flags_evaluate(patient=patient).ok
    assert rule_id not in open_rule_ids(patient)


def test_a_review_exercise_flag_names_the_assignment():
    patient = PatientFactory()
    exercise(patient, crossing=True)
    flag = the_flag(patient, "review.exercise_aggravates") if flags_evaluate(patient=patient) else None
    assert flag.assignment.exercise.name == "Wall slide"
    assert flag.dedupe_key == f"review.exercise_aggravates:{flag.assignment_id}"


def test_a_removed_exercise_raises_no_flag():
    patient = PatientFactory()
    exercise(patient, crossing=True)
    patient.assignments.update(status="removed", removed_at="2025-01-01T00:00:00Z")
    flags_evaluate(patient=patient)
    assert open_rule_ids(patient) == set()


# --- Dedupe and lifecycle ----------------------------------------------------


def test_evaluating_again_keeps_one_flag_and_writes_no_history():
    patient = PatientFactory()
    log_check_in(patient, 0, fever=True)
    flags_evaluate(patient=patient)
    flags_evaluate(patient=patient)
    flag = the_flag(patient, "contact.general_warning_signs")
    assert Flag.objects.filter(patient=patient).count() == 1
    assert flag.history.count() == 1


def test_new_evidence_updates_the_open_flag_instead_of_adding_one():
    patient = PatientFactory()
    check_in = log_check_in(patient, 0, fever=True)
    flags_evaluate(patient=patient)
    check_in.night_pain = True
    check_in.save()
    result = flags_evaluate(patient=patient)
    flag = the_flag(patient, "contact.general_warning_signs")
    assert Flag.objects.filter(patient=patient).count() == 1
    assert result.updated == [flag]
    assert "a fever and new pain at night" in flag.explanation
    assert flag.evidence["signs"] == ["fever", "night_pain"]
    assert flag.history.count() == 2


def test_an_acknowledged_flag_is_updated_too():
    patient = PatientFactory()
    check_in = log_check_in(patient, 0, fever=True)
    flags_evaluate(patient=patient)
    Flag.objects.filter(patient=patient).update(status=FlagStatus.ACKNOWLEDGED)
    check_in.weight_loss = True
    check_in.save()
    flags_evaluate(patient=patient)
    assert Flag.objects.filter(patient=patient).count() == 1
    assert "weight loss" in Flag.objects.get(patient=patient).explanation


def test_a_flag_that_no_longer_applies_stays_open_until_a_clinician_resolves_it():
    patient = PatientFactory()
    check_in = log_check_in(patient, 0, weakness=Change.NEW)
    flags_evaluate(patient=patient)
    check_in.weakness = Change.SAME
    check_in.save()
    result = flags_evaluate(patient=patient)
    flag = Flag.objects.get(patient=patient)
    assert flag.status == FlagStatus.OPEN
    assert flag.still_applies is False
    assert result.no_longer_applies == [flag]


def test_a_flag_that_applies_again_says_so():
    patient = PatientFactory()
    check_in = log_check_in(patient, 0, weakness=Change.NEW)
    flags_evaluate(patient=patient)
    CheckIn.objects.filter(pk=check_in.pk).update(weakness=Change.SAME)
    flags_evaluate(patient=patient)
    CheckIn.objects.filter(pk=check_in.pk).update(weakness=Change.WORSE)
    flags_evaluate(patient=patient)
    assert Flag.objects.get(patient=patient).still_applies is True


def test_a_resolved_flag_is_not_reopened_by_the_evidence_the_clinician_already_saw():
    patient = PatientFactory()
    physio = CareTeamMembershipFactory(patient=patient).clinician
    log_check_in(patient, 0, fever=True)
    flags_evaluate(patient=patient)
    flag_resolve(flag=Flag.objects.get(patient=patient), by=physio, note="Spoke to them; their GP is treating it.")
    flags_evaluate(patient=patient)
    assert Flag.objects.unresolved().filter(patient=patient).count() == 0


def test_new_evidence_after_a_resolution_opens_a_new_flag():
    patient = PatientFactory()
    physio = CareTeamMembershipFactory(patient=patient).clinician
    check_in = log_check_in(patient, 0, fever=True)
    flags_evaluate(patient=patient)
    flag_resolve(flag=Flag.objects.get(patient=patient), by=physio, note="Spoke to them.")
    check_in.bladder_bowel_change = True
    check_in.save()
    flags_evaluate(patient=patient)
    assert open_rule_ids(patient) == {"contact.general_warning_signs", "emergency.cauda_equina"}
    assert Flag.objects.filter(patient=patient, rule_id="contact.general_warning_signs").count() == 2


def test_resolving_a_rising_pain_flag_restarts_the_baseline():
    patient = PatientFactory()
    physio = CareTeamMembershipFactory(patient=patient).clinician
    rising(patient, crossing=True)
    flags_evaluate(patient=patient)
    flag_resolve(flag=the_flag(patient, "contact.pain_rising"), by=physio, note="Reviewed; new plan.")
    log_check_in(patient, -1, back=4)  # tomorrow's check-in, evaluated tomorrow
    flags_evaluate(patient=patient, today=patient.local_today())
    assert "contact.pain_rising" not in open_rule_ids(patient)


def rule_returning(severity: Severity, text: str = "Something changed.") -> Rule:
    return Rule(id="test.rule", severity=severity, title="Test rule", check=lambda snapshot: Hit(text, {"n": 1}))


def test_severity_rises_on_the_same_flag_but_never_falls():
    patient = PatientFactory()
    engine.evaluate(patient=patient, rules=[rule_returning(Severity.CONTACT_PROVIDER)])
    result = engine.evaluate(patient=patient, rules=[rule_returning(Severity.EMERGENCY, "Worse now.")])
    flag = Flag.objects.get(patient=patient)
    assert result.raised == [flag]
    assert flag.severity == Severity.EMERGENCY
    engine.evaluate(patient=patient, rules=[rule_returning(Severity.CONTACT_PROVIDER)])
    flag.refresh_from_db()
    assert flag.severity == Severity.EMERGENCY
    assert flag.explanation == "Something changed."


def test_emergency_beats_everything_when_several_rules_fire():
    patient = PatientFactory()
    log_days(patient, 20, 1, back=3)
    log_check_in(patient, 0, back=9, fever=True, foot_drop=True, weakness=Change.NEW)
    flags_evaluate(patient=patient)
    flags = list(Flag.objects.unresolved().filter(patient=patient))
    assert flags[0].severity == Severity.EMERGENCY  # the model's default order: most severe first
    assert {flag.severity for flag in flags} == {Severity.EMERGENCY, Severity.CONTACT_PROVIDER}


# --- Failures are reported, never raised -------------------------------------


def broken_rule(snapshot):
    raise ZeroDivisionError("no data")


def test_a_failing_rule_is_logged_reported_and_flagged_for_the_care_team(caplog):
    patient = PatientFactory()
    log_check_in(patient, 0, fever=True)
    rules = [Rule("test.broken", Severity.EMERGENCY, "Broken check", broken_rule), *engine.RULES]
    with caplog.at_level(logging.ERROR, logger="tracker.flags.engine"):
        result = engine.evaluate(patient=patient, rules=rules)
    assert [(failure.rule_id, failure.error) for failure in result.failures] == [
        ("test.broken", "ZeroDivisionError: no data")
    ]
    assert "Flag rule test.broken failed" in caplog.text
    assert "ZeroDivisionError" in caplog.text  # with its traceback
    failure_flag = Flag.objects.get(patient=patient, rule_id=engine.SYSTEM_RULE_FAILED)
    assert failure_flag.dedupe_key == "system.rule_failed:test.broken"
    assert '"Broken check" could not run' in failure_flag.explanation
    assert "contact.general_warning_signs" in open_rule_ids(patient)  # the other rules still ran


def test_a_failure_flag_no_longer_applies_once_the_rule_runs_again():
    patient = PatientFactory()
    engine.evaluate(patient=patient, rules=[Rule("test.broken", Severity.EMERGENCY, "Broken", broken_rule)])
    engine.evaluate(patient=patient, rules=[Rule("test.broken", Severity.EMERGENCY, "Fixed", lambda snapshot: None)])
    assert Flag.objects.get(patient=patient).still_applies is False


def test_a_failing_rule_does_not_mark_its_open_flag_as_no_longer_applying():
    patient = PatientFactory()
    FlagFactory(patient=patient, rule_id="test.broken")
    engine.evaluate(patient=patient, rules=[Rule("test.broken", Severity.EMERGENCY, "Broken", broken_rule)])
    assert Flag.objects.get(patient=patient, rule_id="test.broken").still_applies is True


def test_a_history_that_cannot_be_read_is_reported_and_does_not_raise(monkeypatch, caplog):
    patient = PatientFactory()

    def unreadable(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(engine, "load_snapshot", unreadable)
    result = flags_evaluate(patient=patient)
    assert [failure.rule_id for failure in result.failures] == ["snapshot"]
    assert "Could not read the history" in caplog.text
    assert Flag.objects.get(patient=patient).dedupe_key == "system.rule_failed:snapshot"


def test_a_storage_error_leaves_the_callers_transaction_usable(monkeypatch):
    patient = PatientFactory()
    log_check_in(patient, 0, fever=True)

    def failing_create(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Flag.objects, "create", failing_create)
    with transaction.atomic():
        result = flags_evaluate(patient=patient)
        log_check_in(patient, 1)  # the caller carries on in the same transaction
    assert [failure.rule_id for failure in result.failures] == ["persist"]
    assert result.opened == []
    assert CheckIn.objects.filter(patient=patient).count() == 2


# --- Fixed number of queries -------------------------------------------------


def test_evaluation_runs_a_fixed_number_of_queries_whatever_the_history(django_assert_max_num_queries):
    short, long = PatientFactory(), PatientFactory()
    log_days(short, 3, 0)
    log_days(long, 200, 0)
    for patient in (short, long):
        assignment = AssignmentFactory(patient=patient)
        for days_ago in range(0, 20 if patient is long else 2):
            log_entry(assignment, days_ago)
    for patient in (short, long):
        with django_assert_max_num_queries(8):
            assert flags_evaluate(patient=patient).ok


def numbered_rules(count: int, severity: Severity, text: str) -> list[Rule]:
    return [
        Rule(id=f"test.rule.{number}", severity=severity, title="Test rule", check=lambda snapshot: Hit(text, {"n": 1}))
        for number in range(count)
    ]


@pytest.mark.parametrize("count", [1, 6])
def test_opening_updating_and_setting_aside_flags_costs_the_same_queries_for_one_flag_or_six(
    count, django_assert_num_queries
):
    """The check-in's write path must not grow with the flags it touches: new, changed and stale flags go in bulk."""
    patient = PatientFactory()
    CareTeamMembershipFactory(patient=patient)
    CareTeamMembershipFactory(patient=patient)
    engine.evaluate(patient=patient, rules=numbered_rules(count, Severity.CONTACT_PROVIDER, "First."))
    assert Flag.objects.filter(patient=patient).count() == count
    # Changed: the history (three reads), the savepoint around the writes and its release, the lock, the
    # open flags, then one UPDATE and one history INSERT for them all, whatever their number.
    with django_assert_num_queries(3 + 2 + 2 + 2):
        engine.evaluate(patient=patient, rules=numbered_rules(count, Severity.CONTACT_PROVIDER, "Second."))
    assert set(Flag.objects.filter(patient=patient).values_list("explanation", flat=True)) == {"Second."}
    assert Flag.history.filter(patient=patient, explanation="Second.").count() == count
    # No longer applying (the rules ran and found nothing): the same.
    quiet = [
        Rule(id=rule.id, severity=rule.severity, title=rule.title, check=lambda snapshot: None)
        for rule in numbered_rules(count, Severity.CONTACT_PROVIDER, "")
    ]
    with django_assert_num_queries(3 + 2 + 2 + 2):
        engine.evaluate(patient=patient, rules=quiet)
    assert not Flag.objects.filter(patient=patient, still_applies=True).exists()
