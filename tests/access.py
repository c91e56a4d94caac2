"""The declarative access matrix: for every URL, who may use it.

Each later feature adds its routes to ROUTES (see tests/test_access_matrix.py);
the matrix test fails if any URL in the project is missing here.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

ACTORS = (
    "anonymous",
    "patient_a",
    "patient_b",
    "linked_physio",
    "unlinked_physio",
    "linked_doctor",
    "unlinked_doctor",
    "manager",
    "other_clinic_manager",
    "other_clinic_patient",
    "admin",
)
EVERYONE = frozenset(ACTORS)
SIGNED_IN = EVERYONE - {"anonymous"}
PATIENTS = frozenset({"patient_a", "patient_b", "other_clinic_patient"})
CLINICIANS = frozenset(
    {"linked_physio", "unlinked_physio", "linked_doctor", "unlinked_doctor", "manager", "other_clinic_manager"}
)
# Clinic managers: `manager` runs patient A's clinic (a physiotherapist not on A's care team);
# `other_clinic_manager` runs a second clinic and looks after `other_clinic_patient` there.
MANAGERS = frozenset({"manager", "other_clinic_manager"})
# Clinicians of patient A's clinic (the first one).
CLINIC_A_CLINICIANS = CLINICIANS - {"other_clinic_manager"}
# Patient A's own data: A and A's care team.
PATIENT_A_ONLY = frozenset({"patient_a"})
A_CARE_TEAM = frozenset({"linked_physio", "linked_doctor"})
A_PHYSIO = frozenset({"linked_physio"})
A_DOCTOR = frozenset({"linked_doctor"})


def no_kwargs(clinic) -> dict:
    return {}


@dataclass(frozen=True)
class Route:
    """One URL and who may use it.

    `allowed` actors get a normal answer (200, or a redirect that is not to the
    login page); other signed-in actors get 404; anonymous visitors are sent to
    sign in unless the route is public (then anonymous is in `allowed`).
    `kwargs` and `data` build what the URL needs from the test's clinic,
    creating patient A's objects where a URL names one.
    """

    name: str
    allowed: frozenset[str]
    method: str = "get"
    kwargs: Callable = no_kwargs
    data: Callable = no_kwargs
    query: str = ""
    htmx: bool = False
    notes: str = field(default="", compare=False)

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.name}{' (htmx)' if self.htmx else ''}"
