"""Create-or-update that is safe against a double tap, a retry and two requests racing."""

from typing import Any

from django.db import IntegrityError, models, transaction


def upsert(
    model: type[models.Model],
    *,
    lookup: dict[str, Any],
    values: dict[str, Any],
    create_only: dict[str, Any] | None = None,
) -> tuple[models.Model, bool]:
    """The row matching `lookup` with `values` applied; returns (row, written).

    `lookup` must name a unique constraint, so there is at most one row. The
    row is locked while it is compared and written. If another request inserts
    the same row between our look-up and our insert, the unique constraint
    refuses our insert and we update the row it created instead, so the caller
    never sees an error and there is never a second row. A row whose values are
    already equal is left alone: a repeated submission adds no history entry.
    `create_only` values (such as a form token) are used only when inserting.
    Must run inside a transaction.
    """
    existing = model.objects.select_for_update().filter(**lookup).first()
    if existing is None:
        try:
            with transaction.atomic():
                return model.objects.create(**lookup, **values, **(create_only or {})), True
        except IntegrityError:
            existing = model.objects.select_for_update().filter(**lookup).first()
            if existing is None:
                # The conflict was on something else (a reused token, say): try
                # once more without the create-only values.
                with transaction.atomic():
                    return model.objects.create(**lookup, **values), True
    changed = [name for name, value in values.items() if getattr(existing, name) != value]
    if not changed:
        return existing, False
    for name in changed:
        setattr(existing, name, values[name])
    existing.save(update_fields=[*changed, "updated_at"])
    return existing, True
