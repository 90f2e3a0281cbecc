"""The demo center: Bắc Ninh province, Gia Bình district and its 14 communes, the district Public
Administration Center with its agencies and counters, and one demo account per staff role.

Place names and codes follow public sources (`data/SOURCES.md`); whatever is invented is flagged as demo
data (`Agency.identity_code_is_demo`, `Counter.is_demo`, "(demo)" in the names of demo people). The district
agencies get fake fee-collection accounts (`Agency.collection_account_is_demo`, bank code 999999, holder name
"TÀI KHOẢN MẪU, KHÔNG CÓ THẬT – ...").

Extending `motcua load_demo`: any installed app may ship a module `<app>/demo.py` with a function
`load()`. The command calls them in INSTALLED_APPS order (accounts, org, audit, workdays, catalog, dossiers,
...), which is the dependency order, all in one transaction and under `audit_context(reason="Nạp dữ liệu
mẫu")`. `load()` must be idempotent (update_or_create by a stable key; agencies are looked up by
`short_name`, e.g. `Agency.objects.get(short_name="TP")`), and may return a list of
`(username, password, description)` logins to print, or None.
"""

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from .models import AdminLevel, AdminUnit, Agency, Center, Counter, Role, StaffAssignment

DATA_FILE = Path(__file__).parent / "data" / "gia_binh.json"
DEMO_PASSWORD = "motcua-demo-2022"

LEVELS = [("province", "Cấp tỉnh", 1), ("district", "Cấp huyện", 2), ("commune", "Cấp xã", 3)]

# (username, full name, role, agency short_name, unit code for a wider scope or None, superuser)
DEMO_USERS = [
    ("tiepnhan", "Nguyễn Thị Hoa (demo)", Role.RECEPTION_OFFICER, "TTHCC", None, False),
    ("chuyenvien.tp", "Trần Văn Minh (demo)", Role.SPECIALIST, "TP", None, False),
    ("lanhdao.tp", "Lê Văn Hùng (demo)", Role.LEADER, "TP", None, False),
    ("vanthu", "Phạm Thị Lan (demo)", Role.CLERK, "UBND-GB", "263", False),
    ("giamdoc", "Hoàng Văn Nam (demo)", Role.SUPERVISOR, "TTHCC", "263", False),
    ("admin", "Vũ Thị Quản Trị (demo)", Role.ADMINISTRATOR, "UBND-GB", "27", True),
]


# Not a bank identification number of NAPAS: the demo's accounts cannot be mistaken for real ones.
DEMO_BANK_CODE = "999999"


def data() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def commune_agency_name(unit_name: str) -> str:
    """'Xã Vạn Ninh' -> 'Ủy ban nhân dân xã Vạn Ninh'."""
    return "Ủy ban nhân dân " + unit_name[0].lower() + unit_name[1:]


@transaction.atomic
def load() -> list[tuple[str, str, str]]:
    """Create or update the demo center; return the demo logins as (username, password, role)."""
    source = data()
    levels = {}
    for code, name, rank in LEVELS:
        levels[code], _ = AdminLevel.objects.update_or_create(
            code=code, defaults={"name": name, "rank": rank}
        )

    p = source["province"]
    province, _ = AdminUnit.objects.update_or_create(
        code=p["code"],
        defaults={"name": p["name"], "kind": p["kind"], "level": levels["province"], "parent": None},
    )
    d = source["district"]
    district, _ = AdminUnit.objects.update_or_create(
        code=d["code"],
        defaults={"name": d["name"], "kind": d["kind"], "level": levels["district"], "parent": province},
    )
    communes = []
    for c in source["communes"]:
        unit, _ = AdminUnit.objects.update_or_create(
            code=c["code"],
            defaults={"name": c["name"], "kind": c["kind"], "level": levels["commune"], "parent": district},
        )
        communes.append(unit)

    agencies = {}
    for n, a in enumerate(source["agencies"], start=1):
        agencies[a["short_name"]], _ = Agency.objects.update_or_create(
            short_name=a["short_name"],
            defaults={
                "name": a["name"],
                "kind": a["kind"],
                "identity_code": a["identity_code"],
                "identity_code_is_demo": True,
                "unit": district,
                # A visibly fake fee-collection account (bank code 999999 is no NAPAS BIN), so that the bill the
                # payment platform reads shows one; replace it with the agency's real account.
                "collection_account_number": f"9999{n:09d}",
                "collection_bank_code": DEMO_BANK_CODE,
                "collection_account_name": f"TÀI KHOẢN MẪU, KHÔNG CÓ THẬT – {a['name']}"[:200],
                "collection_account_is_demo": True,
            },
        )
    province_code = source["province_identity_code"]
    for n, unit in enumerate(communes):
        short_name = f"UBND-{unit.code}"
        agencies[short_name], _ = Agency.objects.update_or_create(
            short_name=short_name,
            defaults={
                "name": commune_agency_name(unit.name),
                "kind": Agency.Kind.PEOPLES_COMMITTEE,
                "identity_code": f"000.{40 + n}.99.{province_code}",
                "identity_code_is_demo": True,
                "unit": unit,
            },
        )

    center, _ = Center.objects.update_or_create(
        agency=agencies["TTHCC"], defaults={"name": agencies["TTHCC"].name, "unit": district}
    )
    at_center = [agencies[a["short_name"]] for a in source["agencies"] if a.get("at_center")]
    if set(center.agencies.all()) != set(at_center):
        center.agencies.set(at_center)
    for c in source["counters"]:
        counter, _ = Counter.objects.update_or_create(
            center=center, number=c["number"], defaults={"name": c["name"], "is_demo": True}
        )
        wanted = {agencies[s] for s in c["agencies"]}
        if set(counter.agencies.all()) != wanted:
            counter.agencies.set(wanted)

    logins = []
    User = get_user_model()
    units = {u.code: u for u in [province, district]}
    for username, full_name, role, agency, unit_code, superuser in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, email=f"{username}@example.vn")
        user.full_name = full_name
        user.is_active = True
        user.is_staff = superuser
        user.is_superuser = superuser
        if user.pk is None or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
        user.save()
        StaffAssignment.objects.update_or_create(
            user=user,
            role=role,
            agency=agencies[agency],
            defaults={"unit": units.get(unit_code), "valid_from": None, "valid_to": None},
        )
        logins.append((username, DEMO_PASSWORD, f"{role.label} — {agencies[agency].name}"))
    return logins
