from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "motcua.dossiers"
    verbose_name = _("Hồ sơ")

    def ready(self):
        from django.core import checks

        from motcua import menu, public_url
        from motcua.org.models import AdminUnit, Role
        from motcua.refcache import clear_on_change

        from .models import RegimePeriod

        clear_on_change(RegimePeriod, AdminUnit)

        from motcua.org.reorganisation import register_agency_mover
        from motcua.org.splits import register_split_mover

        from .reorganisation import move_dossiers, split_dossiers

        register_agency_mover(move_dossiers, order=10)
        register_split_mover(split_dossiers, order=10)

        from .queries import BOXES, MENU_ROLES, count_for

        # The codes and lookup links printed on slips need the public address (see motcua.public_url).
        checks.register(public_url.check_public_url, public_url.CHECK_TAG)

        menu.register(
            key="dossiers.intake",
            label=_("Tiếp nhận hồ sơ"),
            url_name="dossiers:intake",
            roles=(Role.RECEPTION_OFFICER,),
            group=_("Tiếp nhận hồ sơ"),
            order=10,
            description=_("Chọn thủ tục, nhập chủ hồ sơ, kiểm tra thành phần, in giấy tiếp nhận."),
        )
        menu.register(
            key="dossiers.batch_print",
            label=_("In hàng loạt"),
            url_name="dossiers:batch_print",
            roles=(Role.RECEPTION_OFFICER,),
            group=_("Tiếp nhận hồ sơ"),
            order=11,
            description=_("In giấy tiếp nhận của mọi hồ sơ nhận tại quầy trong ngày; in sổ theo dõi hồ sơ."),
        )
        for order, (box, (label, group)) in enumerate(BOXES.items(), start=20):
            menu.register(
                key=f"dossiers.inbox.{box}",
                label=label,
                url_name="dossiers:inbox",
                query=f"box={box}",
                roles=MENU_ROLES[box],
                group=group,
                order=order,
                count=count_for(box) if box in ("mine", "supplement", "result_ready", "overdue") else None,
            )
