"""Citizen login with the National Public Service Portal account (DVCQG / VNeID, NATIONAL-PORTAL.md §8).

A plugin of the citizens' login-provider registry: the same authorization-code flow (state, PKCE) as the generic
OpenID Connect provider, with what the portal's identity server expects and returns: ``scope=openid``,
``acr_values=LoA1``, and the claims ``SoDinhDanh`` (12-digit personal identity number, which links the citizen
account), ``HoVaTen``, ``SoDienThoai``, ``ThuDienTu`` and ``LoaiTaiKhoan`` (1 = citizen; business and
organisation accounts cannot log in as citizens). Claims are read server-side from the userinfo endpoint with the
access token obtained by the code exchange, never from the browser, once the ID token has been validated against the
portal's published keys (``jwks_path``), issuer (``server_url`` unless ``issuer`` says otherwise), our client id
and this login's nonce (`motcua.citizens.login_providers.validate_id_token`).

    MOTCUA_LOGIN_PROVIDERS = {"dvcqg": {"plugin": "national_portal", "server_url": "https://xacthuc.dichvucong.gov.vn",
                                        "client_id": "...", "client_secret": "..."}}
"""

import urllib.parse

from django.utils.translation import gettext_lazy as _

from motcua.citizens.login_providers import ServerRelativeOpenIdConnect, login_providers, national_identity
from motcua.integrations.registry import Setting


@login_providers.register("national_portal")
class NationalPortalLogin(ServerRelativeOpenIdConnect):
    verbose_name = _("Tài khoản Cổng Dịch vụ công quốc gia (DVCQG, VNeID)")
    config_schema = {
        "label": Setting(required=False, default=_("Đăng nhập bằng tài khoản Cổng Dịch vụ công quốc gia")),
        **ServerRelativeOpenIdConnect.ENDPOINT_SETTINGS,
        "client_id": Setting(),
        "client_secret": Setting(kind="secret"),
        "scope": Setting(default="openid"),
        "acr_values": Setting(default="LoA1"),
        "timeout": Setting(kind="float", default=10.0, min_value=1),
    }

    def authorization_url(self, *, redirect_uri, state, nonce, code_challenge):
        url = super().authorization_url(
            redirect_uri=redirect_uri, state=state, nonce=nonce, code_challenge=code_challenge
        )
        return url + "&" + urllib.parse.urlencode({"acr_values": self.config["acr_values"]})

    def identity_from_claims(self, claims: dict) -> dict:
        return national_identity(claims)
