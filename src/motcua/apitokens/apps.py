from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiTokensConfig(AppConfig):
    name = "motcua.apitokens"
    verbose_name = _("Mã truy cập API")
