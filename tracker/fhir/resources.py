"""FHIR R4 resources for one patient's record, built as plain JSON and checked with fhir.resources.

fhir.resources 8.3.0 ships R5 (its default), R4B and STU3 models, and no
separate R4 (4.0.1) package. R4B (4.3.0) is R4 with a small set of additions
and keeps R4's shape for every resource used here (Patient, Practitioner,
CareTeam, Condition, Observation, Questionnaire, QuestionnaireResponse, Flag,
CarePlan, Bundle), so each resource is validated against the R4B models and
written with R4 elements only.

Every builder returns a dict that has passed validation (`checked`), so an
export can never carry a resource that a FHIR library refuses.
"""

from collections.abc import Iterable
from datetime import date, datetime

from routines.formatting import assignment_dose
from routines.selectors import ProgramItem
from tracker.flags.titles import clinician_words
from tracker.models import CheckIn, Flag, Role, User
from tracker.models.flags import UNRESOLVED
from tracker.outcomes.instruments import (
    PEG_QUESTIONS,
    PGIC_CHOICES,
    PGIC_QUESTION,
    PSFS_INTRO,
    PSFS_MAX_ACTIVITIES,
    PSFS_RATING_QUESTION,
    SHORT_NAMES,
    Instrument,
    psfs_link_id,
)
from tracker.outcomes.models import Response, Sitting

from . import codes

CHANGE_WORDS = {
    "none": "None",
    "better": "Better",
    "same": "Same",
    "worse": "Worse",
    "new": "New",
}
EXTENT_WORDS = {
    "retreating": "Retreating toward the spine (centralising)",
    "same": "Unchanged extent",
    "spreading": "Spreading further down the limb (peripheralising)",
}


def checked(resource: dict) -> dict:
    """The resource, after fhir.resources has validated it (raises pydantic's ValidationError if not)."""
    # Imported here, not at the top: fhir.resources and pydantic's models cost every web worker
    # about 20 MB and a tenth of a second at start, for a download a few people use a day.
    from fhir.resources.R4B import get_fhir_model_class

    get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    return resource


def ref(resource_type: str, resource_id: str, display: str = "") -> dict:
    reference = {"reference": f"{resource_type}/{resource_id}"}
    if display:
        reference["display"] = display
    return reference


def patient_id(patient: User) -> str:
    return f"patient-{patient.pk}"


def practitioner_id(clinician: User) -> str:
    return f"practitioner-{clinician.pk}"


def _instant(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _day(day: date) -> str:
    return day.isoformat()


def _human_name(user: User) -> list[dict]:
    name: dict = {"text": user.display_name}
    if user.last_name:
        name["family"] = user.last_name
    if user.first_name:
        name["given"] = [user.first_name]
    return [name]


def patient_resource(patient: User) -> dict:
    return checked(
        {
            "resourceType": "Patient",
            "id": patient_id(patient),
            "identifier": [{"system": f"{codes.base_url()}/sid/patient", "value": str(patient.pk)}],
            "active": patient.is_active,
            "name": _human_name(patient),
        }
    )


def practitioner_resource(clinician: User) -> dict:
    return checked(
        {
            "resourceType": "Practitioner",
            "id": practitioner_id(clinician),
            "identifier": [{"system": f"{codes.base_url()}/sid/practitioner", "value": str(clinician.pk)}],
            "active": clinician.is_active,
            "name": _human_name(clinician),
        }
    )


ROLE_TEXT = {Role.PHYSIOTHERAPIST: "Physiotherapist", Role.DOCTOR: "Doctor"}


def care_team_resource(patient: User, members: Iterable[User]) -> dict:
    return checked(
        {
            "resourceType": "CareTeam",
            "id": f"careteam-{patient.pk}",
            "status": "active",
            "name": f"Care team of {patient.display_name}",
            "subject": ref("Patient", patient_id(patient), patient.display_name),
            "participant": [
                {
                    "role": [{"text": ROLE_TEXT.get(member.role, "Clinician")}],
                    "member": ref("Practitioner", practitioner_id(member), member.display_name),
                }
                for member in members
            ],
        }
    )


def condition_resource(patient: User) -> dict | None:
    if patient.condition not in codes.CONDITION_CODES:
        return None
    return checked(
        {
            "resourceType": "Condition",
            "id": f"condition-{patient.pk}",
            "clinicalStatus": {"coding": [{"system": codes.CONDITION_CLINICAL, "code": "active"}]},
            "category": [
                {
                    "coding": [
                        {
                            "system": codes.CONDITION_CATEGORY,
                            "code": "problem-list-item",
                            "display": "Problem List Item",
                        }
                    ]
                }
            ],
            "code": codes.CONDITION_CODES[patient.condition],
            "subject": ref("Patient", patient_id(patient)),
        }
    )


def _survey_category() -> list[dict]:
    return [{"coding": [{"system": codes.OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}]


def pain_observations(check_in: CheckIn, patient: User) -> list[dict]:
    """Two observations per check-in: spine (neck or lower back) and limb (arm or leg) pain, 0-10."""
    spine, limb = codes.BODY_SITES.get(patient.condition, ("Neck or back", "Arm or leg"))
    return [
        checked(
            {
                "resourceType": "Observation",
                "id": f"checkin-{check_in.pk}-{key}-pain",
                "status": "final",
                "category": _survey_category(),
                "code": {"coding": [codes.PAIN_LOINC], "text": f"{site} pain, 0-10"},
                "subject": ref("Patient", patient_id(patient)),
                "effectiveDateTime": _day(check_in.local_date),
                "valueQuantity": {"value": value, "unit": "{score}", "system": codes.UCUM, "code": "{score}"},
                "bodySite": {"text": site},
            }
        )
        for key, site, value in (("spine", spine, check_in.neck_back_pain), ("limb", limb, check_in.limb_pain))
    ]


SYMPTOM_QUESTIONS = (
    ("numbness", "numbness-change", "Numbness or tingling, compared with the day before", CHANGE_WORDS),
    ("weakness", "weakness-change", "Weakness, compared with the day before", CHANGE_WORDS),
    ("extent", "symptom-extent", "Extent of limb symptoms (centralisation)", EXTENT_WORDS),
)


def symptom_observations(check_in: CheckIn, patient: User) -> list[dict]:
    """One observation per nerve-symptom answer of a check-in (numbness, weakness, extent)."""
    return [
        checked(
            {
                "resourceType": "Observation",
                "id": f"checkin-{check_in.pk}-{code}",
                "status": "final",
                "category": _survey_category(),
                "code": {
                    "coding": [{"system": codes.system("nerve-symptom"), "code": code, "display": text}],
                    "text": text,
                },
                "subject": ref("Patient", patient_id(patient)),
                "effectiveDateTime": _day(check_in.local_date),
                "valueCodeableConcept": {
                    "coding": [
                        {
                            "system": codes.system(field),
                            "code": getattr(check_in, field),
                            "display": words.get(getattr(check_in, field), getattr(check_in, field)),
                        }
                    ],
                    "text": words.get(getattr(check_in, field), getattr(check_in, field)),
                },
            }
        )
        for field, code, text, words in SYMPTOM_QUESTIONS
    ]


def check_in_observations(check_in: CheckIn, patient: User) -> list[dict]:
    return pain_observations(check_in, patient) + symptom_observations(check_in, patient)


def questionnaire_url(instrument: str) -> str:
    return f"{codes.base_url()}/Questionnaire/{instrument}"


def _score_item(instrument: str) -> dict:
    return {
        "linkId": f"{instrument}-score",
        "text": f"{SHORT_NAMES[instrument]} score (calculated)",
        "type": "decimal",
        "readOnly": True,
    }


def questionnaire_resources() -> list[dict]:
    """The three questionnaires as this app asks them (its own wording)."""
    psfs_items = [
        {
            "linkId": psfs_link_id(position),
            "text": f"Activity {position}",
            "type": "group",
            "required": position <= 3,
            "item": [
                {"linkId": f"{psfs_link_id(position)}-name", "text": "Activity", "type": "string"},
                {"linkId": f"{psfs_link_id(position)}-rating", "text": PSFS_RATING_QUESTION, "type": "integer"},
            ],
        }
        for position in range(1, PSFS_MAX_ACTIVITIES + 1)
    ]
    definitions = (
        (Instrument.PSFS, PSFS_INTRO, [*psfs_items, _score_item(Instrument.PSFS)]),
        (
            Instrument.PEG,
            "Pain and how it gets in the way, over the last 7 days.",
            [
                *({"linkId": q.link_id, "text": q.text, "type": "integer", "required": True} for q in PEG_QUESTIONS),
                _score_item(Instrument.PEG),
            ],
        ),
        (
            Instrument.PGIC,
            "Change since the start of care, on 7 points.",
            [
                {
                    "linkId": "pgic",
                    "text": PGIC_QUESTION,
                    "type": "choice",
                    "required": True,
                    "answerOption": [
                        {"valueCoding": {"system": codes.system("pgic"), "code": str(value), "display": clinician}}
                        for value, _, clinician in PGIC_CHOICES
                    ],
                }
            ],
        ),
    )
    return [
        checked(
            {
                "resourceType": "Questionnaire",
                "id": f"questionnaire-{instrument}",
                "url": questionnaire_url(instrument),
                "name": SHORT_NAMES[instrument],
                "title": Instrument(instrument).label,
                "status": "active",
                "subjectType": ["Patient"],
                "description": description,
                "item": items,
            }
        )
        for instrument, description, items in definitions
    ]


def questionnaire_response_resource(response: Response, sitting: Sitting, patient: User) -> dict:
    """One instrument's answers in one sitting, with the calculated score as a read-only item."""
    answers = list(response.answers.all())
    if response.instrument == Instrument.PSFS:
        items = [
            {
                "linkId": answer.link_id,
                "item": [
                    {"linkId": f"{answer.link_id}-name", "answer": [{"valueString": answer.activity.name}]},
                    {"linkId": f"{answer.link_id}-rating", "answer": [{"valueInteger": answer.value}]},
                ],
            }
            for answer in sorted(answers, key=lambda answer: answer.link_id)
        ]
    elif response.instrument == Instrument.PEG:
        order = [question.link_id for question in PEG_QUESTIONS]
        items = [
            {"linkId": answer.link_id, "answer": [{"valueInteger": answer.value}]}
            for answer in sorted(answers, key=lambda answer: order.index(answer.link_id))
        ]
    else:
        words = {value: clinician for value, _, clinician in PGIC_CHOICES}
        items = [
            {
                "linkId": "pgic",
                "answer": [
                    {
                        "valueCoding": {
                            "system": codes.system("pgic"),
                            "code": str(answer.value),
                            "display": words[answer.value],
                        }
                    }
                ],
            }
            for answer in answers
        ]
    if response.instrument != Instrument.PGIC:
        items.append({"linkId": f"{response.instrument}-score", "answer": [{"valueDecimal": float(response.score)}]})
    return checked(
        {
            "resourceType": "QuestionnaireResponse",
            "id": f"questionnaire-response-{response.pk}",
            "questionnaire": questionnaire_url(response.instrument),
            "status": "completed",
            "subject": ref("Patient", patient_id(patient)),
            # The patient's own day (as for the check-in observations), not the moment it was stored.
            "authored": _day(sitting.local_date),
            "author": ref("Patient", patient_id(patient)),
            "source": ref("Patient", patient_id(patient)),
            "item": items,
        }
    )


def flag_resource(flag: Flag, patient: User) -> dict:
    """The flag as the care team reads it (the clinician's summary)."""
    period = {"start": _instant(flag.opened_at)}
    if flag.resolved_at:
        period["end"] = _instant(flag.resolved_at)
    return checked(
        {
            "resourceType": "Flag",
            "id": f"flag-{flag.pk}",
            "status": "active" if flag.status in UNRESOLVED else "inactive",
            "category": [{"text": flag.get_severity_display()}],
            "code": {
                "coding": [{"system": codes.system("flag-rule"), "code": flag.rule_id}],
                "text": clinician_words(flag),
            },
            "subject": ref("Patient", patient_id(patient)),
            "period": period,
        }
    )


def care_plan_resource(patient: User, program: list[ProgramItem], care_team: list[User]) -> dict | None:
    """The exercise program: one activity per prescribed exercise, on hold when it is not available."""
    if not program:
        return None
    physios = [member for member in care_team if member.role == Role.PHYSIOTHERAPIST]
    resource = {
        "resourceType": "CarePlan",
        "id": f"careplan-{patient.pk}",
        "status": "active",
        "intent": "plan",
        "title": "Home exercise program",
        "subject": ref("Patient", patient_id(patient)),
        "careTeam": [ref("CareTeam", f"careteam-{patient.pk}")],
        "activity": [
            {
                "detail": {
                    "status": "in-progress" if item.available else "on-hold",
                    "code": {"text": item.exercise.name},
                    "description": f"{assignment_dose(item.assignment)}; {item.assignment.times_per_week} times a week"
                    + ("" if item.available else f". On hold: {item.clinician_reason}"),
                }
            }
            for item in program
        ],
    }
    if physios:
        resource["author"] = ref("Practitioner", practitioner_id(physios[0]), physios[0].display_name)
    return checked(resource)
