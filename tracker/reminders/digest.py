"""What goes into a clinician's daily digest: new and still-open flags of their patients.

Like the care-team e-mails about single flags (tracker.flags.notify), the
digest does not name patients: e-mail is not a private channel. Each flag is
listed with its level, the rule's title and the care-team summary, with a link
to the patient's page where the clinician, signed in, sees who it is.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.urls import reverse

from tracker.flags.titles import clinician_words, title_for
from tracker.models import Flag, Severity, User
from tracker.selectors import patients_visible_to

from .links import absolute
from .models import Reminder, ReminderKind, ReminderStatus


@dataclass
class DigestLine:
    flag: Flag
    title: str
    link: str
    is_new: bool


def digest_since(*, clinician: User, now: datetime) -> datetime:
    """Flags opened after this count as new: since the last digest sent, or the last day."""
    last = (
        Reminder.objects.filter(user=clinician, kind=ReminderKind.DIGEST, status=ReminderStatus.SENT)
        .exclude(finished_at__isnull=True)
        .order_by("-finished_at")
        .values_list("finished_at", flat=True)
        .first()
    )
    return last or now - timedelta(days=1)


def digest_lines(*, clinician: User, now: datetime) -> list[DigestLine]:
    since = digest_since(clinician=clinician, now=now)
    flags = (
        Flag.objects.unresolved()
        .filter(patient__in=patients_visible_to(user=clinician))
        .order_by("-severity", "opened_at", "pk")
    )
    return [
        DigestLine(
            flag=flag,
            title=title_for(flag.rule_id),
            link=absolute(reverse("patient_detail", kwargs={"patient_id": flag.patient_id}) + "#flags"),
            is_new=flag.opened_at > since,
        )
        for flag in flags
    ]


def digest_message(*, clinician: User, lines: list[DigestLine]) -> tuple[str, str]:
    new = [line for line in lines if line.is_new]
    still_open = [line for line in lines if not line.is_new]
    emergencies = sum(1 for line in lines if line.flag.severity == Severity.EMERGENCY)
    subject = f"[Recovery tracker] Daily digest: {len(new)} new, {len(still_open)} still open"
    if emergencies:
        subject += f" ({emergencies} emergency)"

    def block(heading: str, items: list[DigestLine]) -> str:
        if not items:
            return f"{heading}: none.\n"
        rows = [
            f"- {Severity(line.flag.severity).label}: {line.title}\n"
            f"  Summary: {clinician_words(line.flag)}\n"
            f"  Patient no. {line.flag.patient_id}, flag {line.flag.pk}, opened {line.flag.opened_at:%d %b %Y}"
            f"{' (acknowledged)' if line.flag.status == 'acknowledged' else ''}\n"
            f"  {line.link}\n"
            for line in items
        ]
        return f"{heading} ({len(items)}):\n" + "\n".join(rows)

    body = (
        f"Hello {clinician.first_name or clinician.username},\n\n"
        "Your daily digest of flags for the patients in your care.\n\n"
        f"{block('New since your last digest', new)}\n"
        f"{block('Still open', still_open)}\n"
        "Emergencies are still e-mailed to you at once; this digest does not replace those e-mails.\n"
        "For privacy, this e-mail does not name patients: follow a link and sign in to see who it is.\n"
    )
    return subject, body
