"""Running more than one app server: request ids, JSON logs (see tracker/settings.py's scale-out block)."""
