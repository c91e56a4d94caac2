from django.core.exceptions import ValidationError
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from tracker.decorators import role_required
from tracker.models import Role
from tracker.views.daily import card_response, own_assignment, parse_day

from .services import session_pain_after_save


@require_POST
@vary_on_headers("HX-Request")
@role_required(Role.PATIENT)
def session_pain_after(request, day: str, assignment_id: int):
    """One tap on a pain tile after "Done". htmx swaps the card; without JavaScript, back to the day's page."""
    local_date = parse_day(day)
    assignment = own_assignment(request, int(assignment_id))
    try:
        session_pain_after_save(
            patient=request.user,
            assignment=assignment,
            local_date=local_date,
            pain_after=request.POST.get("pain_after"),
        )
    except ValidationError as error:
        return card_response(request, local_date=local_date, assignment=assignment, error=" ".join(error.messages))
    return card_response(request, local_date=local_date, assignment=assignment, saved=True)
