"""`{% patient_reminders patient %}`: the small reminders section on the clinician's patient page.

The page's view has already checked that the viewer is on the patient's care
team; this shows the patient's reminder choice and recent reminders, never
their clinician digest or push details.
"""

from django import template

from tracker.reminders.selectors import recent_patient_reminders
from tracker.reminders.services import current_settings

register = template.Library()


@register.inclusion_tag("reminders/_patient_reminders.html", takes_context=True)
def patient_reminders(context, patient):
    viewer = context.get("user")
    return {
        "patient": patient,
        "choice": current_settings(user=patient),
        "reminders": list(recent_patient_reminders(patient=patient)),
        "tz_name": viewer.time_zone if viewer is not None and viewer.is_authenticated else patient.time_zone,
    }
