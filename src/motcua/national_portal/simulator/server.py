"""The simulator's WSGI application (routing, state, switches) and its local server."""

import json
import threading

from motcua.integrations.local_server import LocalServer, request_body
from motcua.integrations.payment.sandbox_server import DEFAULTS as PAYMENT_DEFAULTS
from motcua.integrations.payment.sandbox_server import SandboxPlatform

from .oidc import OidcMixin
from .pushes import PushMixin
from .sample_data import AGENCY_QUESTION_ANSWERS, AGENCY_QUESTIONS, QUESTIONS, load_agencies, load_catalog
from .sync import SyncMixin
from .validation import end_of_processing

INBOUND_PATH = "/cong-dvcqg/nhan-ho-so/"
PAYMENT_LOOKUP_PATH = "/cong-dvcqg/tra-cuu-thanh-toan/"
# Operations whose proxy body is a plain list (wrapped as {"data": [...]} like the direct transport's).
LIST_OPERATIONS = (
    "DongBoHoSoMC:insert",
    "DongBoHoSoMC:update",
    "CapNhatTienDoHoSoMC",
    "DongBoHoiDap",
    "DongBoKetQuaHoiDapGuiTuDVCQG",
)
PROXY = "/KetNoiMotCuaQuocGia/"
PAYMENT_PATHS = {"init", "query", "bill", "thanh-toan", "sandbox"}
DEFAULTS = {
    "username": "motcua",
    "password": "simulator-password",
    "dstcode": "SIMULATOR",
    "unit_code": "000.00.99.H06",
    "client_id": "motcua-simulator",
    "client_secret": "simulator-client-secret",
}


class PortalSimulator(SyncMixin, PushMixin, OidcMixin):
    """The WSGI application and its in-memory state."""

    def __init__(self, **options):
        options = DEFAULTS | options
        self.username, self.password = options["username"], options["password"]
        self.dstcode, self.unit_code = options["dstcode"], options["unit_code"]
        self.client_id, self.client_secret = options["client_id"], options["client_secret"]
        self.lock = threading.RLock()
        self.catalog = load_catalog()
        self.motcua_url = options.get("motcua_url", "")
        self.inbound_secret = options.get("inbound_secret", "")
        # The payment platform (§5.1, §10.6): the payments part's sandbox, served from the same port.
        self.payments = SandboxPlatform(**PAYMENT_DEFAULTS)
        # The identity server's issuer: the simulator's own URL (set by SimulatorServer once bound; else taken
        # from the request's Host). Its signing key is made on first use (nothing secret is in the source).
        self._signing_key = None
        self.issuer = options.get("issuer", "")
        self.reset()

    def reset(self):
        with self.lock:
            self.dossiers: dict[str, dict] = {}
            self.progress: list[dict] = []
            self.requests: list[dict] = []
            self.sessions: dict[str, float] = {}
            self.faults: list[dict] = []
            self.strict_prefix = True
            self.agency_codes: set[str] = set()
            self.session_minutes = 10.0
            self.lookup_history = True
            self.latency = 0.0  # seconds each sync operation takes to answer (a real portal: hundreds of ms)
            self.codes: dict[str, dict] = {}
            self.questions = [dict(q) for q in QUESTIONS]
            # LayNoiDungTraLoiTheoCauHoi: answers per HOIDAPID (those motcua sends back are added).
            self.question_answers: dict[str, list[dict]] = {
                k: [dict(a) for a in v] for k, v in AGENCY_QUESTION_ANSWERS.items()
            }
            self.agency_questions = [dict(q) for q in AGENCY_QUESTIONS]
            # DongBoHoiDap rows' HOIDAPID (the local id) -> the id the portal lists them under.
            self.faq_ids: dict[str, str] = {}
            self.answers: list[dict] = []
            self.tokens: dict[str, dict] = {}
            self.id_token_fault = ""
            self.agencies = load_agencies()
            self.faq: list[dict] = []
            self.pushed: list[dict] = []
            self.inbound_path = INBOUND_PATH
            self.payment_lookup_path = PAYMENT_LOOKUP_PATH
            self.payment_lookups: list[dict] = []

    # --- WSGI ---------------------------------------------------------------------------------------------

    def __call__(self, environ, start_response):
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "/")
        raw = request_body(environ)
        status, content_type, content, *extra = self.dispatch(method, path, raw, environ)
        start_response(status, [("Content-Type", content_type)] + (extra[0] if extra else []))
        return [content]

    @staticmethod
    def _json(data, status="200 OK"):
        return status, "application/json; charset=utf-8", json.dumps(data, ensure_ascii=False).encode()

    def dispatch(self, method, path, raw, environ):
        """Route one request: the identity server, the payment platform, the switches, then the sync API."""
        if path.startswith("/oauth2/"):
            return self.oidc(method, path, raw, environ)
        if path.strip("/").split("/")[0] in PAYMENT_PATHS:
            return self.payment_platform(method, path, raw, environ)
        try:
            body = json.loads(raw.decode("utf-8") or "null")
        except (UnicodeDecodeError, ValueError):
            return self._json({"error_code": "-1", "message": "Sai định dạng JSON."}, "400 Bad Request")
        if path.startswith("/simulator/"):
            return self.control(method, path, body)
        if method != "POST":
            return self._json({"error_code": "-5", "message": "Chỉ nhận POST."}, "405 Method Not Allowed")
        if path == "/api/auth":
            return self.login(body, environ)
        if path in ("/api/integration", "/api/share"):
            return self.direct_call(body, environ)
        if path.startswith(PROXY):
            return self.proxy_call(path[len(PROXY) :].strip("/"), body)
        return self._json({"error_code": "-5", "message": "Không có địa chỉ này."}, "404 Not Found")

    def payment_platform(self, method, path, raw, environ):
        """Hand the request to the payment platform's sandbox, its Content-Type apart from the other headers."""
        status, headers, content = self.payments.dispatch(method, path, raw, environ)
        content_type = dict(headers).get("Content-Type", "application/octet-stream")
        return status, content_type, content, [h for h in headers if h[0] != "Content-Type"]

    def direct_call(self, body, environ):
        """The direct transport (/api/integration, /api/share): check the destination code, the session and the
        unit, then run the body's ``service``."""
        if environ.get("HTTP_DSTCODE") != self.dstcode:
            return self._json({"error_code": "-2", "message": "Thiếu hoặc sai mã đích (dstcode)."})
        if not isinstance(body, dict):
            return self._json({"error_code": "-1", "message": "Nội dung phải là đối tượng JSON."})
        if not self.session_valid(body.get("session")):
            return self._json(
                {"error_code": "-2", "message": "Phiên làm việc (session) không hợp lệ hoặc đã hết hạn."}
            )
        if body.get("madonvi") != self.unit_code:
            return self._json({"error_code": "-1", "message": "Sai mã đơn vị (madonvi)."})
        service = str(body.get("service", ""))
        if service != "DongBoHoSoMC":
            return self.operate(service, body, "direct")
        # The dossier sync is one service for both inserts and updates, told apart by isUpdating.
        updating = body.get("isUpdating")
        if updating not in ("True", "False"):
            return self._json({"error_code": "-1", "message": 'isUpdating phải là "True" hoặc "False".'})
        operation = "DongBoHoSoMC:update" if updating == "True" else "DongBoHoSoMC:insert"
        return self.operate(operation, body, "direct")

    def proxy_call(self, name, body):
        """The proxy transport (one path per operation): list operations take a plain list, wrapped as the
        direct transport's {"data": [...]}."""
        operation = {
            "DongBoHoSoMC/ThemMoi": "DongBoHoSoMC:insert",
            "DongBoHoSoMC/CapNhat": "DongBoHoSoMC:update",
        }.get(name, name)
        if operation in LIST_OPERATIONS:
            if not isinstance(body, list):
                return self._json({"error_code": "-1", "message": "Nội dung phải là danh sách."})
            body = {"data": body}
        elif not isinstance(body, dict):
            body = {}
        return self.operate(operation, body, "proxy")

    # --- switches ------------------------------------------------------------------------------------------

    def control(self, method, path, body):
        name = path[len("/simulator/") :].strip("/")
        if name == "state" and method == "GET":
            return self._json(self.state())
        if name == "reset" and method == "POST":
            self.reset()
            return self._json({"ok": True})
        if name == "faults" and method == "POST":
            faults = (body or {}).get("faults", [])
            with self.lock:
                self.faults = [dict(f, count=int(f.get("count", 1))) for f in faults if isinstance(f, dict)]
            return self._json({"ok": True, "faults": self.faults})
        if name == "push-dossier" and method == "POST":
            return self.push_dossier(body)
        if name == "lookup-payment" and method == "POST":
            return self.lookup_payment(body)
        if name == "config" and method == "POST":
            body = body or {}
            with self.lock:
                self.motcua_url = str(body.get("motcua_url", self.motcua_url))
                self.inbound_secret = str(body.get("inbound_secret", self.inbound_secret))
                self.inbound_path = str(body.get("inbound_path", self.inbound_path))
                self.payment_lookup_path = str(body.get("payment_lookup_path", self.payment_lookup_path))
                if isinstance(body.get("questions"), list):
                    self.questions = [dict(q) for q in body["questions"] if isinstance(q, dict)]
                if isinstance(body.get("agency_questions"), list):
                    self.agency_questions = [dict(q) for q in body["agency_questions"] if isinstance(q, dict)]
                if isinstance(body.get("question_answers"), dict):
                    self.question_answers = {
                        str(k): [dict(a) for a in v if isinstance(a, dict)]
                        for k, v in body["question_answers"].items()
                        if isinstance(v, list)
                    }
                if isinstance(body.get("agencies"), list):
                    self.agencies = [dict(a) for a in body["agencies"] if isinstance(a, dict)]
                self.strict_prefix = bool(body.get("strict_prefix", self.strict_prefix))
                self.agency_codes = set(body.get("agency_codes", self.agency_codes))
                self.session_minutes = float(body.get("session_minutes", self.session_minutes))
                self.lookup_history = bool(body.get("lookup_history", self.lookup_history))
                self.latency = max(float(body.get("latency", self.latency)), 0.0)
                self.id_token_fault = str(body.get("id_token_fault", self.id_token_fault))
                if body.get("expire_sessions"):
                    self.sessions.clear()
            return self._json({"ok": True})
        return self._json({"error": "unknown"}, "404 Not Found")

    def state(self) -> dict:
        with self.lock:
            dossiers = {}
            for code, hoso in self.dossiers.items():
                history = [e for e in self.progress if e["MaHoSo"] == code]
                end = end_of_processing(history)
                due = hoso.get("NgayHenTra", "")
                dossiers[code] = dict(hoso) | {
                    "_end_of_processing": end,
                    "_on_time": bool(end and due and end <= due),
                }
            return {
                "dossiers": dossiers,
                "progress": list(self.progress),
                "requests": list(self.requests),
                "answers": list(self.answers),
                "faq": list(self.faq),
                "pushed": list(self.pushed),
                "payment_lookups": list(self.payment_lookups),
            }


class SimulatorServer(LocalServer):
    """The simulator on a local port, in a background thread (`start`) or the calling one (`serve_forever`)."""

    thread_name = "portal-simulator"

    def __init__(self, host: str = "127.0.0.1", port: int = 0, **options):
        super().__init__(PortalSimulator(**options), host, port)

    def bound(self) -> None:
        self.app.payments.public_url = self.url
        self.app.issuer = self.app.issuer or self.url
