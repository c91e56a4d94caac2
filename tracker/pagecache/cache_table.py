"""The database cache's table, made by `migrate` whenever the settings use a database cache.

Production without Redis caches page pieces in the database (tracker.settings).
Django makes that table with `createcachetable`, a step a deploy could forget,
and the first cached page would then fail; running it after every migrate
(it skips tables that exist) makes `migrate` enough.
"""

from django.core.management import call_command


def create_cache_table(*, using: str, **kwargs) -> None:
    call_command("createcachetable", database=using, verbosity=0)
