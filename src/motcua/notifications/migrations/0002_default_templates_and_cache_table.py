"""Install the default notification texts, and create the shared database cache table (throttles)."""

from django.core.management import call_command
from django.db import migrations


def install_templates(apps, schema_editor):
    from motcua.notifications.defaults import install

    install(apps.get_model("notifications", "NotificationTemplate"))


def create_cache_table(apps, schema_editor):
    # Creates the table of every configured database cache if missing (a no-op for other cache backends).
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [
        migrations.RunPython(install_templates, migrations.RunPython.noop),
        migrations.RunPython(create_cache_table, migrations.RunPython.noop),
    ]
