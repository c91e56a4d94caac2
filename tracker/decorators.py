from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404


def role_required(*roles: str):
    """Signed-in users of these roles only; others get the same 404 as a missing page.

    The login check runs first, so an anonymous visitor is sent to sign in
    rather than told whether the page exists.
    """

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if request.user.role not in roles:
                raise Http404("Not available for this account.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
