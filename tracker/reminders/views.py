"""Reminder pages: the patient's settings, the clinician's digest, the one-click unsubscribe,
browsers subscribing to notifications, and the service worker and web app manifest.

The settings pages show only the signed-in person's own choice and reminders;
the unsubscribe page acts on the person named in its signed link and shows
nothing about them; the service worker and manifest hold no personal data.
"""

import json
from functools import cache

from django.conf import settings
from django.contrib import messages
from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tracker.decorators import role_required
from tracker.models import Role, User

from .forms import DigestSettingsForm, PushSubscriptionForm, ReminderSettingsForm
from .links import BadUnsubscribeLink, read_unsubscribe_token
from .push import push_enabled
from .selectors import recent_reminders
from .services import current_settings, push_subscribe, push_unsubscribe, settings_save, turn_off

CLINICIANS = (Role.PHYSIOTHERAPIST, Role.DOCTOR)


@require_http_methods(["GET", "POST"])
@role_required(Role.PATIENT)
def reminder_settings(request):
    patient = request.user
    choice = current_settings(user=patient)
    available = push_enabled()
    if request.method == "POST":
        form = ReminderSettingsForm(request.POST, push_available=available)
        if form.is_valid():
            data = form.cleaned_data
            settings_save(
                user=patient,
                enabled=data["enabled"],
                send_at=data["send_at"],
                by_email=data["by_email"],
                by_push=bool(data["by_push"]) if available else choice.by_push,
            )
            if data["enabled"]:
                messages.success(request, f"Saved. We will remind you at {data['send_at']:%H:%M} each day.")
            else:
                messages.success(request, "Saved. Reminders are off.")
            return redirect("reminder_settings")
    else:
        form = ReminderSettingsForm(
            initial={
                "enabled": choice.enabled,
                "send_at": choice.send_at,
                "by_email": choice.by_email,
                "by_push": choice.by_push,
            },
            push_available=available,
        )
    return render(
        request,
        "reminders/settings.html",
        {
            "form": form,
            "choice": choice,
            "push_available": available,
            "vapid_public_key": settings.VAPID_PUBLIC_KEY if available else "",
            "browsers": patient.push_subscriptions.count(),
            "reminders": recent_reminders(user=patient),
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(*CLINICIANS)
def digest_settings(request):
    clinician = request.user
    choice = current_settings(user=clinician)
    if request.method == "POST":
        form = DigestSettingsForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            settings_save(
                user=clinician, enabled=data["enabled"], send_at=data["send_at"], by_email=True, by_push=False
            )
            messages.success(
                request,
                f"Saved. Your digest comes at {data['send_at']:%H:%M} each day."
                if data["enabled"]
                else "Saved. The daily digest is off; emergencies still reach you at once.",
            )
            return redirect("digest_settings")
    else:
        form = DigestSettingsForm(initial={"enabled": choice.enabled, "send_at": choice.send_at})
    return render(
        request,
        "reminders/digest_settings.html",
        {"form": form, "choice": choice, "reminders": recent_reminders(user=clinician, limit=7)},
    )


def _subscription_data(request) -> dict:
    if request.content_type == "application/json":
        try:
            body = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            return {}
        if not isinstance(body, dict):
            return {}
        keys = body.get("keys") if isinstance(body.get("keys"), dict) else {}
        return {"endpoint": body.get("endpoint"), "p256dh": keys.get("p256dh"), "auth": keys.get("auth")}
    return request.POST


@require_POST
@role_required(Role.PATIENT)
def push_subscribe_view(request):
    if not push_enabled():
        return JsonResponse({"error": "Browser notifications are not set up on this server."}, status=409)
    form = PushSubscriptionForm(_subscription_data(request))
    if not form.is_valid():
        return JsonResponse({"error": "This browser sent a subscription we cannot use. Please try again."}, status=400)
    push_subscribe(user=request.user, user_agent=request.headers.get("User-Agent", ""), **form.cleaned_data)
    return JsonResponse({"ok": True, "message": "Notifications are on for this browser."})


@require_POST
@role_required(Role.PATIENT)
def push_unsubscribe_view(request):
    data = _subscription_data(request)
    endpoint = data.get("endpoint") if hasattr(data, "get") else None
    if not isinstance(endpoint, str) or not endpoint:
        return JsonResponse({"error": "No browser was named."}, status=400)
    push_unsubscribe(user=request.user, endpoint=endpoint[:2000])
    return JsonResponse({"ok": True, "message": "Notifications are off for this browser."})


@csrf_exempt  # the signed link is the permission; mail programs post here for one-click unsubscribe (RFC 8058)
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """GET: a page with one button (link checkers in mail systems open links). POST: turn off."""
    try:
        user_id, what = read_unsubscribe_token(token)
    except BadUnsubscribeLink as error:
        return render(request, "reminders/unsubscribe.html", {"problem": error.message}, status=400)
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return render(
            request,
            "reminders/unsubscribe.html",
            {"problem": "This account is closed, so nothing more will be sent to it."},
            status=400,
        )
    digest = what == "digest"
    if request.method == "POST":
        turn_off(user=user)
        return render(request, "reminders/unsubscribe.html", {"done": True, "digest": digest})
    return render(
        request, "reminders/unsubscribe.html", {"digest": digest, "enabled": current_settings(user=user).enabled}
    )


@cache
def _service_worker_source() -> bytes:
    path = finders.find("js/service-worker.js")
    if path is None:
        raise Http404("No service worker.")
    with open(path, "rb") as source:
        return source.read()


@require_GET
def service_worker(request):
    """The service worker, from the site's root so it may control every page (push and notification clicks only)."""
    response = HttpResponse(_service_worker_source(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def web_manifest(request):
    """The web app manifest: lets a patient add the tracker to their phone's home screen."""
    manifest = {
        "name": "Recovery tracker",
        "short_name": "Recovery",
        "description": "Daily check-ins and exercises while you recover from a pinched nerve.",
        "start_url": reverse("patient_home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#084483",
        "icons": [
            {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
        ],
    }
    response = JsonResponse(manifest, content_type="application/manifest+json")
    response["Cache-Control"] = "public, max-age=3600"
    return response
