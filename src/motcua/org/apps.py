from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "motcua.org"
    verbose_name = _("Tổ chức")

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from motcua.refcache import clear_on_change

        from . import models, permissions

        # Agency and AdminUnit are watched by the catalog and the dossiers; the Center's agencies through them.
        clear_on_change(models.StaffAssignment, models.Center, models.Center.agencies.through)

        for model in (models.StaffAssignment, models.Agency, models.AdminUnit, models.Center):
            post_save.connect(
                permissions.invalidate_scopes, sender=model, dispatch_uid=f"scope-save-{model.__name__}"
            )
            post_delete.connect(
                permissions.invalidate_scopes, sender=model, dispatch_uid=f"scope-delete-{model.__name__}"
            )
        m2m_changed.connect(
            permissions.invalidate_scopes,
            sender=models.Center.agencies.through,
            dispatch_uid="scope-center-agencies",
        )
