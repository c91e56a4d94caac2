"""The GUIDED_TIMER_SCALE setting, read from the environment by tracker/settings.py."""

from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured


def guided_timer_scale(environ: Mapping[str, str]) -> float:
    """A number above 0 and at most 1 (1, the default, is real time)."""
    raw = (environ.get("GUIDED_TIMER_SCALE") or "").strip()
    if not raw:
        return 1.0
    try:
        scale = float(raw)
    except ValueError:
        scale = 0.0
    if not 0 < scale <= 1:
        raise ImproperlyConfigured(
            f"GUIDED_TIMER_SCALE must be a number above 0 and at most 1 (1 is real time), not {raw!r}."
        )
    return scale
