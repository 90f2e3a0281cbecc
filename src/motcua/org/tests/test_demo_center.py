import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from motcua.audit.models import AuditEntry
from motcua.backoffice import demo_two_tier
from motcua.org import demo
from motcua.org.models import AdminUnit, Agency, Center, Counter, Role, StaffAssignment
from motcua.org.permissions import can_act_on_agency, has_role

pytestmark = pytest.mark.django_db


def test_demo_center_has_the_real_places_and_the_agreed_agencies():
    demo.load()

    assert AdminUnit.objects.get(code="27").name == "Tỉnh Bắc Ninh"
    district = AdminUnit.objects.get(code="263")
    assert district.parent.code == "27"
    communes = district.children.order_by("code")
    assert communes.count() == 14
    assert communes.first().name == "Thị trấn Gia Bình" and communes.first().kind == "township"
    assert communes.get(code="09481").name == "Xã Nhân Thắng"
    assert Agency.objects.get(short_name="TP").identity_code == "000.01.99.H06"
    assert Agency.objects.get(short_name="UBND-09454").name == "Ủy ban nhân dân thị trấn Gia Bình"
    assert Agency.objects.get(short_name="UBND-09493").identity_code == "000.53.99.H06"
    assert Agency.objects.count() == 28
    assert not Agency.objects.filter(identity_code_is_demo=False).exists()
    justice = Agency.objects.get(short_name="TP")
    justice.full_clean()  # the fake account passes the same checks as a real one
    assert justice.collection_account_is_demo and justice.collection_bank_code == demo.DEMO_BANK_CODE
    assert justice.collection_account_name.startswith("TÀI KHOẢN MẪU, KHÔNG CÓ THẬT")
    assert not Agency.objects.filter(
        collection_account_number__gt="", collection_account_is_demo=False
    ).exists()
    center = Center.objects.get()
    assert center.agency.short_name == "TTHCC"
    assert sorted(center.agencies.values_list("short_name", flat=True)) == sorted(
        ["TP", "TCKH", "GDDT", "KTHT", "TNMT", "LDTBXH", "VHTT", "NV", "NNPTNT", "YT", "VPDKDD", "CCT"]
    )
    assert Counter.objects.filter(center=center, is_demo=True).count() == 5
    served = set(Counter.objects.filter(center=center).values_list("agencies__short_name", flat=True))
    assert served == set(center.agencies.values_list("short_name", flat=True))


def test_loading_twice_changes_nothing_and_writes_no_new_audit_rows():
    demo.load()
    counts = (Agency.objects.count(), AdminUnit.objects.count(), StaffAssignment.objects.count())
    rows = AuditEntry.objects.count()
    demo.load()
    assert (Agency.objects.count(), AdminUnit.objects.count(), StaffAssignment.objects.count()) == counts
    assert AuditEntry.objects.count() == rows


def test_every_printed_demo_login_works_and_holds_its_role_before_the_two_tier_government(client, capsys):
    # Loaded before 01/07/2025: the district center with its agencies, no new communes yet.
    with time_machine.travel(
        datetime.datetime(2025, 6, 2, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), tick=False
    ):
        call_command("load_demo")
    assert "tiepnhan.giabinh" not in capsys.readouterr().out
    with time_machine.travel(
        datetime.datetime(2025, 6, 2, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), tick=False
    ):
        call_command("load_demo")
    printed = capsys.readouterr().out
    for username, *_rest in demo.DEMO_USERS:
        assert username in printed
        response = client.post(reverse("login"), {"username": username, "password": demo.DEMO_PASSWORD})
        assert response.status_code == 302, username
        client.logout()
    from motcua.accounts.models import User

    tp, tnmt = Agency.objects.get(short_name="TP"), Agency.objects.get(short_name="TNMT")
    commune = Agency.objects.get(short_name="UBND-09490")
    assert has_role(User.objects.get(username="tiepnhan"), Role.RECEPTION_OFFICER, agency=tnmt)
    assert can_act_on_agency(User.objects.get(username="chuyenvien.tp"), tp)
    assert not can_act_on_agency(User.objects.get(username="chuyenvien.tp"), tnmt)
    assert has_role(User.objects.get(username="lanhdao.tp"), Role.LEADER, agency=tp)
    assert can_act_on_agency(User.objects.get(username="giamdoc"), commune)
    assert has_role(User.objects.get(username="vanthu"), Role.CLERK, agency=tp)
    assert User.objects.get(username="admin").is_superuser


def test_in_2026_the_printed_logins_include_the_commune_staff_and_the_district_staff_moved_to_the_seat(
    client, capsys
):
    with time_machine.travel(
        datetime.datetime(2026, 2, 10, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), tick=False
    ):
        call_command("load_demo")
        printed = capsys.readouterr().out
        from motcua.accounts.models import User

        for username in ("tiepnhan.nhanthang", "chuyenvien.nhanthang", "lanhdao.caoduc", "tiepnhan", "admin"):
            assert username in printed
            response = client.post(reverse("login"), {"username": username, "password": demo.DEMO_PASSWORD})
            assert response.status_code == 302, username
            client.logout()
        seat = Agency.objects.get(identity_code="000.70.99.H06")
        nhan_thang = Agency.objects.get(identity_code="000.71.99.H06")
        assert has_role(
            User.objects.get(username="tiepnhan.nhanthang"), Role.RECEPTION_OFFICER, agency=nhan_thang
        )
        assert not has_role(
            User.objects.get(username="tiepnhan.nhanthang"), Role.RECEPTION_OFFICER, agency=seat
        )
        assert can_act_on_agency(User.objects.get(username="chuyenvien.nhanthang"), nhan_thang)
        assert not can_act_on_agency(User.objects.get(username="chuyenvien.nhanthang"), seat)
        # The district's Justice office and center ended on 30/06/2025; their staff work for xã Gia Bình.
        assert has_role(User.objects.get(username="chuyenvien.tp"), Role.SPECIALIST, agency=seat)
        assert not can_act_on_agency(
            User.objects.get(username="chuyenvien.tp"), Agency.objects.get(short_name="TP")
        )
        assert has_role(User.objects.get(username="tiepnhan"), Role.RECEPTION_OFFICER, agency=seat)


def test_demo_rows_are_audited_with_the_demo_reason():
    call_command("load_demo")
    # Created by the 2022 demo; then ended on 30/06/2025 by the demo's reorganisation, under its legal basis.
    rows = AuditEntry.objects.filter(content_type__model="agency", object_repr="Phòng Tư pháp")
    created = rows.get(action="create")
    assert created.reason == "Nạp dữ liệu mẫu" and created.actor is None
    ended = rows.get(action="update")
    assert ended.reason == demo_two_tier.BASIS and ended.actor is None
