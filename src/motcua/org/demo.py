"""The demo center: Bắc Ninh province, Gia Bình district, its Public Administration Center.

Place names follow public sources (see data/SOURCES.md); anything invented is labelled as demo data.
"""

from django.contrib.auth import get_user_model

from .models import AdminLevel, AdminUnit

DEMO_PASSWORD = "motcua-demo-2022"

LEVELS = [("province", "Cấp tỉnh", 1), ("district", "Cấp huyện", 2), ("commune", "Cấp xã", 3)]


def load() -> list[tuple[str, str, str]]:
    """Create or update the demo data; return the demo logins as (username, password, role)."""
    levels = {}
    for code, name, rank in LEVELS:
        levels[code], _ = AdminLevel.objects.update_or_create(
            code=code, defaults={"name": name, "rank": rank}
        )
    province, _ = AdminUnit.objects.update_or_create(
        code="27",
        defaults={"name": "Tỉnh Bắc Ninh", "kind": AdminUnit.Kind.PROVINCE, "level": levels["province"]},
    )
    AdminUnit.objects.update_or_create(
        code="263",
        defaults={
            "name": "Huyện Gia Bình",
            "kind": AdminUnit.Kind.DISTRICT,
            "level": levels["district"],
            "parent": province,
        },
    )
    admin = get_user_model().objects.filter(username="admin").first()
    if admin is None:
        get_user_model().objects.create_superuser(
            "admin", "admin@example.vn", DEMO_PASSWORD, full_name="Quản trị hệ thống (demo)"
        )
    return [("admin", DEMO_PASSWORD, "Quản trị hệ thống")]
