"""Citizen login through the National Public Service Portal's identity server (OAuth2 authorization code, §8).

The browser is sent to ``{sso_url}{authorize_path}`` with ``scope=openid`` and ``acr_values=LoA1`` and a random
``state`` kept in the session. On return, the code is exchanged server-side for an access token (with the client
secret) and the claims are read from the userinfo endpoint with that token: identity claims are trusted only from
that exchange, never from anything the browser sends. The citizen account is found (or created, password-less) by
the 12-digit personal identity number ``SoDinhDanh``.

Settings from the environment: NATIONAL_PORTAL_SSO_URL (empty: the login is off), NATIONAL_PORTAL_SSO_CLIENT_ID,
NATIONAL_PORTAL_SSO_CLIENT_SECRET, and optionally NATIONAL_PORTAL_SSO_AUTHORIZE_PATH (/oauth2/authorize),
NATIONAL_PORTAL_SSO_TOKEN_PATH (/oauth2/token), NATIONAL_PORTAL_SSO_USERINFO_PATH (/oauth2/userinfo).
"""

import json
import re
import secrets
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.dossiers.applicants import find_or_create_applicant

from .models import PortalAccount

SESSION_KEY = "national_portal_sso"


class LoginFailed(Exception):
    """The portal login could not be completed; the message is for the citizen (Vietnamese)."""


def config() -> dict:
    raw = getattr(settings, "NATIONAL_PORTAL_SSO", None) or {}
    return {
        "url": (raw.get("url") or "").rstrip("/"),
        "client_id": raw.get("client_id") or "",
        "client_secret": raw.get("client_secret") or "",
        "authorize_path": raw.get("authorize_path") or "/oauth2/authorize",
        "token_path": raw.get("token_path") or "/oauth2/token",
        "userinfo_path": raw.get("userinfo_path") or "/oauth2/userinfo",
    }


def is_enabled() -> bool:
    c = config()
    return bool(c["url"] and c["client_id"] and c["client_secret"])


def authorize_url(session, redirect_uri: str, next_url: str = "") -> str:
    """Where to send the browser; remembers a fresh `state` (and where to go afterwards) in the session."""
    c = config()
    state = secrets.token_urlsafe(24)
    session[SESSION_KEY] = {"state": state, "next": next_url, "redirect_uri": redirect_uri}
    query = urllib.parse.urlencode(
        {
            "response_type": "code",
            "client_id": c["client_id"],
            "redirect_uri": redirect_uri,
            "scope": "openid",
            "acr_values": "LoA1",
            "state": state,
        }
    )
    return f"{c['url']}{c['authorize_path']}?{query}"


def _post_form(url: str, data: dict, token: str = "") -> dict:
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(
        url, data=urllib.parse.urlencode(data).encode(), headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310
            body = json.loads(response.read().decode("utf-8"))
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise LoginFailed(_("Không kết nối được tới máy chủ xác thực của Cổng DVCQG.")) from error
    if not isinstance(body, dict):
        raise LoginFailed(_("Máy chủ xác thực trả lời không đúng định dạng."))
    return body


def claims_for(session, state: str, code: str) -> dict:
    """Check `state`, exchange `code` and read the userinfo claims; the session's state is used once."""
    c = config()
    remembered = session.pop(SESSION_KEY, None) or {}
    if not state or not remembered.get("state") or not secrets.compare_digest(state, remembered["state"]):
        raise LoginFailed(_("Phiên đăng nhập không hợp lệ hoặc đã hết hạn. Vui lòng đăng nhập lại."))
    if not code:
        raise LoginFailed(_("Đăng nhập bằng tài khoản Cổng DVCQG đã bị hủy."))
    tokens = _post_form(
        c["url"] + c["token_path"],
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": remembered.get("redirect_uri", ""),
            "client_id": c["client_id"],
            "client_secret": c["client_secret"],
        },
    )
    access_token = tokens.get("access_token")
    if not access_token:
        raise LoginFailed(_("Máy chủ xác thực không cấp mã truy cập."))
    claims = _post_form(c["url"] + c["userinfo_path"], {}, token=str(access_token))
    return claims | {"_next": remembered.get("next", "")}


@transaction.atomic
def link_citizen(claims: dict):
    """The citizen user for these verified claims: the linked account, the account with the same identity
    number, or a new password-less citizen account."""
    from motcua.citizens.models import CitizenProfile

    number = str(claims.get("SoDinhDanh") or "").strip()
    tech_id = str(claims.get("TechID") or claims.get("sub") or "").strip()
    if str(claims.get("LoaiTaiKhoan", "1")) != "1":
        raise LoginFailed(_("Chỉ tài khoản công dân đăng nhập được tại đây."))
    if not re.fullmatch(r"\d{12}", number) or not tech_id:
        raise LoginFailed(_("Tài khoản Cổng DVCQG chưa có số định danh cá nhân 12 số."))
    assurance = str(claims.get("IAL") or claims.get("loAs") or "")
    linked = PortalAccount.objects.select_related("user").filter(tech_id=tech_id).first()
    if linked is not None:
        if linked.identity_number != number:
            raise LoginFailed(_("Tài khoản Cổng DVCQG không khớp với số định danh đã liên kết."))
        user = linked.user
    else:
        profile = (
            CitizenProfile.objects.select_related("user")
            .filter(applicant__id_type="cccd", applicant__id_number=number)
            .first()
        )
        if profile is None:
            try:
                applicant = find_or_create_applicant(
                    applicant_type="citizen",
                    name=str(claims.get("HoVaTen") or ""),
                    id_type="cccd",
                    id_number=number,
                    phone=str(claims.get("SoDienThoai") or ""),
                    email=str(claims.get("ThuDienTu") or ""),
                    address=str(claims.get("DiaChi") or claims.get("NoiOHienNay") or ""),
                )
            except ValidationError as error:
                raise LoginFailed(
                    _("Thông tin tài khoản Cổng DVCQG chưa hợp lệ: %(m)s") % {"m": "; ".join(error.messages)}
                ) from error
            User = get_user_model()
            if User.objects.filter(username=number).exists():
                raise LoginFailed(
                    _("Số định danh này đã có tài khoản khác; vui lòng liên hệ Bộ phận Một cửa.")
                )
            user = User(
                username=number, full_name=applicant.name, phone=applicant.phone, email=applicant.email
            )
            user.set_unusable_password()
            user.save()
            profile = CitizenProfile.objects.create(
                user=user, applicant=applicant, has_national_portal_account=True
            )
        elif not profile.has_national_portal_account:
            profile.has_national_portal_account = True
            profile.save(update_fields=["has_national_portal_account"])
        user = profile.user
        if PortalAccount.objects.filter(user=user).exists():
            raise LoginFailed(_("Tài khoản này đã liên kết với một tài khoản Cổng DVCQG khác."))
        linked = PortalAccount.objects.create(user=user, tech_id=tech_id, identity_number=number)
    linked.assurance = assurance
    linked.last_login_at = timezone.now()
    linked.save(update_fields=["assurance", "last_login_at"])
    return user
