from django.db import migrations, models


def mark_unsynced_events_pending(apps, schema_editor):
    """Events written after the last sync (a history imported since) become pending rows, so the first drain
    folds them in as the sync would have."""
    FactWatermark = apps.get_model("reports", "FactWatermark")
    DossierEvent = apps.get_model("dossiers", "DossierEvent")
    PendingFact = apps.get_model("reports", "PendingFact")
    seen = FactWatermark.objects.filter(pk=1).values_list("last_event_id", flat=True).first() or 0
    ids = DossierEvent.objects.filter(id__gt=seen).values_list("dossier_id", flat=True).distinct()
    PendingFact.objects.bulk_create([PendingFact(dossier_id=pk) for pk in ids.iterator()], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0002_dossier_lifecycle"),
        ("reports", "0004_daily_rollup_one_row_per_key"),
    ]

    operations = [
        migrations.CreateModel(
            name="PendingFact",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("dossier_id", models.BigIntegerField()),
            ],
        ),
        migrations.RunPython(mark_unsynced_events_pending, migrations.RunPython.noop),
        migrations.DeleteModel(name="FactWatermark"),
    ]
