"""The app's own settings, with the collected static files kept in the load benchmark's temporary folder.

With debug off the templates need the hashed file names from collectstatic's
manifest; the app's STATIC_ROOT is the checkout's staticfiles/ folder, which the
benchmark must leave alone. Nothing else differs from tracker.settings.
"""

import os

from tracker.settings import *  # noqa: F403

STATIC_ROOT = os.environ["LOAD_BENCH_STATIC_ROOT"]
