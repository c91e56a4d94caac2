from .outage import emergency_number


def emergency(request) -> dict:
    """The emergency number every page's emergency messages offer as a tap-to-call button. No queries."""
    return {"emergency_number": emergency_number()}
