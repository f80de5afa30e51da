"""The audit trail is append-only in the database itself, whatever code runs against it."""

from django.db import migrations

from complaints.audit_guard import install_guard, remove_guard


def install(apps, schema_editor):
    install_guard(schema_editor.connection)


def uninstall(apps, schema_editor):
    remove_guard(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("complaints", "0002_initial")]
    operations = [migrations.RunPython(install, uninstall)]
