import sys

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template.loader import get_template

from tracker.safety.outage import OUTAGE_ERRORS, outage_response


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    """The 500 page; a lost database connection anywhere (a middleware loading the session, say) gets the 503."""
    if isinstance(sys.exc_info()[1], OUTAGE_ERRORS):
        return outage_response(request)
    # Rendered without a request context: whatever failed must not fail again here.
    return HttpResponseServerError(get_template("500.html").render())
