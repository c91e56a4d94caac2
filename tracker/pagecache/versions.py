"""A version per patient, changed after every committed write about them; cached pieces carry it in their key.

A piece of a page built from a patient's data (their Today page, their
caseload row) is cached under `piece:patient:version:...`. A write about the
patient (a check-in, an exercise logged, a flag raised or resolved, a new
clearance or program change, see receivers.py) gives the patient a new version
when its transaction commits, so the next request misses the old key and
builds the piece from the database: nothing stale is ever shown, and nothing
needs deleting (old keys age out). The version is set after the commit, never
before: a request reading between a write and its commit must not store the
old data under the new version.

Versions live in the cache itself (the default cache: Redis with REDIS_URL,
shared by every app server). A version the cache lost (evicted, Redis
restarted) is replaced by a new one, which only costs a rebuild. A
"generation" shared by all patients is changed by writes that touch everyone
(the exercise library, seed_demo).
"""

import logging
import uuid
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)
VERSION_TIMEOUT = None  # kept until evicted; losing one only costs a rebuild
PIECE_TIMEOUT = 60 * 60 * 24  # a piece nobody asks for again ages out in a day
GENERATION_KEY = "pv:generation"


def _key(patient_id: int) -> str:
    return f"pv:{patient_id}"


def _new_version() -> int:
    # An int, not a string: Django's Redis cache stores ints as they are and reads them back without
    # unpickling, and the caseload reads one version per patient on every request.
    return uuid.uuid4().int >> 66


def versions(patient_ids: Iterable[int]) -> dict[int, str]:
    """The current version of each patient's data (one cache round trip; missing ones are made)."""
    ids = list(patient_ids)
    keys = {_key(patient_id): patient_id for patient_id in ids}
    found = cache.get_many([GENERATION_KEY, *keys])
    generation = found.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, _new_version(), VERSION_TIMEOUT)
        generation = cache.get(GENERATION_KEY) or ""
    missing = {key: _new_version() for key in keys if key not in found}
    if missing:
        # add(), not set(): a version another process made meanwhile wins, so every server agrees.
        for key, version in missing.items():
            if not cache.add(key, version, VERSION_TIMEOUT):
                missing[key] = cache.get(key) or version
        found |= missing
    return {patient_id: f"{generation}.{found[key]}" for key, patient_id in keys.items()}


def version(patient_id: int) -> str:
    return versions([patient_id])[patient_id]


def _bump(patient_ids: set[int]) -> None:
    cache.set_many({_key(patient_id): _new_version() for patient_id in patient_ids}, VERSION_TIMEOUT)


def changed(*patient_ids: int | None) -> None:
    """Say that these patients' data changed: they get new versions now and again when the transaction commits.

    The version set after the commit is the one that matters (see above). The
    one set now serves reads inside the same transaction, such as a test's.
    """
    ids = {patient_id for patient_id in patient_ids if patient_id is not None}
    if ids:
        try:
            _bump(ids)
        except Exception:  # the cache being away must never stop a check-in being saved
            logger.exception("Could not give patients %s a new data version", sorted(ids))
        transaction.on_commit(lambda: _bump(ids), robust=True)


def everyone_changed() -> None:
    """A write that touches every patient's pieces (the exercise library, a reseed): a new generation, as above."""

    def bump() -> None:
        cache.set(GENERATION_KEY, _new_version(), VERSION_TIMEOUT)

    try:
        bump()
    except Exception:
        logger.exception("Could not start a new data generation")
    transaction.on_commit(bump, robust=True)
