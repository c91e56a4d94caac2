"""The FHIR export: every resource of the demo clinic validates with fhir.resources, downloads and bulk files."""

import json
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

from tests.factories import CheckInFactory, FlagFactory
from tests.tracker.outcomes.helpers import answered
from tracker.fhir.export import patient_bundle
from tracker.models import User

pytestmark = pytest.mark.django_db


def validate(resource: dict):
    """fhir.resources' own model for the type; raises if the resource is not valid FHIR."""
    return get_fhir_model_class(resource["resourceType"]).model_validate(resource)


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    return {user.username: user for user in User.objects.filter(username__startswith="demo-")}


def test_every_resource_of_every_demo_patients_bundle_validates(demo):
    for username in ("demo-patient-new", "demo-patient-active", "demo-patient-flagged"):
        bundle = patient_bundle(demo[username])
        Bundle.model_validate(bundle)  # the bundle as a whole
        for entry in bundle["entry"]:
            model = validate(entry["resource"])  # and resource by resource
            assert entry["fullUrl"].endswith(f"/{model.get_resource_type()}/{model.id}")
        ids = [(entry["resource"]["resourceType"], entry["resource"]["id"]) for entry in bundle["entry"]]
        assert len(ids) == len(set(ids)), "each resource once"


def test_the_active_demo_patients_bundle_holds_the_whole_record(demo):
    patient = demo["demo-patient-active"]
    bundle = patient_bundle(patient)
    assert bundle["type"] == "collection"
    kinds = Counter(entry["resource"]["resourceType"] for entry in bundle["entry"])
    check_ins = patient.check_ins.count()
    assert kinds["Patient"] == 1
    assert kinds["Practitioner"] == 2  # the physiotherapist and the doctor
    assert kinds["CareTeam"] == 1
    assert kinds["Condition"] == 1
    assert kinds["Observation"] == 5 * check_ins  # two pain scores and three nerve-symptom answers each
    assert kinds["Questionnaire"] == 3
    assert kinds["QuestionnaireResponse"] == 5  # PSFS + PEG at the start, PSFS + PEG + PGIC two weeks later
    assert kinds["CarePlan"] == 1
    resources = [entry["resource"] for entry in bundle["entry"]]
    condition = next(r for r in resources if r["resourceType"] == "Condition")
    assert {"system": "http://snomed.info/sct", "code": "128196005", "display": "Lumbar radiculopathy"} in condition[
        "code"
    ]["coding"]
    pain = [r for r in resources if r["resourceType"] == "Observation" and r["code"]["coding"][0]["code"] == "72514-3"]
    assert len(pain) == 2 * check_ins
    assert {r["bodySite"]["text"] for r in pain} == {"Lower back", "Leg"}
    care_plan = next(r for r in resources if r["resourceType"] == "CarePlan")
    assert len(care_plan["activity"]) == patient.assignments.exclude(status="removed").count()
    psfs = next(
        r
        for r in resources
        if r["resourceType"] == "QuestionnaireResponse" and r["questionnaire"].endswith("/psfs") and len(r["item"]) == 4
    )
    assert psfs["item"][-1] == {"linkId": "psfs-score", "answer": [{"valueDecimal": 3.0}]}


def test_the_flagged_demo_patients_flags_speak_in_the_clinicians_words(demo):
    patient = demo["demo-patient-flagged"]
    flags = [e["resource"] for e in patient_bundle(patient)["entry"] if e["resource"]["resourceType"] == "Flag"]
    assert flags
    summaries = set(patient.flags.values_list("clinician_summary", flat=True))
    assert {flag["code"]["text"] for flag in flags} == summaries
    assert {flag["status"] for flag in flags} == {"active"}
    condition = next(
        e["resource"] for e in patient_bundle(patient)["entry"] if e["resource"]["resourceType"] == "Condition"
    )
    assert condition["code"]["coding"][0]["code"] == "54404000"  # cervical radiculopathy


def test_the_bulk_export_writes_one_valid_resource_per_line_per_type(demo, tmp_path):
    out = StringIO()
    clinic = demo["demo-physio"].clinic
    call_command("export_fhir", clinic=clinic.name, output_dir=tmp_path / "export", stdout=out)
    files = sorted(path.name for path in (tmp_path / "export").iterdir())
    assert files == [
        "CarePlan.ndjson",
        "CareTeam.ndjson",
        "Condition.ndjson",
        "Flag.ndjson",
        "Observation.ndjson",
        "Patient.ndjson",
        "Practitioner.ndjson",
        "Questionnaire.ndjson",
        "QuestionnaireResponse.ndjson",
    ]
    total = 0
    for path in (tmp_path / "export").iterdir():
        for line in path.read_text(encoding="utf-8").splitlines():
            resource = json.loads(line)
            assert resource["resourceType"] == path.stem
            validate(resource)
            total += 1
    assert f"Exported {total} resources" in out.getvalue()
    # The clinic's own patients, none of the second demo clinic's.
    patients = User.objects.filter(role="patient", clinic=clinic).count()
    assert User.objects.filter(role="patient").exclude(clinic=clinic).exists()
    assert len((tmp_path / "export" / "Patient.ndjson").read_text().splitlines()) == patients


def test_the_bulk_export_to_stdout_is_one_ndjson_stream_that_matches_the_bundles(demo):
    out, err = StringIO(), StringIO()
    clinic = demo["demo-physio"].clinic
    call_command("export_fhir", clinic=str(clinic.pk), stdout=out, stderr=err)
    lines = out.getvalue().splitlines()
    streamed = Counter()
    for line in lines:
        resource = json.loads(line)
        validate(resource)
        streamed[resource["resourceType"]] += 1
    in_bundles = Counter()
    for patient in User.objects.filter(role="patient", clinic=clinic):
        for entry in patient_bundle(patient)["entry"]:
            in_bundles[entry["resource"]["resourceType"]] += 1
    # Practitioners and Questionnaires are shared: once in the stream, once per bundle.
    for kind in ("Patient", "CareTeam", "Condition", "Observation", "QuestionnaireResponse", "Flag", "CarePlan"):
        assert streamed[kind] == in_bundles[kind], kind
    assert streamed["Questionnaire"] == 3
    assert streamed["Practitioner"] == 2
    assert f"Exported {len(lines)} resources" in err.getvalue()


def test_the_bulk_export_says_so_when_it_cannot_write(demo, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="Cannot make the folder"):
        call_command(
            "export_fhir", clinic=demo["demo-physio"].clinic.name, output_dir=blocker / "inside", stdout=StringIO()
        )


def test_the_bulk_export_asks_which_clinic_when_there_are_several(demo):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="Say which clinic to export with --clinic"):
        call_command("export_fhir", stdout=StringIO())
    with pytest.raises(CommandError, match="No single clinic is called 'Nowhere'"):
        call_command("export_fhir", clinic="Nowhere", stdout=StringIO())


def test_the_clinician_and_the_patient_download_the_bundle(client, clinic):
    patient = clinic.patient_a
    CheckInFactory(patient=patient, local_date=patient.local_today(), neck_back_pain=5, limb_pain=3)
    answered(patient, patient.local_today())
    FlagFactory(patient=patient)
    client.force_login(clinic.linked_physio)
    response = client.get(reverse("patient_fhir", args=[patient.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    assert "attachment" in response["Content-Disposition"]
    bundle = json.loads(response.content)
    Bundle.model_validate(bundle)
    assert bundle["entry"][0]["resource"]["name"][0]["family"] == "Able"

    client.force_login(patient)
    own = json.loads(client.get(reverse("my_fhir")).content)
    assert {e["resource"]["id"] for e in own["entry"]} == {e["resource"]["id"] for e in bundle["entry"]}
    assert reverse("my_fhir") in client.get(reverse("my_data")).content.decode()


def test_a_patients_download_holds_only_their_own_record(client, clinic):
    CheckInFactory(patient=clinic.patient_b, local_date=clinic.patient_b.local_today())
    client.force_login(clinic.patient_a)
    bundle = json.loads(client.get(reverse("my_fhir")).content)
    subjects = {e["resource"]["subject"]["reference"] for e in bundle["entry"] if "subject" in e["resource"]}
    assert subjects <= {f"Patient/patient-{clinic.patient_a.pk}"}
    client.force_login(clinic.unlinked_physio)
    assert client.get(reverse("patient_fhir", args=[clinic.patient_a.pk])).status_code == 404


@pytest.mark.parametrize("days", [3, 40])
def test_the_download_runs_a_fixed_number_of_queries(client, clinic, days, django_assert_max_num_queries):
    from datetime import timedelta

    patient = clinic.patient_a
    today = patient.local_today()
    for offset in range(days):
        CheckInFactory(patient=patient, local_date=today - timedelta(days=offset))
    sittings = days // 14 + 1
    for index in range(sittings):
        answered(patient, today - timedelta(days=14 * (sittings - index)), pgic=None if index == 0 else 3)
    client.force_login(clinic.linked_physio)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("patient_fhir", args=[patient.pk])).status_code == 200
