from django.db import migrations, models


def mark_checked_accounts(apps, schema_editor):
    """Accounts opened at the counter were checked against the ID card; accounts created by an identity
    provider's login have no password of their own."""
    CitizenProfile = apps.get_model("citizens", "CitizenProfile")
    CitizenProfile.objects.filter(created_by__isnull=False).update(identity_checked_by="counter")
    CitizenProfile.objects.filter(created_by__isnull=True, user__password__startswith="!").update(
        identity_checked_by="provider"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("citizens", "0002_submission_form_data"),
    ]

    operations = [
        migrations.AddField(
            model_name="citizenprofile",
            name="identity_checked_by",
            field=models.CharField(
                blank=True,
                choices=[
                    ("counter", "Cán bộ tiếp nhận đối chiếu giấy tờ tại quầy"),
                    ("provider", "Tài khoản định danh điện tử (VNeID, Cổng Dịch vụ công quốc gia)"),
                ],
                max_length=10,
                verbose_name="Số định danh đã được xác thực qua",
            ),
        ),
        migrations.RunPython(mark_checked_accounts, migrations.RunPython.noop),
    ]
