"""Database faults for tests: every statement after a chosen one fails, as with a connection that drops."""

from contextlib import contextmanager

from django.db import OperationalError, connection

# Transaction control still goes through, so the test's own transaction can roll back.
PASSES = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK")


@contextmanager
def connection_drops_after(marker: str):
    """Every SQL statement after the first one containing `marker` raises OperationalError."""
    state = {"dropped": False}

    def wrapper(execute, sql, params, many, context):
        if state["dropped"] and not sql.lstrip().upper().startswith(PASSES):
            raise OperationalError("server closed the connection unexpectedly")
        result = execute(sql, params, many, context)
        if marker in sql:
            state["dropped"] = True
        return result

    with connection.execute_wrapper(wrapper):
        yield state
