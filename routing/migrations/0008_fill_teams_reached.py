from django.db import migrations


def fill_teams_reached(apps, schema_editor):
    from routing.actions import recompute_teams_reached

    recompute_teams_reached()


class Migration(migrations.Migration):

    dependencies = [
        ("routing", "0007_dashboard_flag_indexes"),
        ("complaints", "0015_teams_reached"),
    ]

    operations = [
        migrations.RunPython(fill_teams_reached, migrations.RunPython.noop),
    ]
