"""Every clinician surface reads each rule's flag in the clinician's words, whole; the patient reads their own.

The surfaces: the triage inbox and caseload, the patient page, the printed
report, the flag alert e-mail, the daily digest and the FHIR Flag. Each flag
carries the summary its rule really writes, with a long tail added so a surface
that cut text short would show it.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from tests.factories import AssignmentFactory, ExerciseFactory, FlagFactory
from tracker.fhir.resources import flag_resource
from tracker.flags.notify import message_for
from tracker.flags.rules import RULES
from tracker.flags.titles import title_for
from tracker.models import FlagNotification
from tracker.reminders.digest import digest_lines, digest_message

from .builders import run
from .test_clinician_voice import HISTORIES

pytestmark = pytest.mark.django_db

TAIL = (
    " Reviewed against the previous fortnight of check-ins and sessions, with every figure above taken from the"
    " patient's own entries, so the whole of this sentence must reach the clinician exactly as it was written."
)


@pytest.fixture(params=[rule.id for rule in RULES])
def flag(request, clinic):
    (finding,) = run(request.param, HISTORIES[request.param]())
    rule_id = request.param
    assignment = None
    if rule_id.startswith("review."):
        assignment = AssignmentFactory(
            patient=clinic.patient_a, with_clearance=True, exercise=ExerciseFactory(name="Surface bridge")
        )
    return FlagFactory(
        patient=clinic.patient_a,
        rule_id=rule_id,
        severity=finding.severity,
        assignment=assignment,
        explanation=finding.explanation,
        clinician_summary=finding.clinician_summary + TAIL,
    )


def page(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def assert_clinicians_words(text: str, flag, *, html: bool = True) -> None:
    shown = escape if html else str
    assert shown(flag.clinician_summary) in text  # whole, the tail included
    assert shown(flag.explanation) not in text


def test_the_inbox_and_patient_page_read_the_clinicians_summary(client, clinic, flag):
    physio = clinic.linked_physio

    caseload = page(client, physio, reverse("caseload"))
    patient_page = page(client, physio, reverse("patient_detail", args=[flag.patient_id]))

    assert_clinicians_words(caseload.split('id="triage-inbox"')[1], flag)
    assert title_for(flag.rule_id) in caseload.split('id="caseload-results"')[1]
    assert_clinicians_words(patient_page.split('id="flags"')[1].split("</section>")[0], flag)
    assert_clinicians_words(patient_page.split('id="flag-history"')[1].split("</section>")[0], flag)


def test_the_printed_report_reads_the_clinicians_summary(client, clinic, flag):
    today = clinic.patient_a.local_today()
    query = f"?start={today - timedelta(days=7):%Y-%m-%d}&end={today:%Y-%m-%d}"
    report = page(client, clinic.linked_physio, reverse("patient_report", args=[flag.patient_id]) + query)

    assert_clinicians_words(report, flag)


def test_the_alert_email_and_the_daily_digest_read_the_clinicians_summary(clinic, flag):
    physio = clinic.linked_physio

    _subject, alert = message_for(FlagNotification(flag=flag, recipient=physio, severity=flag.severity))
    _subject, digest = digest_message(clinician=physio, lines=digest_lines(clinician=physio, now=timezone.now()))

    assert_clinicians_words(alert, flag, html=False)
    assert_clinicians_words(digest, flag, html=False)


def test_the_fhir_flag_reads_the_clinicians_summary(clinic, flag):
    resource = flag_resource(flag, clinic.patient_a)

    assert resource["code"]["text"] == flag.clinician_summary


def test_the_patient_reads_their_own_words_and_never_the_clinicians(client, clinic, flag):
    today = page(client, clinic.patient_a, reverse("home"))

    assert escape(flag.explanation) in today
    assert escape(flag.clinician_summary) not in today
