from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiTokensConfig(AppConfig):
    name = "motcua.apitokens"
    verbose_name = _("Mã truy cập API")

    def ready(self):
        from django.contrib.auth import get_user_model

        from motcua.refcache import clear_on_change

        from .models import ApiToken

        clear_on_change(ApiToken, get_user_model())
