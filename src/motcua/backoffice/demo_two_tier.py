"""The demo continues after 2022: on 01/07/2025 the 14 communes of Gia Bình become 5 communes of the new Bắc
Ninh, each with a public administration service point, and the district's open work moves to them through the
same reorganisation code as `motcua reorganise` (`motcua load_demo_two_tier`, after `motcua load_demo`).

Run on top of the 2022 demo (`motcua load_demo`); idempotent (nothing happens once the plan was applied). What
is invented is marked as demo: the new communes' unit codes ("GB25-…") and agency identity codes, the people
("(demo)"), and the mapping of the 14 old units to the 5 new ones (GIA-BINH reference §1, seen in public code
files, not checked against Resolution 1658/NQ-UBTVQH15). The district's Phòng Tư pháp and its center are merged
into the commune of the former district seat (xã Gia Bình) for the demo; the district's other offices are left
as they were.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from motcua.org.demo import DEMO_PASSWORD
from motcua.org.models import AdminUnit, Agency, Center, Counter, Role, StaffAssignment
from motcua.org.reorganisation import reorganise

from . import demo_history_2025

EFFECTIVE = datetime.date(2025, 7, 1)
BASIS = "Nghị quyết 1658/NQ-UBTVQH15 (dữ liệu mẫu: sắp xếp đơn vị hành chính cấp xã tỉnh Bắc Ninh)"
BIRTH_REGISTRATION = "1.001193"

# (slug, new unit code [demo], agency identity code [demo], name, old unit codes; the district's TP and center
# go to the commune of the former district seat)
NEW_COMMUNES = [
    ("giabinh", "GB25-01", "000.70.99.H06", "Xã Gia Bình", ["09454", "09484", "09493", "09490"]),
    ("nhanthang", "GB25-02", "000.71.99.H06", "Xã Nhân Thắng", ["09481", "09460", "09475"]),
    ("dailai", "GB25-03", "000.72.99.H06", "Xã Đại Lai", ["09472", "09469"]),
    ("caoduc", "GB25-04", "000.73.99.H06", "Xã Cao Đức", ["09457", "09466"]),
    ("dongcuu", "GB25-05", "000.74.99.H06", "Xã Đông Cứu", ["09463", "09478", "09487"]),
]
DISTRICT_INTO_SEAT = ["TP", "TTHCC"]  # short names of district agencies merged into xã Gia Bình
SUPERVISOR = "giamsat.tinh"  # a province-wide supervisor (demo): Biểu 06 over the 5 communes
# (username suffix, role, description)
STAFF = [
    ("tiepnhan", Role.RECEPTION_OFFICER, "Nguyễn Thị Tiếp Nhận"),
    ("chuyenvien", Role.SPECIALIST, "Trần Văn Chuyên Viên"),
    ("lanhdao", Role.LEADER, "Lê Văn Lãnh Đạo"),
    ("thuphi", Role.RECEPTION_OFFICER, "Phạm Thị Thu Phí"),  # the commune's fee collector (receipts)
    ("vanthu", Role.CLERK, "Hoàng Thị Văn Thư"),
]


def plan() -> dict:
    """The reorganisation plan of 01/07/2025 for former Gia Bình (API.md format, with `units`)."""
    units = {
        u.code: u for u in AdminUnit.objects.filter(code__in=[c for row in NEW_COMMUNES for c in row[4]])
    }
    commune_agencies = {
        a.unit.code: a for a in Agency.objects.filter(unit__code__in=units).select_related("unit")
    }
    district = {a.short_name: a for a in Agency.objects.filter(short_name__in=DISTRICT_INTO_SEAT)}
    merges, unit_merges = [], []
    for n, (_slug, unit_code, identity, name, old_units) in enumerate(NEW_COMMUNES):
        unit_merges.append(
            {"into": unit_code, "name": name, "kind": "commune", "parent": "27", "from": old_units}
        )
        sources = [commune_agencies[c].identity_code for c in old_units if c in commune_agencies]
        if n == 0:
            sources += [district[s].identity_code for s in DISTRICT_INTO_SEAT if s in district]
        merges.append(
            {
                "into": identity,
                "name": "Ủy ban nhân dân " + name[0].lower() + name[1:],
                "level": "commune",
                "unit": unit_code,
                "from": sources,
            }
        )
    return {"effective": EFFECTIVE.isoformat(), "basis": BASIS, "units": unit_merges, "merges": merges}


def already_applied() -> bool:
    return Agency.objects.filter(identity_code=NEW_COMMUNES[0][2]).exists()


@transaction.atomic
def load(receive_today: bool = True) -> list[tuple[str, str, str]]:
    """Apply the plan, give each new commune a service point, staff and birth registration, and receive a few
    2026 dossiers there; return the new logins."""
    from motcua.catalog.models import Procedure, ProcedureImplementation
    from motcua.catalog.processes import set_agency_process

    if already_applied() or not AdminUnit.objects.filter(code="09454").exists():
        return []
    admin = get_user_model().objects.filter(username="admin").first()
    history = demo_history_2025.district_first_half(admin)
    report = reorganise(plan())
    communes = {row[0]: Agency.objects.get(identity_code=row[2]) for row in NEW_COMMUNES}
    birth = Procedure.objects.filter(code=BIRTH_REGISTRATION).first()
    User = get_user_model()
    logins = []
    for slug, agency in communes.items():
        agency.identity_code_is_demo = True
        agency.save(update_fields=["identity_code_is_demo"])
        center = Center.objects.filter(agency=agency).first()
        if center is None:
            center = Center.objects.create(
                name=f"Trung tâm Phục vụ hành chính công {agency.unit.name[0].lower() + agency.unit.name[1:]} (demo)",
                unit=agency.unit,
                agency=agency,
            )
        else:  # xã Gia Bình took over the district center
            center.name = f"Trung tâm Phục vụ hành chính công {agency.unit.name[0].lower() + agency.unit.name[1:]} (demo)"
            center.unit = agency.unit
            center.save(update_fields=["name", "unit"])
        if not center.counters.filter(agencies=agency).exists():
            number = max(center.counters.values_list("number", flat=True), default=0) + 1
            counter = Counter.objects.create(
                center=center, number=number, name="Quầy tiếp nhận và trả kết quả cấp xã", is_demo=True
            )
            counter.agencies.add(agency)
        for suffix, role, full_name in STAFF:
            username = f"{suffix}.{slug}"
            user = User.objects.filter(username=username).first() or User(
                username=username, email=f"{username}@example.vn"
            )
            user.full_name = f"{full_name} – {agency.unit.name} (demo)"
            user.is_active = True
            user.set_password(DEMO_PASSWORD)
            user.save()
            StaffAssignment.objects.update_or_create(
                user=user, role=role, agency=agency, defaults={"valid_from": EFFECTIVE, "valid_to": None}
            )
            logins.append((username, DEMO_PASSWORD, f"{role.label} — {agency.name}"))
        if birth is not None:
            if not ProcedureImplementation.objects.filter(procedure=birth, agency=agency).exists():
                ProcedureImplementation.objects.create(
                    procedure=birth, agency=agency, level="commune", valid_from=EFFECTIVE, decision="(demo)"
                )
            set_agency_process(birth, agency)
    logins.append(_provincial_supervisor(communes["giabinh"]))
    history += demo_history_2025.communes_since_july(admin, birth, communes, EFFECTIVE)
    if history:
        from motcua.reports import rollup

        rollup.roll_up()
    if birth is not None and receive_today:
        _receive_today(birth, communes)
    if receive_today and timezone.localdate() >= EFFECTIVE:
        # Today's dossiers in every state a role sees on its home page, at the commune of the former seat.
        from motcua.dossiers import demo as dossiers_demo

        dossiers_demo.load(
            staff=tuple(f"{suffix}.giabinh" for suffix in ("tiepnhan", "chuyenvien", "lanhdao", "vanthu")),
            resolving=communes["giabinh"],
        )
    moved = sum(len(m.dossiers) for m in report.merges)
    print(f"    sắp xếp 01/07/2025: {moved} hồ sơ đang giải quyết chuyển sang 5 xã mới")  # noqa: T201
    print(f"    {history} hồ sơ 2025–2026 của huyện và 5 xã mới")  # noqa: T201
    return logins


def _provincial_supervisor(home: Agency) -> tuple[str, str, str]:
    """A supervisor over the whole province (reports across the 5 communes), placed at xã Gia Bình for the demo."""
    User = get_user_model()
    user = User.objects.filter(username=SUPERVISOR).first() or User(
        username=SUPERVISOR, email=f"{SUPERVISOR}@example.vn"
    )
    user.full_name = "Đinh Thị Giám Sát – tỉnh Bắc Ninh (demo)"
    user.is_active = True
    user.set_password(DEMO_PASSWORD)
    user.save()
    province = AdminUnit.objects.get(code="27")
    StaffAssignment.objects.update_or_create(
        user=user,
        role=Role.SUPERVISOR,
        agency=home,
        defaults={"unit": province, "valid_from": EFFECTIVE, "valid_to": None},
    )
    return (SUPERVISOR, DEMO_PASSWORD, f"{Role.SUPERVISOR.label} — {province.name}")


def _receive_today(birth, communes) -> None:
    """Two birth registrations received today at xã Nhân Thắng and xã Đông Cứu (one already with the specialist)."""
    from motcua.dossiers import services
    from motcua.dossiers.applicants import find_or_create_applicant

    if timezone.localdate() < EFFECTIVE:
        return
    User = get_user_model()
    for n, slug in enumerate(("nhanthang", "dongcuu")):
        officer = User.objects.get(username=f"tiepnhan.{slug}")
        applicant = find_or_create_applicant(
            applicant_type="citizen",
            name=f"Nguyễn Văn Khai Sinh {n + 1} (demo)",
            id_type="cccd",
            id_number=f"02719900{n + 71:04d}",
            phone=f"09120001{n + 71:02d}",
            address=f"Thôn Mẫu, {communes[slug].unit.name[0].lower() + communes[slug].unit.name[1:]}, tỉnh Bắc Ninh",
        )
        dossier = services.intake(procedure=birth, applicant=applicant, actor=officer, agency=communes[slug])
        if n == 0:
            services.advance(dossier, officer, note="Chuyển công chức tư pháp – hộ tịch")
