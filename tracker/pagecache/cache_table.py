"""The database cache's table, made by every `migrate`.

Production without Redis caches page pieces in the database (tracker.settings).
Django makes that table with `createcachetable`, a step a deploy could forget,
and the first cached page would then fail. So every migrate makes it (it skips
a table that exists), whatever cache the migrating process itself is set up
with: a database migrated with debug on, or with REDIS_URL set, may later be
served without either.
"""

from django.conf import settings
from django.core.management.commands.createcachetable import Command as CreateCacheTable


def create_cache_table(*, using: str, **kwargs) -> None:
    # createcachetable's own loop only covers the caches this process is configured with; its
    # per-table step makes the one table production uses either way.
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(using, settings.DATABASE_CACHE_TABLE, dry_run=False)
