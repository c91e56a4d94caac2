from django.contrib.auth.decorators import login_required
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.http import require_GET

from ..decorators import role_required
from ..models import Role
from ..pagecache.today import today_page


@require_GET
@login_required
def home(request):
    """Send each person to the page their role starts from."""
    user = request.user
    if user.is_patient:
        return redirect("my_discharged" if user.discharged_at else "patient_home")
    if user.is_clinician:
        return redirect("caseload")
    if user.is_staff:
        return redirect("admin:index")
    return render(request, "accounts/no_role.html", status=403)


@require_GET
@role_required(Role.PATIENT)
def patient_home(request):
    """The patient's "Today" page: check in, log today's exercises, see progress."""
    if request.user.discharged_at is not None:
        return redirect("my_discharged")
    page = today_page(patient=request.user)
    return render(
        request,
        "patient/home.html",
        {"today": page.today, "alerts": page.alerts, "today_body": page.body},
    )


@require_GET
def favicon(request):
    # Resolved per request: with hashed static files the URL is only known
    # once collectstatic has run.
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))
