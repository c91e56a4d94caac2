"""A web worker loads only what serving pages needs: libraries used by the worker or a rare download wait.

Each gunicorn worker carries every module imported when the app loads, so a
library that only the background worker (Web Push) or one download (the FHIR
export's validation) needs is paid for by every web worker, all day. The check
runs in a fresh interpreter, since this test process has imported everything.
"""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

LOADS_THE_WEB_APP = """
import json, os, sys
os.environ.update(DJANGO_SETTINGS_MODULE="tracker.settings", DJANGO_DEBUG="false",
                  DJANGO_SECRET_KEY="x" * 60, DJANGO_ALLOWED_HOSTS="testserver")
from django.urls import get_resolver
from tracker.wsgi import application
get_resolver().url_patterns  # every view module, as on the first request
print(json.dumps(sorted(name for name in sys.modules if "." not in name)))
"""

ONLY_WHEN_NEEDED = {
    "pywebpush": "Web Push, sent by the background worker",
    "aiohttp": "pulled in by pywebpush",
    "fhir": "fhir.resources, which validates the FHIR download",
    "boto3": "S3 storage, only when it is configured",
    "PIL": "Pillow, which checks a picture an admin uploads",
    "segno": "segno, which draws the QR code on the authenticator set-up page",
}


def test_loading_the_web_app_leaves_worker_only_and_download_only_libraries_unloaded():
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    output = subprocess.run(
        [sys.executable, "-c", LOADS_THE_WEB_APP], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout
    loaded = set(json.loads(output.strip().splitlines()[-1]))

    assert "django" in loaded  # the app really loaded
    assert {name: why for name, why in ONLY_WHEN_NEEDED.items() if name in loaded} == {}
