"""A province administrator pastes a plan splitting commune B into two communes in the admin, reads the preview
(what moves where, counts per kind), and only on confirm is the split applied, recorded and shown."""

import json

from django.utils import timezone
from playwright.sync_api import expect

from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import ApplicantFactory
from motcua.dossiers.tests.two_tier import TwoTierProvince
from motcua.org.models import AdminLevel, AdminUnit, Reorganisation

PASSWORD = "mat-khau-an-toan-1"
EAST, WEST = "000.77.11.H27", "000.77.12.H27"


def test_an_administrator_previews_a_split_then_confirms_it(page, transactional_db):
    land = TwoTierProvince()
    land.superuser.set_password(PASSWORD)
    land.superuser.save()
    commune = AdminLevel.objects.get(code="commune")
    AdminUnit.objects.create(
        code="T0103", name="Xã Bình Đông", kind=AdminUnit.Kind.COMMUNE, level=commune, parent=land.province
    )
    east_dossier = services.intake(
        procedure=land.procedure,
        applicant=ApplicantFactory(address="Thôn Đông, xã Bình Đông, tỉnh Mẫu"),
        actor=land.staff_b.officer,
    )
    other_dossier = services.intake(
        procedure=land.procedure, applicant=ApplicantFactory(address=""), actor=land.staff_b.officer
    )
    plan = {
        "effective": timezone.localdate().isoformat(),
        "basis": "Nghị quyết 9997/NQ-UBTVQH15 (thử nghiệm)",
        "splits": [
            {
                "from": land.b.identity_code,
                "into": [
                    {
                        "code": EAST,
                        "name": "Ủy ban nhân dân xã Bình Đông",
                        "level": "commune",
                        "unit": "T0103",
                    },
                    {"code": WEST, "name": "Ủy ban nhân dân xã Bình Tây", "level": "commune"},
                ],
                "default": WEST,
            }
        ],
    }

    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(land.superuser.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto("/admin/org/reorganisation/add/")
    page.get_by_label("Kế hoạch (JSON)").fill(json.dumps(plan, ensure_ascii=False))
    page.get_by_role("button", name="Xem trước", exact=True).click()

    preview = page.locator("#reorganisation-preview")
    expect(preview).to_contain_text("THỬ (không thay đổi dữ liệu)")
    expect(preview).to_contain_text(f"{east_dossier.code} → {EAST}")
    expect(preview).to_contain_text(f"{other_dossier.code} → {WEST}")
    expect(preview).to_contain_text("hồ sơ đang giải quyết: 1")
    assert Dossier.objects.get(pk=east_dossier.pk).agency == land.b  # nothing moved yet
    assert not Reorganisation.objects.exists()

    page.get_by_role("button", name="Xác nhận thực hiện").click()
    expect(page.locator(".messagelist")).to_contain_text("Đã thực hiện sắp xếp tổ chức")
    expect(page.locator("body")).to_contain_text("ĐÃ THỰC HIỆN")
    assert Dossier.objects.get(pk=east_dossier.pk).agency.identity_code == EAST
    assert Dossier.objects.get(pk=other_dossier.pk).agency.identity_code == WEST
    assert Reorganisation.objects.get().applied_by == land.superuser
