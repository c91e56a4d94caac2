"""Every URL in the project, for every kind of visitor.

Allowed visitors get a normal answer; everyone else who is signed in gets the
same 404 as a page that does not exist; anonymous visitors are sent to sign in.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.access import (
    A_CARE_TEAM,
    A_DOCTOR,
    A_PHYSIO,
    ACTORS,
    CLINIC_A_CLINICIANS,
    CLINICIANS,
    EVERYONE,
    MANAGERS,
    PATIENT_A_ONLY,
    PATIENTS,
    SIGNED_IN,
    Route,
)
from tests.factories import (
    AssignmentFactory,
    ClearanceFactory,
    ClinicalNoteFactory,
    ExerciseFactory,
    FlagFactory,
    SessionEntryFactory,
    exercise_picture,
    passkey_for,
)
from tracker.models import Flag, SessionLog
from tracker.reminders.links import unsubscribe_token


def _invitation(clinic, **fields):
    """An open invitation of patient A's clinic, sent by A's physiotherapist."""
    from tests.tracker.clinics.helpers import InvitationFactory

    return InvitationFactory(invited_by=clinic.linked_physio, **fields)


def _colleague(clinic):
    """A doctor of patient A's clinic who joined by invitation and waits for the manager's approval."""
    from tests.factories import DoctorFactory

    return DoctorFactory(is_active=False)


def _extra_care_team_link(clinic):
    """A colleague of A's clinic added to A's care team, so ending the link leaves A's team as it was."""
    from tests.factories import CareTeamMembershipFactory, PhysiotherapistFactory

    return CareTeamMembershipFactory(patient=clinic.patient_a, clinician=PhysiotherapistFactory())


def _email_change_token(clinic) -> dict:
    from tracker.clinics.tokens import email_change_token

    return {"token": email_change_token(user=clinic.patient_a, new_email="alice.new@example.org")}


def _invitation_token(clinic) -> dict:
    from tracker.clinics.tokens import invitation_token

    return {"token": invitation_token(_invitation(clinic))}


def _patient_a_flag(clinic) -> dict:
    """An unresolved flag of patient A (one per rule at a time, so an existing one is used again)."""
    flag = Flag.objects.unresolved().filter(patient=clinic.patient_a).first() or FlagFactory(patient=clinic.patient_a)
    return {"patient_id": flag.patient_id, "flag_id": flag.pk}


def _first_questionnaire() -> dict:
    """A complete first questionnaire: three activities rated, and the three PEG answers."""
    return {
        "submission_token": "0d6f3f4e-5a4b-4c3d-9e2f-1a0b9c8d7e6f",
        **{f"activity_{n}": f"Activity {n}" for n in (1, 2, 3)},
        **{f"rating_{n}": "5" for n in (1, 2, 3)},
        "peg-pain": "4",
        "peg-enjoyment": "3",
        "peg-activity": "5",
    }


ROUTES: list[Route] = [
    # Foundation: accounts and home pages.
    Route("home", SIGNED_IN),
    Route("patient_home", PATIENTS),
    Route("caseload", CLINICIANS),
    Route("login", EVERYONE),
    Route("logout", EVERYONE, method="post"),
    Route("password_change", SIGNED_IN),
    Route("password_change_done", SIGNED_IN),
    Route("password_reset", EVERYONE),
    Route("password_reset_done", EVERYONE),
    Route("password_reset_confirm", EVERYONE, kwargs=lambda clinic: {"uidb64": "MQ", "token": "set-password"}),
    Route("password_reset_complete", EVERYONE),
    Route("favicon", EVERYONE),
    # For the load balancer and monitoring: counts only, no one named (tests/tracker/test_health.py).
    Route("healthz", EVERYONE),
    # The second step of signing in: everyone manages their own (tests/tracker/mfa/).
    Route("mfa_verify", SIGNED_IN),
    Route("mfa_setup", SIGNED_IN),
    Route("mfa_manage", SIGNED_IN),
    Route("mfa_recovery_codes", SIGNED_IN, method="post"),
    Route("mfa_turn_off", SIGNED_IN, method="post"),
    # Sessions: stay signed in, sign out elsewhere (tests/tracker/signin/).
    Route("session_keep_alive", SIGNED_IN, method="post"),
    Route("sign_out_other_devices", SIGNED_IN, method="post"),
    # A passkey is removed only by its owner; anyone else's id is a 404.
    Route(
        "mfa_passkey_remove",
        frozenset({"patient_a"}),
        method="post",
        kwargs=lambda clinic: {"passkey_id": passkey_for(clinic.patient_a).pk},
    ),
    # Exercise library, clearances and programs.
    Route("my_exercises", PATIENTS),
    Route("activities_to_avoid", EVERYONE),
    # Uploaded exercise pictures: library material, for anyone signed in (not the public).
    Route(
        "exercise_media_file",
        SIGNED_IN,
        kwargs=lambda clinic: (lambda media: {"media_id": media.pk, "name": media.small_file.name.rsplit("/", 1)[-1]})(
            exercise_picture()
        ),
    ),
    # A linked doctor may view the program; only the linked physiotherapist changes it.
    Route("program", A_CARE_TEAM, kwargs=lambda clinic: {"patient_id": clinic.patient_a.pk}),
    *[
        Route(
            "program_add",
            A_PHYSIO,
            method="post",
            kwargs=lambda clinic: {"patient_id": ClearanceFactory(patient=clinic.patient_a).patient_id},
            data=lambda clinic: {"add-exercise": ExerciseFactory().pk},
            htmx=htmx,
        )
        for htmx in (False, True)
    ],
    *[
        Route(
            name,
            A_PHYSIO,
            method="post",
            kwargs=lambda clinic, status=status: {
                "patient_id": clinic.patient_a.pk,
                "assignment_id": AssignmentFactory(
                    patient=clinic.patient_a, with_clearance=True, status=status, pause_reason="Sore this week."
                ).pk,
            },
            data=lambda clinic, data=data: data,
            htmx=htmx,
        )
        for name, status, data in (
            ("assignment_change", "active", {"version": 1, "sets": 2, "reps": 8}),
            ("assignment_pause", "active", {"version": 1, "reason": "Flare-up."}),
            ("assignment_resume", "paused", {"version": 1}),
            ("assignment_remove", "active", {"version": 1}),
        )
        for htmx in (False, True)
    ],
    # Only the linked doctor records a decision in the app; the linked physio one given elsewhere.
    Route("clearance", A_CARE_TEAM, kwargs=lambda clinic: {"patient_id": clinic.patient_a.pk}),
    Route(
        "clearance_record",
        A_DOCTOR,
        method="post",
        kwargs=lambda clinic: {"patient_id": clinic.patient_a.pk},
        data=lambda clinic: {"record-decision": "cleared"},
    ),
    Route(
        "clearance_record_external",
        A_PHYSIO,
        method="post",
        kwargs=lambda clinic: {"patient_id": clinic.patient_a.pk},
        data=lambda clinic: {
            "external-doctor_name": "Dr Rivera",
            "external-decided_on": "2026-01-05",
            "external-decision": "cleared",
        },
    ),
    # The doctor may withdraw any approval; a physio only an outside one they recorded.
    Route(
        "clearance_revoke",
        A_DOCTOR,
        method="post",
        kwargs=lambda clinic: {
            "patient_id": clinic.patient_a.pk,
            "clearance_id": ClearanceFactory(patient=clinic.patient_a, doctor=clinic.linked_doctor).pk,
        },
        data=lambda clinic: {"revoke-reason": "New weakness in the left leg."},
    ),
    Route(
        "clearance_revoke",
        A_CARE_TEAM,
        method="post",
        kwargs=lambda clinic: {
            "patient_id": clinic.patient_a.pk,
            "clearance_id": ClearanceFactory(
                patient=clinic.patient_a,
                doctor=None,
                external_doctor_name="Dr Rivera",
                recorded_by=clinic.linked_physio,
            ).pk,
        },
        data=lambda clinic: {"revoke-reason": "Entered for the wrong patient."},
    ),
    # Daily check-in, session log and progress.
    # Only the patient reads and writes their own log; the URL names no patient, and
    # another patient's exercise id is a 404. Clinicians read logs on their own pages.
    Route("checkin_today", PATIENTS),
    Route("checkin", PATIENTS, kwargs=lambda clinic: {"day": clinic.patient_a.local_today().isoformat()}),
    Route(
        "checkin",
        PATIENTS,
        method="post",
        kwargs=lambda clinic: {"day": clinic.patient_a.local_today().isoformat()},
        data=lambda clinic: {
            "neck_back_pain": "3",
            "limb_pain": "2",
            "numbness": "none",
            "weakness": "none",
            "extent": "same",
            "submission_token": "6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f",
        },
    ),
    Route("session_today", PATIENTS),
    Route("session_log", PATIENTS, kwargs=lambda clinic: {"day": clinic.patient_a.local_today().isoformat()}),
    *[
        Route(
            name,
            frozenset({"patient_a"}),
            method="post",
            kwargs=lambda clinic: {
                "day": clinic.patient_a.local_today().isoformat(),
                "assignment_id": AssignmentFactory(patient=clinic.patient_a, with_clearance=True).pk,
            },
            data=lambda clinic: {f"exercise-{clinic.patient_a.assignments.latest('id').pk}-status": "done"},
            htmx=htmx,
        )
        for name in ("session_entry", "session_done")
        for htmx in (False, True)
    ],
    # The optional pain score after "Done": the patient's own done entry only (A's exercise is a 404 to B).
    *[
        Route(
            "session_pain_after",
            frozenset({"patient_a"}),
            method="post",
            kwargs=lambda clinic: {
                "day": clinic.patient_a.local_today().isoformat(),
                "assignment_id": SessionEntryFactory(
                    session=SessionLog.objects.get_or_create(
                        patient=clinic.patient_a, local_date=clinic.patient_a.local_today()
                    )[0],
                    assignment=AssignmentFactory(patient=clinic.patient_a, with_clearance=True),
                ).assignment_id,
            },
            data=lambda clinic: {"pain_after": "3"},
            htmx=htmx,
        )
        for htmx in (False, True)
    ],
    # The guided session: the patient's own day only; another patient's exercise id is a 404.
    Route("guided_start", PATIENTS),
    Route(
        "guided_exercise",
        PATIENT_A_ONLY,
        kwargs=lambda clinic: {
            "day": clinic.patient_a.local_today().isoformat(),
            "assignment_id": AssignmentFactory(patient=clinic.patient_a, with_clearance=True).pk,
        },
    ),
    Route(
        "guided_exercise",
        PATIENT_A_ONLY,
        method="post",
        kwargs=lambda clinic: {
            "day": clinic.patient_a.local_today().isoformat(),
            "assignment_id": AssignmentFactory(patient=clinic.patient_a, with_clearance=True).pk,
        },
        data=lambda clinic: {f"exercise-{clinic.patient_a.assignments.latest('id').pk}-status": "done"},
    ),
    Route("guided_finish", PATIENTS, kwargs=lambda clinic: {"day": clinic.patient_a.local_today().isoformat()}),
    Route("my_history", PATIENTS),
    Route("my_progress", PATIENTS),
    # Flags.
    *(
        Route(
            name,
            A_CARE_TEAM,
            method=method,
            htmx=htmx,
            kwargs=lambda clinic: _patient_a_flag(clinic),
            data=lambda clinic: {"note": "Called the patient; settling."},
        )
        for name, method, htmx in (
            ("flag_acknowledge", "post", False),
            ("flag_acknowledge", "post", True),
            ("flag_resolve", "get", False),
            ("flag_resolve", "post", False),
            ("flag_resolve", "post", True),
        )
    ),
    # Triage inbox: mark all of patient A's alerts as seen (care team only).
    *(
        Route(
            "flags_acknowledge_all",
            A_CARE_TEAM,
            method="post",
            htmx=htmx,
            kwargs=lambda clinic: {"patient_id": _patient_a_flag(clinic)["patient_id"]},
        )
        for htmx in (False, True)
    ),
    # Clinician review: patient page, notes, report, export.
    Route("patient_detail", A_CARE_TEAM, kwargs=lambda clinic: {"patient_id": clinic.patient_a.pk}),
    Route(
        "note_create",
        A_CARE_TEAM,
        method="post",
        kwargs=lambda clinic: {"patient_id": clinic.patient_a.pk},
        data=lambda clinic: {"body": "Seen today."},
    ),
    Route(
        "note_create",
        A_CARE_TEAM,
        method="post",
        kwargs=lambda clinic: {"patient_id": clinic.patient_a.pk},
        data=lambda clinic: {"body": "Seen today."},
        htmx=True,
    ),
    # Only the note's author may edit it; the rest of the care team gets 404 too.
    Route(
        "note_update",
        A_PHYSIO,
        kwargs=lambda clinic: {
            "patient_id": clinic.patient_a.pk,
            "note_id": ClinicalNoteFactory(patient=clinic.patient_a, author=clinic.linked_physio).pk,
        },
    ),
    Route(
        "note_update",
        A_PHYSIO,
        method="post",
        kwargs=lambda clinic: {
            "patient_id": clinic.patient_a.pk,
            "note_id": ClinicalNoteFactory(patient=clinic.patient_a, author=clinic.linked_physio).pk,
        },
        data=lambda clinic: {"body": "Corrected wording."},
    ),
    Route("patient_report", A_CARE_TEAM, kwargs=lambda clinic: {"patient_id": clinic.patient_a.pk}),
    Route(
        "patient_report",
        A_CARE_TEAM,
        kwargs=lambda clinic: {"patient_id": clinic.patient_a.pk},
        query="?start=2025-01-01&end=2025-01-31",
    ),
    Route("patient_export", A_CARE_TEAM, kwargs=lambda clinic: {"patient_id": clinic.patient_a.pk}),
    Route("my_data", PATIENTS),
    # /my/export.csv takes no id: each patient gets only their own file (tests/tracker/test_export.py).
    Route("my_export", PATIENTS),
    # Clinics: invitations are the clinic's own (any clinician of it); another clinic's id is a 404.
    Route("invitation_list", CLINICIANS),
    Route("invitation_new", CLINICIANS),
    Route(
        "invitation_new",
        CLINICIANS,
        method="post",
        data=lambda clinic: {
            "first_name": "Nia",
            "last_name": "New",
            "email": "nia.new@example.org",
            "condition": "neck",
            "time_zone": "Europe/London",
            "date_of_birth": "1980-05-04",
        },
    ),
    Route("clinician_invite", CLINICIANS),
    Route(
        "clinician_invite",
        CLINICIANS,
        method="post",
        data=lambda clinic: {
            "first_name": "Cai",
            "last_name": "Colleague",
            "email": "cai@example.org",
            "role": "doctor",
        },
    ),
    *[
        Route(name, CLINIC_A_CLINICIANS, method="post", kwargs=lambda clinic: {"invitation_id": _invitation(clinic).pk})
        for name in ("invitation_resend", "invitation_cancel")
    ],
    # The link in the e-mail: public; anyone signed in is asked to sign out first (tests/tracker/clinics/).
    Route("invitation_accept", EVERYONE, kwargs=_invitation_token),
    Route("clinic_terms", EVERYONE),
    # The audit trail (tests/tracker/audit/): each patient sees who looked at their own record; the
    # clinic's review and its CSV for staff and each clinic's manager (their own clinic's rows).
    Route("my_record_views", PATIENTS),
    Route("audit_review", MANAGERS | {"admin"}),
    Route("audit_review", MANAGERS | {"admin"}, query="?person=physio&action=read&start=2026-01-01"),
    Route("audit_export", MANAGERS | {"admin"}),
    # Questionnaires (tracker/outcomes): the patient's page names no one, so each answers their own;
    # only A's care team may ask A for one now (tests/tracker/outcomes/).
    Route("questionnaire", PATIENTS),
    Route("questionnaire", PATIENTS, method="post", data=lambda clinic: _first_questionnaire()),
    Route("questionnaire_ask", A_CARE_TEAM, method="post", kwargs=lambda clinic: {"patient_id": clinic.patient_a.pk}),
    # FHIR export (tracker/fhir): a clinician's of a care-team patient; each patient only their own.
    Route("patient_fhir", A_CARE_TEAM, kwargs=lambda clinic: {"patient_id": clinic.patient_a.pk}),
    Route("my_fhir", PATIENTS),
    # The clinic manager's pages: their own clinic only; nobody else, not even its other clinicians.
    Route("clinic_edit", MANAGERS),
    Route(
        "clinic_edit",
        MANAGERS,
        method="post",
        data=lambda clinic: {"name": "Renamed clinic", "emergency_number": "112", "time_zone": "Europe/London"},
    ),
    Route("clinician_list", MANAGERS),
    *[
        Route(
            name, frozenset({"manager"}), method="post", kwargs=lambda clinic: {"clinician_id": _colleague(clinic).pk}
        )
        for name in ("clinician_approve", "clinician_deactivate", "clinician_second_factors_reset")
    ],
    # A patient's care team and discharge: that patient's care team (the tenant rule via patient_for_clinician).
    Route("care_team", A_CARE_TEAM, kwargs=lambda clinic: {"patient_id": clinic.patient_a.pk}),
    Route(
        "care_team",
        A_CARE_TEAM,
        method="post",
        kwargs=lambda clinic: {"patient_id": clinic.patient_a.pk},
        data=lambda clinic: {"clinician": clinic.unlinked_doctor.pk},
    ),
    Route(
        "care_team_end",
        A_CARE_TEAM,
        method="post",
        kwargs=lambda clinic: {"patient_id": clinic.patient_a.pk, "link_id": _extra_care_team_link(clinic).pk},
    ),
    Route("patient_discharge", A_CARE_TEAM, kwargs=lambda clinic: {"patient_id": clinic.patient_a.pk}),
    Route(
        "patient_discharge",
        A_CARE_TEAM,
        method="post",
        kwargs=lambda clinic: {"patient_id": clinic.patient_a.pk},
        data=lambda clinic: {"reason": "Goals met."},
    ),
    Route("patient_readmit", A_CARE_TEAM, method="post", kwargs=lambda clinic: {"patient_id": clinic.patient_a.pk}),
    Route("discharged_list", CLINICIANS),
    Route("my_discharged", PATIENTS),
    # A patient's own details; the e-mail confirmation link is proof enough on its own (tests/tracker/clinics/).
    Route("my_account", PATIENTS),
    Route(
        "my_account",
        PATIENTS,
        method="post",
        data=lambda clinic: {"email": "new.address@example.org", "phone": "07700 900000", "time_zone": "Europe/Paris"},
    ),
    Route("account_email_confirm", EVERYONE, kwargs=_email_change_token),
    # Reminders (tests/tracker/reminders/): each person's own choice; the URLs name no one.
    Route("reminder_settings", PATIENTS),
    Route(
        "reminder_settings",
        PATIENTS,
        method="post",
        data=lambda clinic: {"enabled": "on", "send_at": "19:30", "by_email": "on"},
    ),
    Route(
        "push_subscribe",
        PATIENTS,
        method="post",
        data=lambda clinic: {
            "endpoint": "https://push.example.org/send/abc123",
            "p256dh": "BB8ijk-juLfyzH7qHxfRqOnoRkfXT3IigzTifvnBalYGLozQauQh",
            "auth": "c2VjcmV0LWF1dGg",
        },
    ),
    Route(
        "push_unsubscribe",
        PATIENTS,
        method="post",
        data=lambda clinic: {"endpoint": "https://push.example.org/send/abc123"},
    ),
    Route("digest_settings", CLINICIANS),
    Route("digest_settings", CLINICIANS, method="post", data=lambda clinic: {"enabled": "on", "send_at": "08:15"}),
    # The signed link in an e-mail works without signing in (it names patient A, who may not be signed in).
    *[
        Route(
            "reminder_unsubscribe",
            EVERYONE,
            method=method,
            kwargs=lambda clinic: {"token": unsubscribe_token(user_id=clinic.patient_a.pk, what="patient")},
        )
        for method in ("get", "post")
    ],
    # No personal data: the service worker and the web app manifest are public.
    Route("service_worker", EVERYONE),
    Route("web_manifest", EVERYONE),
]


# URL names outside the matrix, each with the test that covers it instead.
COVERED_ELSEWHERE = {
    "admin": "tests/tracker/test_admin.py checks the admin is staff-only",
    "otp_webauthn": "tests/tracker/mfa/test_passkeys.py (JSON endpoints answer 401/403, not a redirect)",
}

assert A_CARE_TEAM  # imported for later routes; keeps the vocabulary in one place


def _url_names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace in COVERED_ELSEWHERE:
                continue
            yield from _url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"
        elif isinstance(pattern, URLPattern):
            pytest.fail(f"URL pattern {pattern.pattern} has no name, so the access matrix cannot cover it.")


def test_every_url_is_in_the_access_matrix():
    project_urls = set(_url_names(get_resolver().url_patterns))
    in_matrix = {route.name for route in ROUTES}
    assert project_urls - in_matrix == set(), "add these URLs to ROUTES in tests/test_access_matrix.py"
    assert in_matrix - project_urls == set(), "these ROUTES name URLs that no longer exist"


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.id)
def test_access(client, clinic, route, actor):
    user = clinic.actor(actor)
    if user is not None:
        client.force_login(user)
    url = reverse(route.name, kwargs=route.kwargs(clinic)) + route.query
    headers = {"HX-Request": "true"} if route.htmx else {}
    response = getattr(client, route.method)(url, data=route.data(clinic), headers=headers)

    login_url = reverse("login")
    if actor in route.allowed:
        assert response.status_code in (200, 204, 301, 302, 303), (
            f"{actor} should be served, got {response.status_code}"
        )
        if response.status_code in (301, 302, 303):
            assert not response["Location"].startswith(login_url) or route.name == "logout"
    elif actor == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(f"{login_url}?next=")
    else:
        assert response.status_code == 404, f"{actor} must get 404, got {response.status_code}"
