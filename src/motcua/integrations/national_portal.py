"""The National Public Service Portal connector (Cổng Dịch vụ công quốc gia), with its two transports.

- ``direct``: log in at ``auth_path`` with ``{username, password}`` (header ``dstcode``) to get a session, then
  POST JSON bodies carrying ``service`` (the operation), ``session`` and ``madonvi`` to ``integration_path``
  (shared catalogs to ``share_path``). The session is kept for ``session_minutes`` and renewed once when the
  portal refuses it.
- ``proxy``: POST a plain JSON list to one URL per operation (a provincial connector in front of the portal adds
  the session).

Replies have carried ``error_code`` as ``0``, ``"0"`` and ``"00"`` over the years; all three mean success.
The call raises `PortalUnreachable` when nothing can have reached the portal (connection refused), and
`PortalAmbiguous` when the request may have been processed without us knowing (timeout, HTTP 5xx, a reply we
cannot read): the caller must then look the dossier up before sending it again.
"""

import http.client
import json
import socket
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.integrations import keepalive
from motcua.integrations.registry import BasePlugin, Registry, Setting


class PortalError(Exception):
    """The portal could not be used. `reply` holds what it answered (text), if anything."""

    def __init__(self, message: str, reply: str = ""):
        super().__init__(message)
        self.message = message
        self.reply = reply


class PortalUnreachable(PortalError):
    """Nothing was delivered: the connection could not be opened."""


class PortalAmbiguous(PortalError):
    """The request may or may not have been processed (timeout, HTTP 5xx, unreadable reply)."""


@dataclass
class PortalReply:
    """A reply the portal gave: its error code (as text), message, the parsed body and the raw text."""

    error_code: str
    message: str
    body: object
    raw: str
    result: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return is_ok(self.error_code)

    @property
    def already_exists(self) -> bool:
        return self.error_code in ("3", "-3") or "đã tồn tại" in self.message.lower()


def is_ok(error_code) -> bool:
    return str(error_code).strip() in ("0", "00")


SUCCESS_WORDS = "thành công"


def parse_reply(raw: str) -> PortalReply:
    """Read a reply leniently: JSON `{error_code, message, result}`, the connector's `{message: "<json>"}`, or a
    plain-text reply (success when it says "thành công")."""
    text = raw.strip()
    try:
        body = json.loads(text) if text else None
    except ValueError:
        body = None
    if isinstance(body, dict):
        inner = body
        if "error_code" not in body and isinstance(body.get("message"), str):
            try:
                decoded = json.loads(body["message"])
            except ValueError:
                decoded = None
            if isinstance(decoded, dict):
                inner = decoded
        code = inner.get("error_code", body.get("error_code"))
        message = str(inner.get("message", body.get("message", "")) or "")
        result = inner.get("result") or []
        if code is None:
            # Some replies carry only a result list (shared catalogs, lookups): that is a success.
            code = "0" if "result" in inner else "-1"
        return PortalReply(str(code).strip(), message, body, raw, result if isinstance(result, list) else [])
    if isinstance(body, list):
        return PortalReply("0", "", body, raw, body)
    ok = SUCCESS_WORDS in text.lower()
    return PortalReply("0" if ok else "-1", text[:500], text, raw)


# Operations of the contract (NATIONAL-PORTAL.md §1.1).
INSERT = "DongBoHoSoMC:insert"
UPDATE = "DongBoHoSoMC:update"
PROGRESS = "CapNhatTienDoHoSoMC"
LOOKUP = "TraCuuHoSo"
PROCEDURE = "LayThuTuc"
PROCEDURE_LIST = "LayDanhSachTTHC"
FIELDS = "LayDanhMucLinhVuc"
AGENCIES = "LayDanhMucCoQuan"
QUESTIONS = "LayDanhSachHoiDapGuiTuDVCQG"
AGENCY_QUESTIONS = "LayDanhSachHoiDapBoCoQuan"
ANSWERS = "DongBoKetQuaHoiDapGuiTuDVCQG"
FAQ = "DongBoHoiDap"
QUESTION_ANSWERS = "LayNoiDungTraLoiTheoCauHoi"
SHARED_OPERATIONS = {"LayDanhSachTTHC", "LayDanhMucCoQuan", "LayDanhMucLinhVuc", "TraCuuTechID"}


class PortalConnector(BasePlugin):
    """What the outbox and the catalog pull use, whatever the transport."""

    def call(self, operation: str, payload: dict) -> PortalReply:
        raise TypeError("use a registered transport")

    # Shared HTTP plumbing --------------------------------------------------------------------------------

    def _url(self, path: str) -> str:
        return self.config["url"].rstrip("/") + "/" + path.lstrip("/")

    def _post(self, url: str, body, headers: dict | None = None) -> str:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        all_headers = {"Content-Type": "application/json", "Charset": "utf-8", "Accept": "application/json"}
        all_headers.update(headers or {})
        if keepalive.reusable(url):
            return self._post_kept(url, data, all_headers)
        request = urllib.request.Request(url, data=data, headers=all_headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.config["timeout"]) as response:  # noqa: S310
                return response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            text = error.read().decode("utf-8", "replace")[:2000]
            message = _("Cổng DVCQG trả lỗi HTTP %(status)s.") % {"status": error.code}
            if error.code >= 500:
                raise PortalAmbiguous(message, text) from error
            raise PortalError(message, text) from error
        except TimeoutError as error:
            raise PortalAmbiguous(_("Cổng DVCQG không trả lời trong thời gian cho phép.")) from error
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            if isinstance(reason, TimeoutError | socket.timeout):
                raise PortalAmbiguous(_("Cổng DVCQG không trả lời trong thời gian cho phép.")) from error
            if isinstance(reason, ConnectionResetError):
                raise PortalAmbiguous(_("Cổng DVCQG ngắt kết nối giữa chừng.")) from error
            raise PortalUnreachable(_("Không kết nối được tới Cổng DVCQG.")) from error

    def _post_kept(self, url: str, data: bytes, headers: dict) -> str:
        """`_post` on this thread's kept connection to the portal (`keepalive`), with the same outcomes."""
        try:
            status, raw = keepalive.post(url, data, headers, self.config["timeout"])
        except keepalive.NotSent as error:
            if isinstance(error.__cause__, TimeoutError):
                raise PortalAmbiguous(_("Cổng DVCQG không trả lời trong thời gian cho phép.")) from error
            raise PortalUnreachable(_("Không kết nối được tới Cổng DVCQG.")) from error
        except TimeoutError as error:
            raise PortalAmbiguous(_("Cổng DVCQG không trả lời trong thời gian cho phép.")) from error
        except (OSError, http.client.HTTPException) as error:  # after sending: it may have been processed
            raise PortalAmbiguous(_("Cổng DVCQG ngắt kết nối giữa chừng.")) from error
        text = raw.decode("utf-8", "replace")
        if status >= 300:
            message = _("Cổng DVCQG trả lỗi HTTP %(status)s.") % {"status": status}
            if status >= 500:
                raise PortalAmbiguous(message, text[:2000])
            raise PortalError(message, text[:2000])
        return text


portal_connectors: Registry[PortalConnector] = Registry("kết nối Cổng DVCQG")

COMMON_SCHEMA = {
    "url": Setting(kind="url"),
    "timeout": Setting(kind="float", default=30.0, min_value=0.1),
}


@portal_connectors.register("direct")
class DirectConnector(PortalConnector):
    """Direct adapter access: session login, then `service`/`session`/`madonvi` in every body."""

    verbose_name = gettext_lazy("Kết nối trực tiếp Cổng DVCQG (đăng nhập phiên)")
    config_schema = COMMON_SCHEMA | {
        "username": Setting(),
        "password": Setting(kind="secret"),
        "unit_code": Setting(),
        "dstcode": Setting(),
        "auth_path": Setting(default="/api/auth"),
        "integration_path": Setting(default="/api/integration"),
        "share_path": Setting(default="/api/share"),
        "session_minutes": Setting(kind="float", default=10.0, min_value=0.1),
    }

    _sessions: dict = {}
    _lock = threading.Lock()

    def _headers(self) -> dict:
        return {"dstcode": self.config["dstcode"]}

    def _session_key(self):
        return (self.config["url"], self.config["username"], self.config["unit_code"])

    def session(self, renew: bool = False) -> str:
        """A session from the login endpoint, cached for `session_minutes` per portal and account."""
        key = self._session_key()
        with self._lock:
            cached = self._sessions.get(key)
            if cached and not renew and cached[1] > time.monotonic():
                return cached[0]
        raw = self._post(
            self._url(self.config["auth_path"]),
            {"username": self.config["username"], "password": self.config["password"]},
            self._headers(),
        )
        reply = parse_reply(raw)
        session = reply.body.get("session") if isinstance(reply.body, dict) else None
        if not reply.ok or not session:
            raise PortalError(_("Đăng nhập Cổng DVCQG không thành công: %(m)s") % {"m": reply.message}, raw)
        with self._lock:
            self._sessions[key] = (str(session), time.monotonic() + self.config["session_minutes"] * 60)
        return str(session)

    def call(self, operation: str, payload: dict) -> PortalReply:
        service, _sep, mode = operation.partition(":")
        path = self.config["share_path"] if service in SHARED_OPERATIONS else self.config["integration_path"]
        extra = dict(payload)
        if service == "DongBoHoSoMC":
            extra["isUpdating"] = "True" if mode == "update" else "False"
        for attempt in (1, 2):
            body = {"service": service, "session": self.session(renew=attempt == 2)}
            body["madonvi"] = self.config["unit_code"]
            body.update(extra)
            reply = parse_reply(self._post(self._url(path), body, self._headers()))
            if attempt == 1 and _session_refused(reply):
                continue
            return reply
        return reply


def _session_refused(reply: PortalReply) -> bool:
    text = reply.message.lower()
    return not reply.ok and ("session" in text or "phiên" in text)


@portal_connectors.register("proxy")
class ProxyConnector(PortalConnector):
    """Through a provincial connector: a plain list posted to one URL per operation."""

    verbose_name = gettext_lazy("Kết nối qua trục kết nối của tỉnh (mỗi thao tác một địa chỉ)")
    config_schema = COMMON_SCHEMA | {
        "insert_path": Setting(default="/KetNoiMotCuaQuocGia/DongBoHoSoMC/ThemMoi"),
        "update_path": Setting(default="/KetNoiMotCuaQuocGia/DongBoHoSoMC/CapNhat"),
        "progress_path": Setting(default="/KetNoiMotCuaQuocGia/CapNhatTienDoHoSoMC"),
        "lookup_path": Setting(default="/KetNoiMotCuaQuocGia/TraCuuHoSo"),
        "procedure_path": Setting(default="/KetNoiMotCuaQuocGia/LayThuTuc"),
        "procedure_list_path": Setting(default="/KetNoiMotCuaQuocGia/LayDanhSachTTHC"),
        "fields_path": Setting(default="/KetNoiMotCuaQuocGia/LayDanhMucLinhVuc"),
        "agencies_path": Setting(default="/KetNoiMotCuaQuocGia/LayDanhMucCoQuan"),
        "questions_path": Setting(default="/KetNoiMotCuaQuocGia/LayDanhSachHoiDapGuiTuDVCQG"),
        "agency_questions_path": Setting(default="/KetNoiMotCuaQuocGia/LayDanhSachHoiDapBoCoQuan"),
        "answers_path": Setting(default="/KetNoiMotCuaQuocGia/DongBoKetQuaHoiDapGuiTuDVCQG"),
        "faq_path": Setting(default="/KetNoiMotCuaQuocGia/DongBoHoiDap"),
        "question_answers_path": Setting(default="/KetNoiMotCuaQuocGia/LayNoiDungTraLoiTheoCauHoi"),
    }

    PATHS = {
        INSERT: "insert_path",
        UPDATE: "update_path",
        PROGRESS: "progress_path",
        LOOKUP: "lookup_path",
        PROCEDURE: "procedure_path",
        PROCEDURE_LIST: "procedure_list_path",
        FIELDS: "fields_path",
        AGENCIES: "agencies_path",
        QUESTIONS: "questions_path",
        AGENCY_QUESTIONS: "agency_questions_path",
        ANSWERS: "answers_path",
        FAQ: "faq_path",
        QUESTION_ANSWERS: "question_answers_path",
    }

    def call(self, operation: str, payload: dict) -> PortalReply:
        if operation not in self.PATHS:
            raise PortalError(_("Kết nối qua trục tỉnh không hỗ trợ thao tác %(op)s.") % {"op": operation})
        body = payload.get("data", payload)
        return parse_reply(self._post(self._url(self.config[self.PATHS[operation]]), body))
