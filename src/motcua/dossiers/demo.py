"""Demo dossiers at the Gia Bình center, in the states each role should see on its home page.

Called by `motcua load_demo` after the org and catalog demos. Idempotent: nothing is added once demo dossiers
exist. The applicants are invented (names marked "(demo)", ID numbers in an obviously fake 027199000xxx range, apart from the test factories' numbers).
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from motcua.catalog.models import Procedure
from motcua.org.models import Agency
from motcua.workdays import core

from . import services
from .applicants import find_or_create_applicant
from .models import Dossier

DEMO_MARK = "(demo)"
PEOPLE = [
    ("Nguyễn Văn An", "027199000001", "0912000001", "Thôn Đông Côi, thị trấn Gia Bình"),
    ("Trần Thị Bình", "027199000002", "0912000002", "Thôn Bình Than, xã Cao Đức"),
    ("Lê Văn Cường", "027199000003", "0912000003", "Thôn Đại Bái, xã Đại Bái"),
    ("Phạm Thị Dung", "027199000004", "0912000004", "Thôn Ngăm Lương, xã Lãng Ngâm"),
    ("Hoàng Văn Em", "027199000005", "0912000005", "Thôn Xuân Lai, xã Xuân Lai"),
    ("Vũ Thị Phương", "027199000006", "0912000006", "Thôn Hữu Ái, xã Song Giang"),
    ("Đặng Văn Giang", "027199000007", "0912000007", "Thôn Thiên Đức, xã Vạn Ninh"),
    ("Bùi Thị Hạnh", "027199000008", "0912000008", "Thôn Phú Dư, xã Cao Đức"),
    ("Đỗ Văn Hùng", "027199000009", "0912000009", "Thôn Đông Bình, xã Đông Cứu"),
    ("Ngô Thị Khánh", "027199000010", "0912000010", "Thôn Quỳnh Bội, xã Quỳnh Phú"),
    ("Dương Văn Lâm", "027199000011", "0912000011", "Thôn Tiêu Xá, xã Bình Dương"),
]


def _applicant(index: int):
    name, id_number, phone, address = PEOPLE[index % len(PEOPLE)]
    return find_or_create_applicant(
        applicant_type="citizen",
        name=f"{name} {DEMO_MARK}",
        id_type="cccd",
        id_number=id_number,
        phone=phone,
        address=f"{address}, huyện Gia Bình, tỉnh Bắc Ninh",
    )


# Who walks the demo dossiers: (reception officer, specialist, leader, clerk), and the resolving agency's short
# name. `motcua.backoffice.demo_two_tier` walks them at xã Gia Bình with its own staff when the demo is loaded after
# 01/07/2025 (`load(staff=..., resolving=...)`).
DISTRICT_STAFF = ("tiepnhan", "chuyenvien.tp", "lanhdao.tp", "vanthu")


def load(staff: tuple[str, str, str, str] = DISTRICT_STAFF, resolving: Agency | None = None) -> list:
    """Create the demo dossiers (no new logins)."""
    if Dossier.objects.filter(applicant__id_number__in=[p[1] for p in PEOPLE]).exists():
        return []
    users = {u.username: u for u in get_user_model().objects.filter(username__in=[*staff, "admin"])}
    justice = resolving or Agency.objects.filter(short_name="TP").first()
    if justice is None or len(users) < 5:
        return []
    procedures = list(
        Procedure.objects.filter(
            resolving_agency=justice, status=Procedure.Status.PUBLISHED, process_templates__isnull=False
        )
        .exclude(time_limit_unit="same_day")
        .distinct()
        .order_by("code")[:4]
    )
    if not procedures:
        return []
    officer, specialist, leader, clerk = (users[n] for n in staff)
    admin = users["admin"]

    def receive(i, **kwargs):
        return services.intake(
            procedure=procedures[i % len(procedures)],
            applicant=_applicant(i),
            actor=kwargs.pop("actor", officer),
            documents=[
                {"name": d.name, "original_count": d.original_count, "copy_count": d.copy_count}
                for d in procedures[i % len(procedures)].documents.all()
            ],
            **kwargs,
        )

    walk = [officer, specialist, leader, clerk]

    def advance(dossier, steps):
        for actor in walk[:steps]:
            dossier = services.advance(dossier, actor, note="Đủ điều kiện, chuyển bước tiếp theo")
        return dossier

    receive(0)  # waiting for transfer at the counter
    advance(receive(1), 1)  # with the specialist
    advance(receive(2), 2)  # with the leader
    advance(receive(3), 3)  # with the clerk
    advance(receive(4), 4)  # result ready at the counter
    services.return_result(advance(receive(5), 4), officer, note="Công dân đã nhận kết quả")
    services.request_supplement(
        receive(6),
        officer,
        ["Bản sao Giấy chứng nhận kết hôn của cha, mẹ"],
        "Thiếu giấy tờ chứng minh quan hệ",
    )
    # With the specialist, due within the next working hours (near due or due today), and one working day past
    # its legal due instant (overdue), whatever the hour, weekday or holiday `load_demo` runs at.
    for i, due_in in ((11, datetime.timedelta(hours=3)), (7, -datetime.timedelta(hours=core.HOURS_PER_DAY))):
        procedure = procedures[i % len(procedures)]
        dossier = services.intake(
            procedure=procedure,
            applicant=_applicant(i),
            actor=admin,
            agency=officer_agency(officer),
            received_at=_received_for_due(procedure, due_in),
        )
        advance(dossier, 1)
    services.refuse_at_intake(
        procedure=procedures[0],
        applicant=_applicant(8),
        actor=officer,
        reason=f"Yêu cầu không thuộc thẩm quyền giải quyết của {justice.name}",
    )
    services.withdraw(receive(9), officer, "Công dân xin rút hồ sơ để bổ sung thêm giấy tờ")
    spot = (
        Procedure.objects.filter(
            resolving_agency=justice, on_the_spot=True, process_templates__variant="on_the_spot"
        )
        .distinct()
        .first()
    )
    if spot is not None:
        dossier = services.intake(procedure=spot, applicant=_applicant(10), actor=officer, on_the_spot=True)
        for actor in (specialist, leader, clerk):
            dossier = services.advance(dossier, actor, note="Giải quyết tại chỗ")
        services.return_result(dossier, officer)
    return []


def _received_for_due(procedure, due_in: datetime.timedelta) -> datetime.datetime:
    """The receipt instant that puts the procedure's legal due instant `due_in` of working time from now
    (negative: already overdue by that much)."""
    cal, now = services.calendar(), timezone.now()
    span = cal.working_time_between(now, services.legal_due(procedure, "counter", now, cal))
    return cal.subtract_working_time(now, span - due_in)


def officer_agency(officer):
    from motcua.org.models import StaffAssignment

    assignment = StaffAssignment.objects.active().filter(user=officer, role="reception_officer").first()
    return assignment.agency if assignment else None
