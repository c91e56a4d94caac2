"""`migrate` alone readies the database cache that production uses without Redis."""

import pytest
from django.conf import settings
from django.core.cache.backends.db import DatabaseCache
from django.db import connection


@pytest.mark.django_db
def test_the_migrated_database_holds_a_working_cache_table_whatever_cache_migrate_ran_with():
    # The test database was migrated with the development settings (a cache in memory).
    assert settings.DATABASE_CACHE_TABLE in connection.introspection.table_names()
    production_cache = DatabaseCache(settings.DATABASE_CACHE_TABLE, {})
    production_cache.set("piece", "<p>cached</p>")
    assert production_cache.get("piece") == "<p>cached</p>"
