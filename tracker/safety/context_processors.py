from django.utils.functional import lazy

from .outage import emergency_number, emergency_number_for


def emergency(request) -> dict:
    """The emergency number every page's emergency messages offer as a tap-to-call button.

    The signed-in person's clinic's number (the setting if none): looked up only
    on a page that shows it, so other pages make no query.
    """
    user = getattr(request, "user", None)
    if user is None:
        return {"emergency_number": emergency_number()}
    return {"emergency_number": lazy(lambda: emergency_number_for(user), str)()}
