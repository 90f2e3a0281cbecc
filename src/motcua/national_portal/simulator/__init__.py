"""A local simulator of the National Public Service Portal (NATIONAL-PORTAL.md §10), served over real HTTP.

Direct transport (session login, ``service`` dispatch):
    POST /api/auth                  {username, password} + header dstcode  -> {error_code: 0, session}
    POST /api/integration           {service, session, madonvi, ...}       (DongBoHoSoMC, CapNhatTienDoHoSoMC,
                                                                            TraCuuHoSo, LayThuTuc)
    POST /api/share                 {service, session, madonvi}            (LayDanhSachTTHC, LayDanhMucCoQuan,
                                                                            LayDanhMucLinhVuc)
Proxy transport (plain lists, one URL per operation, no session):
    POST /KetNoiMotCuaQuocGia/DongBoHoSoMC/ThemMoi, .../DongBoHoSoMC/CapNhat, .../CapNhatTienDoHoSoMC,
         .../TraCuuHoSo {mahoso}, .../LayThuTuc {maTTHC}, .../LayDanhSachTTHC
A minimal OIDC provider (§8), for the portal login and the VNeID login alike, with fake personas (citizen,
VNeID citizens of level 2 and level 1, business); the ID token carries the persona's ``IAL`` when it has one:
    GET  /oauth2/authorize          persona chooser; POST picks one and redirects with code and state
    POST /oauth2/token              code (+ client secret, PKCE verifier) -> {access_token, id_token}; the ID
                                    token is an RS256 JWT (iss = the simulator's URL, aud = client id, sub, nonce,
                                    iat, exp) signed with a key made at start-up
    GET  /oauth2/jwks               the public signing key (JWKS)
    GET|POST /oauth2/userinfo       Bearer access token -> the persona's claims (SoDinhDanh, HoVaTen, TechID, ...)
    POST /oauth2/introspect         token -> {active, client_id, exp};  GET /oauth2/logout
The payment platform (§5.1: INIT, the payer's page and its signed callback, QUERY, GET_BILL), served by the
payments part's sandbox on the same port: POST /init, /query, /bill; GET|POST /thanh-toan/<reference>;
/sandbox/... switches (settle, delay). Point the payment gateway "sandbox" at this server's URL.
Switches for tests and the demo:
    GET  /simulator/state           the dossier store, the progress log (arrival order) and the request log
                                    (operation, transport, fault, number of `data` entries)
    POST /simulator/faults          {"faults": [{"operation": "*"|name, "kind": ..., "count": n, ...}]}
    POST /simulator/config          {"strict_prefix": bool, "agency_codes": [...], "session_minutes": n,
                                    "latency": seconds each sync operation takes to answer, ...}
    POST /simulator/reset
    POST /simulator/config          ... "id_token_fault": one of ``forged_signature``, ``wrong_issuer``,
                                    ``wrong_audience``, ``wrong_nonce``, ``expired`` (the next ID tokens are bad
                                    that way, to test that motcua refuses them), "" for sound tokens again
    POST /simulator/push-dossier    {"dossier": {...}} (a sample when omitted): the portal pushes a dossier
                                    submitted on it to motcua (``motcua_url`` + ``inbound_path``), signed with
                                    ``inbound_secret`` (HMAC-SHA256, see motcua.national_portal.inbound);
                                    answers {"status": <HTTP status>, "reply": <motcua's reply>}.
                                    "secret" overrides the key (to test a bad signature), "unsigned": true omits it.
    POST /simulator/lookup-payment  {"MaHoSo": "..."} (or "payload": {...}): the payment platform asks motcua for
                                    the dossier's bill (dptracuuthanhtoanhs, ``payment_lookup_path``), signed the
                                    same way; a bill becomes a pending transaction payable on /thanh-toan/<id>.
                                    Answers {"status", "reply", "UrlThanhToan" (for a bill), "error" (bad bill)}.

Fault kinds: ``timeout`` (answer after ``delay`` seconds, having processed the request: the caller cannot know),
``timeout_drop`` (answer late, without processing), ``http500`` (refuse with HTTP 500 before processing),
``http500_after`` (process, then HTTP 500), ``error_code`` (answer ``code``/``message`` without processing),
``plain_text`` (process, answer in plain text), ``code00`` and ``code_int`` (process, success code as "00" or 0).

Questions: LayDanhSachHoiDapGuiTuDVCQG lists ``questions``; LayDanhSachHoiDapBoCoQuan lists the agency's Q&A,
``agency_questions`` followed by the rows published with DongBoHoiDap (under ids from 800001, no answer in the row);
LayNoiDungTraLoiTheoCauHoi {cauhoiid} answers ``question_answers[cauhoiid]`` (the answers motcua sends with
DongBoKetQuaHoiDapGuiTuDVCQG are added; all three are replaced with /simulator/config ``questions``,
``agency_questions`` and ``question_answers``; "-4" for an unknown question).

Catalog reads also answer LayDanhMucCoQuan (the demo's agencies plus one the demo lacks; ``agencies`` in
/simulator/config replaces them) and the Q&A publication DongBoHoiDap (HOIDAPID, NOIDUNG and MADONVI required).

Validation (§10.2): dates ``yyyyMMddHHmmss``, TrangThaiHoSo 1–10, KenhThucHien 1–3, LoaiDoiTuong 1–4,
HinhThuc 0–1, every scalar a string, required fields, the ``MaHoSo`` prefix (an agency identity code, one of
``agency_codes`` when given; ``strict_prefix`` switches the check off), no placeholder identity numbers, absolute
file URLs. Error codes: "-1" invalid data, "-2" bad or expired session, "-3" "Hồ sơ đã tồn tại",
"-4" unknown dossier, "-5" unknown service. These codes are the simulator's own: the portal's table is not public.

TraCuuHoSo returns the stored dossier with its history under ``QuaTrinhXuLy`` (a simulator convention that lets
the connector avoid sending an entry twice; whether the real portal shows the history there is an open question).
"""

from .oidc import OidcMixin, _pkce_ok
from .pushes import PushMixin
from .sample_data import (
    AGENCY_QUESTION_ANSWERS,
    AGENCY_QUESTIONS,
    CATALOG_CSV,
    FAQ_PORTAL_ID_BASE,
    ORG_JSON,
    PERSONA_LABELS,
    PERSONAS,
    QUESTIONS,
    _slug,
    load_agencies,
    load_catalog,
    sample_portal_dossier,
)
from .server import (
    DEFAULTS,
    INBOUND_PATH,
    LIST_OPERATIONS,
    PAYMENT_LOOKUP_PATH,
    PAYMENT_PATHS,
    PROXY,
    PortalSimulator,
    SimulatorServer,
)
from .sync import SyncMixin
from .validation import (
    AGENCY_CODE_RE,
    DATE_FIELDS,
    DATE_RE,
    ENUMS,
    NOT_RECEIVED,
    PLACEHOLDER_IDS,
    REQUIRED,
    end_of_processing,
    valid_date,
    validate_dossier,
    validate_progress,
)

__all__ = [
    "AGENCY_CODE_RE",
    "AGENCY_QUESTION_ANSWERS",
    "AGENCY_QUESTIONS",
    "CATALOG_CSV",
    "DATE_FIELDS",
    "DATE_RE",
    "DEFAULTS",
    "ENUMS",
    "FAQ_PORTAL_ID_BASE",
    "INBOUND_PATH",
    "LIST_OPERATIONS",
    "NOT_RECEIVED",
    "ORG_JSON",
    "PAYMENT_LOOKUP_PATH",
    "PAYMENT_PATHS",
    "PERSONAS",
    "PERSONA_LABELS",
    "PLACEHOLDER_IDS",
    "PROXY",
    "QUESTIONS",
    "REQUIRED",
    "OidcMixin",
    "PortalSimulator",
    "PushMixin",
    "SimulatorServer",
    "SyncMixin",
    "_pkce_ok",
    "_slug",
    "end_of_processing",
    "load_agencies",
    "load_catalog",
    "sample_portal_dossier",
    "valid_date",
    "validate_dossier",
    "validate_progress",
]
