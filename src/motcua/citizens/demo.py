"""Demo citizen account (idempotent), printed by `make run` with the staff logins."""

from motcua.org.demo import DEMO_PASSWORD

DEMO_CITIZEN = {
    "full_name": "Nguyễn Văn Dân (demo)",
    "id_type": "cccd",
    "id_number": "027199000001",
    "phone": "0912000001",
    "email": "congdan.demo@example.vn",
    "address": "Thôn Đông Bình, xã Đông Cứu, huyện Gia Bình, tỉnh Bắc Ninh",
    "has_national_portal_account": True,
}


def load() -> list[tuple[str, str, str]]:
    from .models import CitizenProfile
    from .services import register_citizen

    profile = CitizenProfile.objects.filter(user__username=DEMO_CITIZEN["id_number"]).first()
    if profile is None:
        profile = register_citizen({**DEMO_CITIZEN, "consent": True}, DEMO_PASSWORD)
    elif not profile.user.check_password(DEMO_PASSWORD):
        profile.user.set_password(DEMO_PASSWORD)
        profile.user.save(update_fields=["password"])
    return [(profile.user.username, DEMO_PASSWORD, "Công dân (đăng nhập tại /cong-dan/dang-nhap/)")]
