"""Factories for every model the tests need. No fixtures files, no fixed ids."""

from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from routines.models import Assignment, Clearance, Decision, Exercise, ExerciseStep, Kind, Region
from tracker.clinics.models import Clinic
from tracker.models import CareTeamMembership, CheckIn, Condition, EntryStatus, Role, SessionEntry, SessionLog, User

TEST_PASSWORD = "correct horse battery staple"


class ClinicFactory(DjangoModelFactory):
    class Meta:
        model = Clinic

    name = factory.Sequence(lambda number: f"Clinic {number}")
    phone = "020 7946 0000"
    time_zone = "Europe/London"


TEST_CLINIC_NAME = "Riverside Physiotherapy (tests)"


def test_clinic() -> Clinic:
    """The one clinic every factory user joins unless a test names another."""
    clinic, _ = Clinic.objects.get_or_create(name=TEST_CLINIC_NAME, defaults={"time_zone": "Europe/London"})
    return clinic


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda number: f"user{number}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    time_zone = "Europe/London"
    password = factory.django.Password(TEST_PASSWORD)


class PatientFactory(UserFactory):
    username = factory.Sequence(lambda number: f"patient{number}")
    clinic = factory.LazyFunction(test_clinic)
    role = Role.PATIENT
    condition = Condition.LOWER_BACK


class PhysiotherapistFactory(UserFactory):
    username = factory.Sequence(lambda number: f"physio{number}")
    clinic = factory.LazyFunction(test_clinic)
    role = Role.PHYSIOTHERAPIST


class DoctorFactory(UserFactory):
    username = factory.Sequence(lambda number: f"doctor{number}")
    clinic = factory.LazyFunction(test_clinic)
    role = Role.DOCTOR


class AdminFactory(UserFactory):
    username = factory.Sequence(lambda number: f"admin{number}")
    is_staff = True
    is_superuser = True


class CareTeamMembershipFactory(DjangoModelFactory):
    class Meta:
        model = CareTeamMembership

    patient = factory.SubFactory(PatientFactory)
    clinician = factory.SubFactory(PhysiotherapistFactory)


# Exercise library, clearances and programs.


class ExerciseFactory(DjangoModelFactory):
    """A lower-back strength exercise: 2 sets of 10 reps, 5-second hold."""

    class Meta:
        model = Exercise
        skip_postgeneration_save = True

    name = factory.Sequence(lambda number: f"Exercise {number}")
    slug = factory.Sequence(lambda number: f"exercise-{number}")
    region = Region.LOWER_BACK
    kind = Kind.STRENGTH
    purpose = "Makes the muscles around the spine stronger."
    default_sets = 2
    default_reps = 10
    default_hold_seconds = 5
    position = factory.Sequence(lambda number: number)


class ExerciseStepFactory(DjangoModelFactory):
    class Meta:
        model = ExerciseStep

    exercise = factory.SubFactory(ExerciseFactory)
    position = factory.Sequence(lambda number: number)
    text = factory.Sequence(lambda number: f"Step {number}: move slowly.")


class ClearanceFactory(DjangoModelFactory):
    """An in-app decision by a doctor: cleared for all regions, open-ended, decided a week ago."""

    class Meta:
        model = Clearance

    patient = factory.SubFactory(PatientFactory)
    decision = Decision.CLEARED
    covers_neck = True
    covers_lower_back = True
    covers_general = True
    decided_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=7))
    doctor = factory.SubFactory(DoctorFactory)
    recorded_by = factory.LazyAttribute(lambda clearance: clearance.doctor)


class AssignmentFactory(DjangoModelFactory):
    """An active assignment with the exercise's default dose.

    It creates no clearance: pass `with_clearance=True` to also give the
    patient a ClearanceFactory decision, so the assignment is available.
    """

    class Meta:
        model = Assignment
        skip_postgeneration_save = True

    patient = factory.SubFactory(PatientFactory)
    exercise = factory.SubFactory(ExerciseFactory)
    prescribed_by = factory.SubFactory(PhysiotherapistFactory)
    sets = factory.LazyAttribute(lambda assignment: assignment.exercise.default_sets)
    reps = factory.LazyAttribute(lambda assignment: assignment.exercise.default_reps)
    hold_seconds = factory.LazyAttribute(lambda assignment: assignment.exercise.default_hold_seconds)
    minutes = factory.LazyAttribute(lambda assignment: assignment.exercise.default_minutes)
    times_per_week = 7
    position = factory.Sequence(lambda number: number)

    @factory.post_generation
    def with_clearance(assignment, create, extracted, **kwargs):
        if create and extracted:
            ClearanceFactory(patient=assignment.patient)


# Daily check-ins and session logs.


class CheckInFactory(DjangoModelFactory):
    """A calm day: pain 3 and 2, nothing new, no warning signs, for the patient's today."""

    class Meta:
        model = CheckIn

    patient = factory.SubFactory(PatientFactory)
    local_date = factory.LazyAttribute(lambda check_in: check_in.patient.local_today())
    neck_back_pain = 3
    limb_pain = 2


class SessionLogFactory(DjangoModelFactory):
    class Meta:
        model = SessionLog

    patient = factory.SubFactory(PatientFactory)
    local_date = factory.LazyAttribute(lambda session: session.patient.local_today())


class SessionEntryFactory(DjangoModelFactory):
    """An exercise done as prescribed, in a session of the assignment's patient."""

    class Meta:
        model = SessionEntry

    assignment = factory.SubFactory(AssignmentFactory)
    session = factory.SubFactory(SessionLogFactory, patient=factory.SelfAttribute("..assignment.patient"))
    status = EntryStatus.DONE
    sets_done = factory.LazyAttribute(lambda entry: entry.assignment.sets)
    reps_done = factory.LazyAttribute(lambda entry: entry.assignment.reps)


# Flags and clinical notes.


class FlagFactory(DjangoModelFactory):
    """An open contact-provider flag about rising pain; pass `assignment` for a per-exercise flag."""

    class Meta:
        model = "tracker.Flag"

    patient = factory.SubFactory(PatientFactory)
    rule_id = "contact.pain_rising"
    severity = 2  # Severity.CONTACT_PROVIDER
    assignment = None
    dedupe_key = factory.LazyAttribute(
        lambda flag: flag.rule_id if flag.assignment is None else f"{flag.rule_id}:{flag.assignment.pk}"
    )
    explanation = "Your average back pain over the last 7 days is 6.1, up from 3.4 when you started."
    clinician_summary = "Back pain 7-day mean 6.1 vs baseline 3.4 (+2.7, +79%), 3 days."
    evidence = factory.LazyFunction(dict)


class ClinicalNoteFactory(DjangoModelFactory):
    """A note by a physiotherapist on the patient's care team (the link is created too)."""

    class Meta:
        model = "tracker.ClinicalNote"
        skip_postgeneration_save = True

    patient = factory.SubFactory(PatientFactory)
    author = factory.SubFactory(PhysiotherapistFactory)
    body = factory.Sequence(lambda number: f"Reviewed progress, note {number}.")

    @factory.post_generation
    def on_care_team(note, create, extracted, **kwargs):
        # Pass on_care_team=False for a note whose author has since left the team.
        if create and extracted is not False:
            CareTeamMembership.objects.get_or_create(patient=note.patient, clinician=note.author, ended_at=None)


# Second factors (tracker.mfa).


def passkey_for(user, name: str = "Test passkey"):
    """A confirmed passkey record for the user (the keys are placeholders: tests never sign with it)."""
    import hashlib
    import os

    from django_otp_webauthn.models import WebAuthnCredential

    credential_id = os.urandom(16)
    return WebAuthnCredential.objects.create(
        user=user,
        name=name,
        confirmed=True,
        credential_id=credential_id,
        credential_id_sha256=hashlib.sha256(credential_id).hexdigest(),
        public_key=b"placeholder",
        sign_count=0,
    )


def picture_bytes(*, width: int = 1200, height: int = 800, image_format: str = "PNG", **save_options) -> bytes:
    """A real picture made with Pillow: a plain colour with a diagonal band, so resizing has something to do."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), (40, 90, 160))
    ImageDraw.Draw(image).line([(0, 0), (width, height)], fill=(250, 220, 60), width=max(4, width // 40))
    output = io.BytesIO()
    image.save(output, format=image_format, **save_options)
    return output.getvalue()


def exercise_picture(*, exercise=None, alt_text: str = "A person lying on their back, knees bent.", **picture):
    """An uploaded picture stored through the real checks and service (files land in the test MEDIA_ROOT)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from routines.media.services import exercise_media_add
    from routines.media.uploads import prepare_upload

    upload = SimpleUploadedFile("photo.png", picture_bytes(**picture), content_type="image/png")
    return exercise_media_add(
        exercise=exercise or ExerciseFactory(), prepared=prepare_upload(upload), alt_text=alt_text
    )
