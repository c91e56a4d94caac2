"""Loaded with `-p` before pytest-django reads the settings (see pyproject.toml).

Tests run with the development settings: plain HTTP for the live server and
unhashed static files. `.ci/run` checks the production settings separately with
`manage.py check --deploy`.
"""

import os

os.environ.setdefault("DJANGO_DEBUG", "true")
# Playwright's sync API runs an event loop in the test thread; the ORM calls the
# tests make around it are ordinary synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Uploaded pictures go to a throwaway folder, never into the project's media/,
# one per xdist worker (each worker has its own database, so names can repeat).
if "MEDIA_ROOT" not in os.environ:
    import atexit
    import shutil
    import tempfile

    _media_root = tempfile.mkdtemp(prefix="tracker-test-media-")
    atexit.register(shutil.rmtree, _media_root, ignore_errors=True)
    os.environ["MEDIA_ROOT"] = _media_root
if os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ["MEDIA_ROOT"] = os.path.join(os.environ["MEDIA_ROOT"], os.environ["PYTEST_XDIST_WORKER"])
# Browser notifications (tracker.reminders.push) are on in tests, with a key pair
# made for the tests only; nothing is ever sent to a real push service.
os.environ.setdefault(
    "VAPID_PUBLIC_KEY", "BB8ijk-juLfyzH7qHxfRqOnoRkfXT3IigzTifvnBalYGLozQauQh-NlTVCyWhdmh6CIL_DT01oItf_5R4JHhcEg"
)
os.environ.setdefault("VAPID_PRIVATE_KEY", "X8wje8o_DddJUYn_snmzfzzfGNIwpJ_1sWxCF__Ko8o")
os.environ.setdefault("VAPID_SUBJECT", "mailto:it@example-clinic.org")
