from django.utils.translation import gettext_lazy as _


def register_menu() -> None:
    from motcua import menu

    menu.register(
        key="privacy.access_log",
        label=_("Nhật ký xem dữ liệu cá nhân"),
        url_name="privacy:access_list",
        roles=("supervisor", "administrator"),
        group=_("Quản trị"),
        order=95,
        description=_("Ai đã xem thông tin cá nhân của người nộp hồ sơ nào, khi nào, bằng cách nào"),
    )
