"""The database's own guard that keeps the audit trail append-only (installed by a migration).

Installing is idempotent. SQLite drops a table's triggers when a migration rebuilds the table, so
every migration that alters complaints_event must end by installing the guard again.

`suspended_guard` lifts it for the length of a block; only the test suite uses it, to empty the
database between transactional tests. Lifting it needs the table owner's rights.
"""

from __future__ import annotations

from contextlib import contextmanager

POSTGRES_INSTALL = """
CREATE OR REPLACE FUNCTION complaints_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS complaints_event_no_update_delete ON complaints_event;
DROP TRIGGER IF EXISTS complaints_event_no_truncate ON complaints_event;
CREATE TRIGGER complaints_event_no_update_delete
    BEFORE UPDATE OR DELETE ON complaints_event
    FOR EACH ROW EXECUTE FUNCTION complaints_event_append_only();
CREATE TRIGGER complaints_event_no_truncate
    BEFORE TRUNCATE ON complaints_event
    FOR EACH STATEMENT EXECUTE FUNCTION complaints_event_append_only();
"""
POSTGRES_REMOVE = """
DROP TRIGGER IF EXISTS complaints_event_no_truncate ON complaints_event;
DROP TRIGGER IF EXISTS complaints_event_no_update_delete ON complaints_event;
DROP FUNCTION IF EXISTS complaints_event_append_only();
"""
SQLITE_INSTALL = [
    "DROP TRIGGER IF EXISTS complaints_event_no_update;",
    "DROP TRIGGER IF EXISTS complaints_event_no_delete;",
    """CREATE TRIGGER complaints_event_no_update BEFORE UPDATE ON complaints_event
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE is not allowed'); END;""",
    """CREATE TRIGGER complaints_event_no_delete BEFORE DELETE ON complaints_event
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only: DELETE is not allowed'); END;""",
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS complaints_event_no_update;",
    "DROP TRIGGER IF EXISTS complaints_event_no_delete;",
]


def _run(connection, statements) -> None:
    # A plain cursor: the PL/pgSQL body contains '%' which must not be read as a parameter.
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def install_guard(connection) -> None:
    if connection.vendor == "postgresql":
        _run(connection, [POSTGRES_INSTALL])
    elif connection.vendor == "sqlite":
        _run(connection, SQLITE_INSTALL)


def remove_guard(connection) -> None:
    if connection.vendor == "postgresql":
        _run(connection, [POSTGRES_REMOVE])
    elif connection.vendor == "sqlite":
        _run(connection, SQLITE_REMOVE)


@contextmanager
def suspended_guard(connection):
    if connection.vendor == "postgresql":
        _run(connection, ["ALTER TABLE complaints_event DISABLE TRIGGER USER"])
        try:
            yield
        finally:
            _run(connection, ["ALTER TABLE complaints_event ENABLE TRIGGER USER"])
    else:
        remove_guard(connection)
        try:
            yield
        finally:
            install_guard(connection)
