"""Whole exports: one patient's Bundle, and the clinic's resources for the bulk NDJSON file(s).

The bulk export streams: every table is read with `iterator()` in chunks, and
each resource is written as soon as it is built, so memory stays flat however
large the clinic.
"""

import json
from collections.abc import Iterator

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from routines.selectors import program_for
from tracker.models import CareTeamMembership, CheckIn, Flag, Role, User
from tracker.outcomes.models import Response
from tracker.selectors import care_team_of

from . import codes
from .resources import (
    care_plan_resource,
    care_team_resource,
    check_in_observations,
    condition_resource,
    flag_resource,
    patient_resource,
    practitioner_resource,
    questionnaire_resources,
    questionnaire_response_resource,
)

CHUNK = 500


def _entry(resource: dict) -> dict:
    return {"fullUrl": f"{codes.base_url()}/{resource['resourceType']}/{resource['id']}", "resource": resource}


def patient_resources(patient: User) -> Iterator[dict]:
    """Every resource of one patient's record, in a fixed number of queries."""
    care_team = list(care_team_of(patient=patient))
    yield patient_resource(patient)
    for member in care_team:
        yield practitioner_resource(member)
    yield care_team_resource(patient, care_team)
    condition = condition_resource(patient)
    if condition:
        yield condition
    for check_in in CheckIn.objects.filter(patient=patient).order_by("local_date"):
        yield from check_in_observations(check_in, patient)
    responses = list(
        Response.objects.filter(sitting__patient=patient)
        .select_related("sitting")
        .prefetch_related("answers__activity")
        .order_by("sitting__local_date", "instrument")
    )
    if responses:
        yield from questionnaire_resources()
    for response in responses:
        yield questionnaire_response_resource(response, response.sitting, patient)
    for flag in Flag.objects.filter(patient=patient).order_by("opened_at", "id"):
        yield flag_resource(flag, patient)
    care_plan = care_plan_resource(patient, program_for(patient=patient), care_team)
    if care_plan:
        yield care_plan


def patient_bundle(patient: User) -> dict:
    """A Bundle (type collection) holding the patient's whole record."""
    return {
        "resourceType": "Bundle",
        "id": f"export-patient-{patient.pk}",
        "type": "collection",
        "timestamp": timezone.now().isoformat(timespec="seconds"),
        "entry": [_entry(resource) for resource in patient_resources(patient)],
    }


def export_patients() -> QuerySet[User]:
    return User.objects.filter(role=Role.PATIENT).order_by("pk")


def clinic_resources(patients: QuerySet[User] | None = None) -> Iterator[dict]:
    """Every resource of the clinic, grouped by type (all Patients, then all Practitioners, ...)."""
    patients = export_patients() if patients is None else patients
    for patient in patients.iterator(chunk_size=CHUNK):
        yield patient_resource(patient)
    clinicians = (
        User.objects.filter(
            caseload_links__patient__in=patients,
            caseload_links__ended_at__isnull=True,
            role__in=[Role.PHYSIOTHERAPIST, Role.DOCTOR],
        )
        .distinct()
        .order_by("pk")
    )
    for clinician in clinicians.iterator(chunk_size=CHUNK):
        yield practitioner_resource(clinician)
    active_links = Prefetch(
        "care_team_links",
        queryset=CareTeamMembership.objects.active()
        .select_related("clinician")
        .order_by("-clinician__role", "clinician__last_name"),
        to_attr="active_links",
    )
    for patient in patients.prefetch_related(active_links).iterator(chunk_size=CHUNK):
        yield care_team_resource(patient, [link.clinician for link in patient.active_links if link.clinician.is_active])
    for patient in patients.iterator(chunk_size=CHUNK):
        condition = condition_resource(patient)
        if condition:
            yield condition
    check_ins = (
        CheckIn.objects.filter(patient__in=patients).select_related("patient").order_by("patient_id", "local_date")
    )
    for check_in in check_ins.iterator(chunk_size=2000):
        yield from check_in_observations(check_in, check_in.patient)
    yield from questionnaire_resources()
    responses = (
        Response.objects.filter(sitting__patient__in=patients)
        .select_related("sitting__patient")
        .prefetch_related("answers__activity")
        .order_by("sitting__patient_id", "sitting__local_date", "instrument")
    )
    for response in responses.iterator(chunk_size=CHUNK):
        yield questionnaire_response_resource(response, response.sitting, response.sitting.patient)
    flags = (
        Flag.objects.filter(patient__in=patients).select_related("patient").order_by("patient_id", "opened_at", "id")
    )
    for flag in flags.iterator(chunk_size=CHUNK):
        yield flag_resource(flag, flag.patient)
    for patient in patients.iterator(chunk_size=CHUNK):
        care_plan = care_plan_resource(patient, program_for(patient=patient), list(care_team_of(patient=patient)))
        if care_plan:
            yield care_plan


def ndjson_line(resource: dict) -> str:
    return json.dumps(resource, separators=(",", ":"), ensure_ascii=False) + "\n"
