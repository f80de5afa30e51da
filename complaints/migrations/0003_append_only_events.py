"""The audit trail is append-only in the database itself, whatever code runs against it."""

from django.db import migrations

POSTGRES_UP = """
CREATE OR REPLACE FUNCTION complaints_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER complaints_event_no_update_delete
    BEFORE UPDATE OR DELETE ON complaints_event
    FOR EACH ROW EXECUTE FUNCTION complaints_event_append_only();
CREATE TRIGGER complaints_event_no_truncate
    BEFORE TRUNCATE ON complaints_event
    FOR EACH STATEMENT EXECUTE FUNCTION complaints_event_append_only();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS complaints_event_no_truncate ON complaints_event;
DROP TRIGGER IF EXISTS complaints_event_no_update_delete ON complaints_event;
DROP FUNCTION IF EXISTS complaints_event_append_only();
"""
SQLITE_UP = [
    """CREATE TRIGGER complaints_event_no_update BEFORE UPDATE ON complaints_event
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE is not allowed'); END;""",
    """CREATE TRIGGER complaints_event_no_delete BEFORE DELETE ON complaints_event
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only: DELETE is not allowed'); END;""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS complaints_event_no_update;",
    "DROP TRIGGER IF EXISTS complaints_event_no_delete;",
]


def _run(schema_editor, statements):
    # A plain cursor: the PL/pgSQL body contains '%' which must not be read as a parameter.
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, [POSTGRES_UP])
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_UP)


def uninstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, [POSTGRES_DOWN])
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_DOWN)


class Migration(migrations.Migration):
    dependencies = [("complaints", "0002_initial")]
    operations = [migrations.RunPython(install, uninstall)]
