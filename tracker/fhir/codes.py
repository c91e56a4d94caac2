"""The code systems and codes the FHIR export uses, in one place to review.

Condition codes (SNOMED CT): cervical radiculopathy 54404000, lumbar
radiculopathy 128196005. These agree across several independent public code
lists, but were NOT checked against the SNOMED International browser when
written (it was not reachable); a clinic should confirm them there before
relying on them. The ICD-10 codes beside them (M54.12, M54.16: radiculopathy,
cervical / lumbar region) are from the WHO ICD-10 chapter XIII.

Body sites are sent as text (no code), because no body-site code could be checked.
Answers with no standard code (nerve-symptom changes, questionnaire items)
use this app's own code systems under SYSTEM_BASE.
"""

from django.conf import settings

SNOMED = "http://snomed.info/sct"
ICD10 = "http://hl7.org/fhir/sid/icd-10"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"

PAIN_LOINC = {
    "system": LOINC,
    "code": "72514-3",
    "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
}

CONDITION_CODES = {
    "neck": {
        "coding": [
            {"system": SNOMED, "code": "54404000", "display": "Cervical radiculopathy"},
            {"system": ICD10, "code": "M54.12", "display": "Radiculopathy, cervical region"},
        ],
        "text": "Cervical radiculopathy (pinched nerve in the neck)",
    },
    "lower_back": {
        "coding": [
            {"system": SNOMED, "code": "128196005", "display": "Lumbar radiculopathy"},
            {"system": ICD10, "code": "M54.16", "display": "Radiculopathy, lumbar region"},
        ],
        "text": "Lumbar radiculopathy (pinched nerve in the lower back)",
    },
}

# (spine site, limb site) by condition.
BODY_SITES = {"neck": ("Neck", "Arm"), "lower_back": ("Lower back", "Leg")}


def base_url() -> str:
    """Where this app's resources and code systems live: SITE_URL, or a placeholder that can never resolve."""
    return f"{settings.SITE_URL or 'https://recovery-tracker.invalid'}/fhir"


def system(name: str) -> str:
    return f"{base_url()}/CodeSystem/{name}"
