from django.utils.translation import gettext_lazy as _


def register_menu() -> None:
    """Add the fee screens to the staff menu (UX.md: group "Thu phí lệ phí")."""
    from motcua import menu

    menu.register(
        key="payments.counter",
        label=_("Chờ thu phí"),
        url_name="payments:counter",
        roles=("reception_officer",),
        group=_("Thu phí lệ phí"),
        order=50,
        description=_("Tính, thu phí, lệ phí và in biên lai điện tử"),
    )
    menu.register(
        key="payments.reports",
        label=_("Báo cáo thu phí, lệ phí"),
        url_name="payments:report",
        roles=("reception_officer", "leader", "supervisor"),
        group=_("Thu phí lệ phí"),
        order=51,
    )
    menu.register(
        key="payments.books",
        label=_("Quyển biên lai"),
        url_name="payments:books",
        roles=("reception_officer", "leader", "administrator"),
        group=_("Thu phí lệ phí"),
        order=52,
    )
