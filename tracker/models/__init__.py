from .accounts import Condition, Role, User
from .care_teams import CareTeamMembership
from .checkins import RED_FLAG_FIELDS, Change, CheckIn, Extent
from .flags import UNRESOLVED, Flag, FlagStatus, Severity
from .notes import ClinicalNote
from .notifications import FlagNotification, NotificationStatus
from .sessions import EntryStatus, SessionEntry, SessionLog
from .summaries import PatientSummary

__all__ = [
    "RED_FLAG_FIELDS",
    "UNRESOLVED",
    "CareTeamMembership",
    "Change",
    "CheckIn",
    "ClinicalNote",
    "Condition",
    "EntryStatus",
    "Extent",
    "Flag",
    "FlagNotification",
    "FlagStatus",
    "NotificationStatus",
    "PatientSummary",
    "Role",
    "SessionEntry",
    "SessionLog",
    "Severity",
    "User",
]
