from django.utils.translation import gettext_lazy as _


def register_menu() -> None:
    """The connector's staff pages (administrators and supervisors)."""
    from motcua import menu

    menu.register(
        key="national_portal.outbox",
        label=_("Đồng bộ Cổng DVCQG"),
        url_name="national_portal:outbox",
        roles=("administrator", "supervisor"),
        group=_("Quản trị"),
        order=90,
        description=_("Hồ sơ chờ gửi, gửi lỗi và gửi lại lên Cổng Dịch vụ công quốc gia"),
    )
    menu.register(
        key="national_portal.catalog",
        label=_("Danh mục thủ tục từ Cổng DVCQG"),
        url_name="national_portal:catalog",
        roles=("administrator",),
        group=_("Quản trị"),
        order=91,
        description=_("Lấy, so sánh và áp dụng danh mục thủ tục của Cổng Dịch vụ công quốc gia"),
    )
