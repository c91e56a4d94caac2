"""One record per form submission: a double click, a retry or ten requests racing create it once.

A form carries a one-time token (a UUID made when the form is drawn). The
record keeps it in a unique `submission_token` column, so the database itself
refuses a second row; the services look for the first one and return it.
"""

import uuid

from django.db import models


def existing_submission(model: type[models.Model], token: uuid.UUID | None, **owner) -> models.Model | None:
    """The row this submission already created (by the same owner), if any."""
    if token is None:
        return None
    return model.objects.filter(submission_token=token, **owner).first()
