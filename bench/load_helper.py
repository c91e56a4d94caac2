"""The parts of the load benchmark that run inside a Django project: bench/load.py calls this.

It runs under whichever project DJANGO_SETTINGS_MODULE names (the app or the
floor) against that project's database, and prints one JSON value:

    load_helper.py session USERNAME     a signed-in session for USERNAME: {"cookie": name, "key": key}
    load_helper.py floor-user USERNAME  create the floor's one user (no usable password)
    load_helper.py queries < requests   per request: statuses and the number of queries each ran
    load_helper.py checkin-changes USERNAME   how many saved versions USERNAME's check-ins have
"""

import json
import sys
from importlib import import_module

import django


def signed_in_session(username: str) -> dict:
    """A signed-in session for `username`, made by the project's own sign-in code, without its forms.

    django.contrib.auth.login runs on a request made here, so everything the
    project does on sign-in (session length, its signal receivers) happens as
    it would. Where the project uses django-otp and the account has a confirmed
    second factor, the session is then marked verified with it, as the second
    step of the sign-in would. The benchmark measures pages, not signing in.
    """
    from django.apps import apps
    from django.conf import settings
    from django.contrib.auth import get_user_model, login
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    user = get_user_model().objects.get(username=username)
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="127.0.0.1", HTTP_HOST="127.0.0.1")
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    request.user = AnonymousUser()
    # The backend that accepts a password on the sign-in form.
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    if apps.is_installed("django_otp"):
        import django_otp

        device = next(django_otp.devices_for_user(user, confirmed=True), None)
        if device is not None:
            django_otp.login(request, device)
    request.session.save()
    return {"cookie": settings.SESSION_COOKIE_NAME, "key": request.session.session_key}


def floor_user(username: str) -> dict:
    from django.contrib.auth import get_user_model

    user, created = get_user_model().objects.get_or_create(username=username)
    if created:
        user.set_unusable_password()
        user.save()
    return {"username": user.username}


def query_counts(requests: list[dict]) -> list[dict]:
    """Each request through Django's test client, as a server worker would handle it, and the queries it ran.

    The first request of each warms what a long-running worker keeps between
    requests (content types, compiled templates) and is not counted. A GET is
    then sent once more; a POST sends each of its `bodies` in turn.
    """
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    results = []
    for request in requests:
        client = Client(HTTP_HOST="127.0.0.1")
        for name, value in request["cookies"].items():
            client.cookies[name] = value
        bodies = request["bodies"] if request["method"] == "POST" else [None, None]
        statuses, counts = [], []
        for body in bodies:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(request["path"]) if body is None else client.post(request["path"], body)
            statuses.append(response.status_code)
            counts.append(len(queries))
        results.append({"statuses": statuses, "queries": counts[1:]})
    return results


def checkin_changes(username: str) -> dict:
    from tracker.models import CheckIn

    return {"versions": CheckIn.history.filter(patient__username=username).count()}


def main() -> None:
    django.setup()
    command, *arguments = sys.argv[1:]
    if command == "session":
        result = signed_in_session(arguments[0])
    elif command == "floor-user":
        result = floor_user(arguments[0])
    elif command == "queries":
        result = query_counts(json.load(sys.stdin))
    elif command == "checkin-changes":
        result = checkin_changes(arguments[0])
    else:
        sys.exit(f"Unknown command {command!r}.")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
