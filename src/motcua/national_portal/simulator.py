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
    POST /simulator/config          {"strict_prefix": bool, "agency_codes": [...], "session_minutes": n, ...}
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

import csv
import json
import re
import secrets
import threading
import time
from datetime import datetime
from pathlib import Path

from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from motcua.integrations.local_server import LocalServer
from motcua.integrations.payment.sandbox_server import DEFAULTS as PAYMENT_DEFAULTS
from motcua.integrations.payment.sandbox_server import SandboxPlatform

DATE_RE = re.compile(r"^\d{14}$")
AGENCY_CODE_RE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$")
DATE_FIELDS = ("NgayNopHoSo", "NgayTiepNhan", "NgayHenTra", "NgayTra", "NgayKetThucXuLy", "NgayTuChoi")
REQUIRED = (
    "MaHoSo",
    "MaTTHC",
    "TenTTHC",
    "KenhThucHien",
    "ChuHoSo",
    "LoaiDoiTuong",
    "NgayNopHoSo",
    "TrangThaiHoSo",
)
# Statuses of a dossier that was never received (registered online, or refused at reception).
NOT_RECEIVED = ("1", "3")
ENUMS = {
    "TrangThaiHoSo": {str(i) for i in range(1, 11)},
    "KenhThucHien": {"1", "2", "3"},
    "LoaiDoiTuong": {"1", "2", "3", "4"},
    "HinhThuc": {"0", "1"},
}
PLACEHOLDER_IDS = re.compile(r"^0+1?$")
CATALOG_CSV = Path(__file__).resolve().parent.parent / "catalog" / "data" / "catalog-sample.csv"
ORG_JSON = Path(__file__).resolve().parent.parent / "org" / "data" / "gia_binh.json"
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

# Fake personas of the identity server (identity numbers are visibly fake: serial 9xxxxx).
PERSONAS = {
    "citizen": {
        "sub": "sim-citizen-1",
        "TechID": "SIM-TECH-0001",
        "LoaiTaiKhoan": 1,
        "SoDinhDanh": "027090999901",
        "HoVaTen": "Nguyễn Văn Thử",
        "NgayThangNamSinh": "19900101",
        "SoDienThoai": "0912999901",
        "ThuDienTu": "nguyenvanthu@example.vn",
        "DiaChi": "Thôn Thử, xã Đại Bái, huyện Gia Bình, tỉnh Bắc Ninh",
        "loAs": "LoA1",
    },
    "vneid": {
        "sub": "sim-vneid-1",
        "TechID": "SIM-TECH-0002",
        "LoaiTaiKhoan": 1,
        "SoDinhDanh": "027090999902",
        "HoVaTen": "Trần Thị Định Danh",
        "NgayThangNamSinh": "19850505",
        "SoDienThoai": "0912999902",
        "IAL": 2,
        "loAs": "LoA2",
    },
    "vneid1": {
        "sub": "sim-vneid-2",
        "TechID": "SIM-TECH-0004",
        "LoaiTaiKhoan": 1,
        "SoDinhDanh": "027090999904",
        "HoVaTen": "Lê Văn Mức Một",
        "NgayThangNamSinh": "19950909",
        "SoDienThoai": "0912999905",
        "IAL": 1,
        "loAs": "LoA1",
    },
    "business": {
        "sub": "sim-business-1",
        "TechID": "SIM-TECH-0003",
        "LoaiTaiKhoan": 2,
        "MaSoThue": "2300999901",
        "MaSoDoanhNghiep": "2300999901",
        "TenDoanhNghiep": "Công ty TNHH Thử Nghiệm",
        "HoVaTen": "Công ty TNHH Thử Nghiệm",
        "NguoiDaiDien": "Lê Văn Đại Diện",
        "loAs": "LoA1",
    },
}
# Questions citizens sent through the portal (LayDanhSachHoiDapGuiTuDVCQG), §6.
QUESTIONS = [
    {
        "HOIDAPID": "101",
        "MALINHVUC": "ho-tich",
        "MADONVI": "000.01.99.H06",
        "TENDONVI": "Phòng Tư pháp",
        "NOIDUNG": "Đăng ký khai sinh cho con quá hạn 60 ngày cần những giấy tờ gì và có mất lệ phí không?",
        "HOVATEN": "Phạm Văn Hỏi",
        "THUDIENTU": "phamvanhoi@example.vn",
        "DIACHI": "Xã Đại Bái, huyện Gia Bình",
        "SODIENTHOAI": "0912999903",
        "TRANGTHAI": "1",
        "TRALOIID": "",
        "NOIDUNGTRALOI": "",
    },
    {"HOIDAPID": "0", "NOIDUNG": "Dòng mẫu không hợp lệ (HOIDAPID ≤ 0)", "HOVATEN": "", "TRANGTHAI": "1"},
    {
        "HOIDAPID": "102",
        "NOIDUNG": "Câu hỏi đã bị Cổng gỡ.",
        "HOVATEN": "Người Hỏi",
        "SODIENTHOAI": "0912999904",
        "TRANGTHAI": "0",
    },
]
# The agency's own Q&A as the portal lists it (LayDanhSachHoiDapBoCoQuan), §6: one answered in the row, one whose
# answer is looked up (AGENCY_QUESTION_ANSWERS), and rows to skip (id ≤ 0, withdrawn, unknown agency code).
AGENCY_QUESTIONS = [
    {
        "HOIDAPID": "201",
        "MALINHVUC": "ho-tich",
        "MADONVI": "000.01.99.H06",
        "TENDONVI": "Phòng Tư pháp",
        "NOIDUNG": "Đăng ký kết hôn có phải nộp lệ phí không?",
        "HOVATEN": "Nguyễn Văn Hỏi",
        "TRANGTHAI": "1",
        "TRALOIID": "7201",
        "NOIDUNGTRALOI": "Đăng ký kết hôn lần đầu tại UBND xã được miễn lệ phí.",
    },
    {
        "HOIDAPID": "202",
        "MALINHVUC": "ho-kinh-doanh",
        "MADONVI": "000.02.99.H06",
        "TENDONVI": "Phòng Tài chính – Kế hoạch",
        "NOIDUNG": "Hộ kinh doanh thay đổi địa điểm có phải đăng ký lại không?",
        "HOVATEN": "Trần Thị Hỏi",
        "TRANGTHAI": "1",
        "TRALOIID": "",
        "NOIDUNGTRALOI": "",
    },
    {"HOIDAPID": "-1", "NOIDUNG": "Dòng mẫu không hợp lệ (HOIDAPID ≤ 0)", "TRANGTHAI": "1"},
    {"HOIDAPID": "203", "NOIDUNG": "Hỏi đáp đã gỡ.", "MADONVI": "000.01.99.H06", "TRANGTHAI": "0"},
    {
        "HOIDAPID": "204",
        "MADONVI": "000.77.99.H06",
        "TENDONVI": "Cơ quan không có trong hệ thống",
        "NOIDUNG": "Câu hỏi của một cơ quan hệ thống không quản lý.",
        "TRANGTHAI": "1",
        "NOIDUNGTRALOI": "Trả lời mẫu.",
    },
]
AGENCY_QUESTION_ANSWERS = {
    "202": [
        {
            "TRALOIID": "7202",
            "NOIDUNGTRALOI": "Chuyển địa điểm sang huyện khác phải đăng ký thay đổi nội dung đăng ký hộ kinh doanh.",
        }
    ]
}
# The ids the portal gives to the Q&A published with DongBoHoiDap when it lists them back (simulator's own).
FAQ_PORTAL_ID_BASE = 800000
PERSONA_LABELS = {
    "citizen": "công dân",
    "vneid": "công dân, định danh VNeID mức 2",
    "vneid1": "công dân, định danh VNeID mức 1",
    "business": "doanh nghiệp",
}


def valid_date(text) -> bool:
    if not isinstance(text, str) or not DATE_RE.match(text):
        return False
    try:
        datetime.strptime(text, "%Y%m%d%H%M%S")
    except ValueError:
        return False
    return True


def validate_dossier(hoso, *, strict_prefix=True, agency_codes=()) -> list[str]:
    """What is wrong with one HoSo, in Vietnamese; empty when it is acceptable."""
    if not isinstance(hoso, dict):
        return ["Hồ sơ phải là một đối tượng JSON."]
    errors = []
    for key, value in hoso.items():
        if not isinstance(value, str | list):
            errors.append(f"{key}: giá trị phải là chuỗi ký tự.")
    for key in REQUIRED:
        if not hoso.get(key):
            errors.append(f"{key}: bắt buộc.")
    if not hoso.get("NgayTiepNhan") and str(hoso.get("TrangThaiHoSo")) not in NOT_RECEIVED:
        errors.append("NgayTiepNhan: bắt buộc với hồ sơ đã tiếp nhận.")
    for key in DATE_FIELDS:
        value = hoso.get(key, "")
        if value and not valid_date(value):
            errors.append(f"{key}: ngày phải có dạng yyyyMMddHHmmss.")
    for key, allowed in ENUMS.items():
        if key in hoso and str(hoso[key]) not in allowed:
            errors.append(f"{key}: giá trị {hoso[key]!r} không hợp lệ.")
    code = str(hoso.get("MaHoSo", ""))
    if strict_prefix and code:
        prefix = code.split("-", 1)[0]
        if not AGENCY_CODE_RE.match(prefix) or (agency_codes and prefix not in agency_codes):
            errors.append("MaHoSo: phải bắt đầu bằng mã định danh của cơ quan tiếp nhận.")
    for item in hoso.get("DinhDanhCHS") or []:
        number, kind = str(item.get("SoDinhDanh", "")), str(item.get("LoaiDinhDanh", ""))
        if PLACEHOLDER_IDS.match(number) or (kind == "1" and not re.fullmatch(r"\d{12}", number)):
            errors.append("DinhDanhCHS: số định danh không hợp lệ.")
        elif kind == "2" and not re.fullmatch(r"\d{9}", number):
            errors.append("DinhDanhCHS: số CMND không hợp lệ.")
    for item in hoso.get("TaiLieuNop") or []:
        if not str(item.get("DuongDanTaiTepTin", "")).startswith(("http://", "https://")):
            errors.append("TaiLieuNop: DuongDanTaiTepTin phải là địa chỉ tải về đầy đủ.")
    for item in hoso.get("DanhSachGiayToKetQua") or []:
        if not str(item.get("DuongDanTepTinKetQua", "")).startswith(("http://", "https://")):
            errors.append("DanhSachGiayToKetQua: DuongDanTepTinKetQua phải là địa chỉ tải về đầy đủ.")
    return errors


def validate_progress(entry) -> list[str]:
    if not isinstance(entry, dict):
        return ["Tiến trình phải là một đối tượng JSON."]
    errors = [f"{k}: giá trị phải là chuỗi ký tự." for k, v in entry.items() if not isinstance(v, str)]
    if not entry.get("MaHoSo"):
        errors.append("MaHoSo: bắt buộc.")
    if not valid_date(entry.get("ThoiDiemXuLy")):
        errors.append("ThoiDiemXuLy: ngày phải có dạng yyyyMMddHHmmss.")
    for key in ("NgayBatDau", "NgayKetThucTheoQuyDinh"):
        if entry.get(key) and not valid_date(entry[key]):
            errors.append(f"{key}: ngày phải có dạng yyyyMMddHHmmss.")
    if str(entry.get("TrangThai", "")) not in ENUMS["TrangThaiHoSo"]:
        errors.append("TrangThai: giá trị không hợp lệ.")
    return errors


def end_of_processing(history: list[dict]) -> str:
    """F766 §2.1: the end time from the history, by preference Đã xử lý xong (9) > Đã trả kết quả (10) >
    Dừng/Từ chối/Rút (8, 3, 7); a single pending supplement request (5) counts as the end."""
    for wanted in (("9",), ("10",), ("8", "3", "7")):
        times = [e["ThoiDiemXuLy"] for e in history if e.get("TrangThai") in wanted]
        if times:
            return min(times)
    supplements = [e["ThoiDiemXuLy"] for e in history if e.get("TrangThai") == "5"]
    return supplements[-1] if supplements else ""


def load_catalog() -> list[dict]:
    """The sample catalog in the LayThuTuc shape (§4.1)."""
    procedures = []
    if not CATALOG_CSV.exists():
        return procedures
    with CATALOG_CSV.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            value = row.get("time_limit_value") or ""
            procedures.append(
                {
                    "ID": str(len(procedures) + 1),
                    "MATTHC": row["code"],
                    "TENTTHC": row["name"],
                    "TRANGTHAI": "1",
                    "LINHVUCTHUCHIEN": [{"MALINHVUC": _slug(row["field"]), "TENLINHVUC": row["field"]}],
                    "CACHTHUCTHUCHIEN": [
                        {
                            "KENH": "1",
                            "THOIGIAN": [
                                {
                                    "THOIGIANGIAIQUYET": float(value) if value else 0,
                                    "DONVITINH": row.get("time_limit_unit", ""),
                                    "MOTA": row.get("time_limit_text", ""),
                                    "PHILEPHI": [],
                                }
                            ],
                        }
                    ],
                    "YEUCAU": "",
                    "COQUANTHUCHIEN": [{"MADONVI": "", "TENDONVI": row.get("agency_before_2025", "")}],
                    "THANHPHANHOSO": [],
                    "KETQUATHUCHIEN": [],
                    "CAPTHUCHIEN": [],
                }
            )
    return procedures


def load_agencies() -> list[dict]:
    """LayDanhMucCoQuan rows (MADONVI, TENDONVI, CAPDONVI): the demo district's agencies, and one it lacks."""
    rows = []
    if ORG_JSON.exists():
        source = json.loads(ORG_JSON.read_text(encoding="utf-8"))
        rows = [
            {"MADONVI": a["identity_code"], "TENDONVI": a["name"], "CAPDONVI": "2"}
            for a in source.get("agencies", [])
        ]
    rows.append(
        {
            "MADONVI": "000.30.99.H06",
            "TENDONVI": "Chi nhánh Văn phòng đăng ký đất đai huyện Gia Bình",
            "CAPDONVI": "2",
        }
    )
    return rows


def sample_portal_dossier(number: int) -> dict:
    """A dossier a citizen submitted on the portal (fake identity number), as pushed to motcua."""
    return {
        "MaHoSo": f"G22.99-{datetime.now():%y%m%d}-{number:04d}",
        "MaTTHC": "1.001193",
        "LoaiDoiTuong": "1",
        "ChuHoSo": "Nguyễn Văn Thử",
        "SoGiayToChuHoSo": "027090999901",
        "DienThoai": "0912999901",
        "Email": "nguyenvanthu@example.vn",
        "DiaChi": "Thôn Thử, xã Đại Bái, huyện Gia Bình, tỉnh Bắc Ninh",
        "TrichYeuHoSo": "Đăng ký khai sinh (nộp trên Cổng Dịch vụ công quốc gia)",
        "MaDoiTuong": "SIM-TECH-0001",
        "TaiLieuNop": [],
    }


def _slug(text: str) -> str:
    import unicodedata

    plain = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


class PortalSimulator:
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
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        raw = environ["wsgi.input"].read(length) if length else b""
        status, content_type, content, *extra = self.dispatch(method, path, raw, environ)
        start_response(status, [("Content-Type", content_type)] + (extra[0] if extra else []))
        return [content]

    @staticmethod
    def _json(data, status="200 OK"):
        return status, "application/json; charset=utf-8", json.dumps(data, ensure_ascii=False).encode()

    def dispatch(self, method, path, raw, environ):
        if path.startswith("/oauth2/"):
            return self.oidc(method, path, raw, environ)
        if path.strip("/").split("/")[0] in PAYMENT_PATHS:
            status, headers, content = self.payments.dispatch(method, path, raw, environ)
            content_type = dict(headers).get("Content-Type", "application/octet-stream")
            return status, content_type, content, [h for h in headers if h[0] != "Content-Type"]
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
            if service == "DongBoHoSoMC":
                updating = body.get("isUpdating")
                if updating not in ("True", "False"):
                    return self._json(
                        {"error_code": "-1", "message": 'isUpdating phải là "True" hoặc "False".'}
                    )
                operation = "DongBoHoSoMC:update" if updating == "True" else "DongBoHoSoMC:insert"
            else:
                operation = service
            return self.operate(operation, body, "direct")
        if path.startswith(PROXY):
            name = path[len(PROXY) :].strip("/")
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
        return self._json({"error_code": "-5", "message": "Không có địa chỉ này."}, "404 Not Found")

    # --- session -------------------------------------------------------------------------------------------

    def login(self, body, environ):
        if environ.get("HTTP_DSTCODE") != self.dstcode:
            return self._json({"error_code": -2, "message": "Thiếu hoặc sai mã đích (dstcode)."})
        if not isinstance(body, dict) or (body.get("username"), body.get("password")) != (
            self.username,
            self.password,
        ):
            return self._json({"error_code": -1, "message": "Sai tên đăng nhập hoặc mật khẩu."})
        session = secrets.token_hex(16)
        with self.lock:
            self.sessions[session] = time.monotonic() + self.session_minutes * 60
        return self._json({"error_code": 0, "message": "Đăng nhập thành công", "session": session})

    def session_valid(self, session) -> bool:
        with self.lock:
            expiry = self.sessions.get(str(session))
        return expiry is not None and expiry > time.monotonic()

    # --- operations with fault injection -------------------------------------------------------------------

    def take_fault(self, operation: str):
        with self.lock:
            for fault in self.faults:
                if (
                    fault.get("operation", "*") in ("*", operation, operation.split(":")[0])
                    and fault["count"] > 0
                ):
                    fault["count"] -= 1
                    return dict(fault)
        return None

    def operate(self, operation, body, transport):
        fault = self.take_fault(operation)
        kind = fault["kind"] if fault else ""
        with self.lock:
            data = body.get("data") if isinstance(body, dict) else None
            self.requests.append(
                {
                    "operation": operation,
                    "transport": transport,
                    "fault": kind,
                    "entries": len(data) if isinstance(data, list) else None,
                }
            )
        if kind == "http500":
            return "500 Internal Server Error", "text/html; charset=utf-8", b"<h1>500</h1>"
        if kind == "error_code":
            return self._json(
                {"error_code": str(fault.get("code", "-1")), "message": fault.get("message", "Lỗi")}
            )
        if kind == "timeout_drop":
            time.sleep(float(fault.get("delay", 2)))
            return self._json({"error_code": "-1", "message": "Quá thời gian xử lý."})
        reply = self.handle(operation, body)
        if kind == "timeout":
            time.sleep(float(fault.get("delay", 2)))
        if kind == "http500_after":
            return "502 Bad Gateway", "text/plain; charset=utf-8", b"Bad gateway"
        if kind == "plain_text":
            text = reply.get("message") or ("Thành công" if reply.get("error_code") == "0" else "Lỗi")
            return "200 OK", "text/plain; charset=utf-8", str(text).encode()
        if kind in ("code00", "code_int") and reply.get("error_code") == "0":
            reply["error_code"] = "00" if kind == "code00" else 0
        return self._json(reply)

    def handle(self, operation, body) -> dict:
        if operation in ("DongBoHoSoMC:insert", "DongBoHoSoMC:update"):
            return self.sync_dossiers(body.get("data"), updating=operation.endswith("update"))
        if operation == "CapNhatTienDoHoSoMC":
            return self.add_progress(body.get("data"))
        if operation == "TraCuuHoSo":
            code = str(body.get("mahoso", ""))
            with self.lock:
                stored = self.dossiers.get(code)
                if stored is None:
                    return {"error_code": "0", "message": "", "result": []}
                row = dict(stored)
                if self.lookup_history:
                    row["QuaTrinhXuLy"] = [e for e in self.progress if e["MaHoSo"] == code]
            return {"error_code": "0", "message": "", "result": [row]}
        if operation == "LayThuTuc":
            code = str(body.get("maTTHC", ""))
            found = [p for p in self.catalog if p["MATTHC"] == code]
            if not found:
                return {"error_code": "-4", "message": "Không có thủ tục này.", "result": []}
            return {"error_code": 0, "result": found}
        if operation == "LayDanhSachTTHC":
            return {
                "error_code": 0,
                "result": [{"MATTHC": p["MATTHC"], "TENTTHC": p["TENTTHC"]} for p in self.catalog],
            }
        if operation == "LayDanhSachHoiDapGuiTuDVCQG":
            with self.lock:
                return {"error_code": "0", "result": [dict(q) for q in self.questions]}
        if operation == "LayDanhSachHoiDapBoCoQuan":
            return {"error_code": "0", "result": self.agency_faq()}
        if operation == "DongBoKetQuaHoiDapGuiTuDVCQG":
            return self.store_answers(body.get("data"))
        if operation == "LayNoiDungTraLoiTheoCauHoi":
            return self.answers_of(body.get("cauhoiid"))
        if operation == "LayDanhMucCoQuan":
            with self.lock:
                return {"error_code": 0, "result": [dict(a) for a in self.agencies]}
        if operation == "DongBoHoiDap":
            return self.store_faq(body.get("data"))
        if operation == "LayDanhMucLinhVuc":
            fields = {f["MALINHVUC"]: f["TENLINHVUC"] for p in self.catalog for f in p["LINHVUCTHUCHIEN"]}
            return {
                "error_code": 0,
                "result": [
                    {"MALINHVUC": k, "TENLINHVUC": v, "MANGANH": self.unit_code} for k, v in fields.items()
                ],
            }
        return {"error_code": "-5", "message": f"Không hỗ trợ dịch vụ {operation}."}

    def sync_dossiers(self, data, *, updating: bool) -> dict:
        if not isinstance(data, list) or not data:
            return {"error_code": "-1", "message": "data phải là danh sách hồ sơ."}
        errors = []
        for hoso in data:
            errors += validate_dossier(hoso, strict_prefix=self.strict_prefix, agency_codes=self.agency_codes)
        if errors:
            return {"error_code": "-1", "message": "Dữ liệu không hợp lệ: " + "; ".join(errors)}
        with self.lock:
            for hoso in data:
                exists = hoso["MaHoSo"] in self.dossiers
                if exists and not updating:
                    return {"error_code": "-3", "message": f"Hồ sơ {hoso['MaHoSo']} đã tồn tại"}
                if not exists and updating:
                    return {"error_code": "-4", "message": f"Hồ sơ {hoso['MaHoSo']} không tồn tại"}
            for hoso in data:
                previous = self.dossiers.get(hoso["MaHoSo"], {})
                self.dossiers[hoso["MaHoSo"]] = dict(hoso) | {
                    "_inserts": previous.get("_inserts", 0) + (0 if updating else 1),
                    "_updates": previous.get("_updates", 0) + (1 if updating else 0),
                }
        return {"error_code": "0", "message": "Đồng bộ hồ sơ thành công"}

    def store_answers(self, data) -> dict:
        if not isinstance(data, list) or not data:
            return {"error_code": "-1", "message": "data phải là danh sách câu trả lời."}
        known = {q["HOIDAPID"] for q in self.questions}
        for answer in data:
            if not isinstance(answer, dict) or str(answer.get("HOIDAPID")) not in known:
                return {"error_code": "-4", "message": "Không có câu hỏi này."}
            if not re.fullmatch(r"\d{2}/\d{2}/\d{4}", str(answer.get("NGAYTRALOI", ""))):
                return {"error_code": "-1", "message": "NGAYTRALOI phải có dạng dd/MM/yyyy."}
            if not str(answer.get("NOIDUNGTRALOI", "")).strip():
                return {"error_code": "-1", "message": "NOIDUNGTRALOI: bắt buộc."}
        with self.lock:
            self.answers += [dict(a) for a in data]
            for answer in data:
                rows = self.question_answers.setdefault(str(answer["HOIDAPID"]), [])
                rows.append(
                    {"TRALOIID": str(9000 + len(self.answers)), "NOIDUNGTRALOI": answer["NOIDUNGTRALOI"]}
                )
        return {"error_code": "0", "message": "Đồng bộ kết quả hỏi đáp thành công"}

    def answers_of(self, question_id) -> dict:
        """LayNoiDungTraLoiTheoCauHoi: the answers the portal holds for one question (§6)."""
        question_id = str(question_id if question_id is not None else "").strip()
        if not question_id:
            return {"error_code": "-1", "message": "cauhoiid: bắt buộc.", "result": []}
        with self.lock:
            known = {str(q.get("HOIDAPID")) for q in self.questions + self.agency_questions}
            if question_id not in known | set(self.faq_ids.values()):
                return {"error_code": "-4", "message": "Không có câu hỏi này.", "result": []}
            return {
                "error_code": "0",
                "message": "",
                "result": [dict(a) for a in self.question_answers.get(question_id, [])],
            }

    def store_faq(self, data) -> dict:
        """DongBoHoiDap: local questions published by the agency (§6); one row per HOIDAPID, a repeat replaces."""
        if not isinstance(data, list) or not data:
            return {"error_code": "-1", "message": "data phải là danh sách hỏi đáp."}
        errors = []
        for row in data:
            if not isinstance(row, dict):
                errors.append("Mỗi hỏi đáp phải là một đối tượng JSON.")
                continue
            errors += [f"{k}: giá trị phải là chuỗi ký tự." for k, v in row.items() if not isinstance(v, str)]
            errors += [f"{k}: bắt buộc." for k in ("HOIDAPID", "NOIDUNG", "MADONVI") if not row.get(k)]
            if row.get("MADONVI") and not AGENCY_CODE_RE.match(str(row["MADONVI"])):
                errors.append("MADONVI: không phải mã định danh cơ quan.")
        if errors:
            return {"error_code": "-1", "message": "Dữ liệu không hợp lệ: " + "; ".join(errors)}
        with self.lock:
            for row in data:
                self.faq = [f for f in self.faq if f["HOIDAPID"] != row["HOIDAPID"]] + [dict(row)]
                self.faq_ids.setdefault(row["HOIDAPID"], str(FAQ_PORTAL_ID_BASE + len(self.faq_ids) + 1))
        return {"error_code": "0", "message": "Đồng bộ hỏi đáp thành công"}

    def agency_faq(self) -> list[dict]:
        """LayDanhSachHoiDapBoCoQuan: the configured agency Q&A, then the rows published with DongBoHoiDap, listed
        back under the portal's own ids (as a portal would), without an answer in the row."""
        with self.lock:
            rows = [dict(q) for q in self.agency_questions]
            for faq in self.faq:
                rows.append(
                    {
                        "HOIDAPID": self.faq_ids[faq["HOIDAPID"]],
                        "MALINHVUC": faq.get("MaLinhVuc", ""),
                        "MADONVI": faq.get("MADONVI", ""),
                        "TENDONVI": faq.get("TENDONVI", ""),
                        "NOIDUNG": faq.get("NOIDUNG", ""),
                        "TRANGTHAI": "1",
                        "TRALOIID": "",
                        "NOIDUNGTRALOI": "",
                    }
                )
        return rows

    def _signed_post(self, path: str, payload: dict, body: dict) -> tuple[int | None, object]:
        """POST `payload` to motcua at `path`, signed like the portal's connector would; (HTTP status, reply)."""
        import urllib.error
        import urllib.request

        from .inbound import SIGNATURE_HEADER, TIMESTAMP_HEADER, signature

        with self.lock:
            url = self.motcua_url.rstrip("/") + path
            secret = str(body.get("secret", self.inbound_secret))
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if not body.get("unsigned"):
            stamp = str(int(body.get("timestamp", time.time())))
            headers |= {TIMESTAMP_HEADER: stamp, SIGNATURE_HEADER: signature(secret, stamp, data)}
        request = urllib.request.Request(url, data=data, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                status, text = response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode("utf-8", "replace")
        except (urllib.error.URLError, OSError) as error:
            return None, f"Không gọi được motcua: {error}"
        try:
            return status, json.loads(text)
        except ValueError:
            return status, text

    def push_dossier(self, body) -> tuple:
        """Push one portal dossier to motcua, signed like the portal's connector would (§10.8)."""
        body = body or {}
        with self.lock:
            dossier = body.get("dossier") or sample_portal_dossier(len(self.pushed) + 1)
        if not self.motcua_url:
            return self._json({"error": "motcua_url chưa được cấu hình."}, "400 Bad Request")
        status, reply = self._signed_post(self.inbound_path, dossier, body)
        if status is None:
            return self._json({"error": reply}, "502 Bad Gateway")
        with self.lock:
            self.pushed.append({"MaHoSo": dossier.get("MaHoSo"), "status": status, "reply": reply})
        return self._json({"status": status, "reply": reply})

    def lookup_payment(self, body) -> tuple:
        """The payment platform asks motcua for a dossier's bill (`dptracuuthanhtoanhs`, §1.2, §10.8).

        A bill (error_code "1") becomes a pending transaction of the platform under its `transaction_id`, payable
        on the payer's page (/thanh-toan/<transaction_id>), whose signed result goes to the bill's
        `UrlThongBao`. Asking again for the same bill keeps the one transaction."""
        body = body or {}
        if not self.motcua_url:
            return self._json({"error": "motcua_url chưa được cấu hình."}, "400 Bad Request")
        payload = (
            body.get("payload") if isinstance(body.get("payload"), dict) else {"MaHoSo": body.get("MaHoSo")}
        )
        status, reply = self._signed_post(self.payment_lookup_path, payload, body)
        if status is None:
            return self._json({"error": reply}, "502 Bad Gateway")
        answer = {"status": status, "reply": reply}
        bill = (
            reply.get("message") if isinstance(reply, dict) and str(reply.get("error_code")) == "1" else None
        )
        if isinstance(bill, dict):
            problem = ""
            if bill.get("client_id") != self.payments.partner_code:
                problem = "client_id không khớp mã đối tác của nền tảng thanh toán."
            try:
                amount = int(bill.get("SoTien", ""))
            except (TypeError, ValueError):
                amount, problem = 0, problem or "SoTien không phải số."
            reference = str(bill.get("transaction_id") or "")
            if not reference:
                problem = problem or "Thiếu transaction_id."
            if problem:
                answer["error"] = problem
            else:
                with self.payments.lock:
                    if reference not in self.payments.transactions:
                        self.payments.transactions[reference] = {
                            "reference": reference,
                            "amount": amount,
                            "description": bill.get("NoiDungThanhToan", ""),
                            "payer": bill.get("HoTenNguoiNop", ""),
                            "callback_url": bill.get("UrlThongBao", ""),
                            "return_url": "",
                            "state": "pending",
                            "transaction_id": "",
                            "paid_at": "",
                            "deliveries": [],
                            "init": bill,
                        }
                answer["UrlThanhToan"] = f"{self.payments.public_url}/thanh-toan/{reference}"
        with self.lock:
            self.payment_lookups.append({"MaHoSo": payload.get("MaHoSo"), "status": status, "reply": reply})
        return self._json(answer)

    def add_progress(self, data) -> dict:
        if not isinstance(data, list) or not data:
            return {"error_code": "-1", "message": "data phải là danh sách tiến trình."}
        errors = []
        for entry in data:
            errors += validate_progress(entry)
        if errors:
            return {"error_code": "-1", "message": "Dữ liệu không hợp lệ: " + "; ".join(errors)}
        with self.lock:
            for entry in data:
                if entry["MaHoSo"] not in self.dossiers:
                    return {"error_code": "-4", "message": f"Hồ sơ {entry['MaHoSo']} không tồn tại"}
            for entry in data:
                self.progress.append(dict(entry) | {"_seq": len(self.progress) + 1})
        return {"error_code": "0", "message": "Cập nhật tiến độ thành công"}

    # --- a minimal OIDC provider (§8) -----------------------------------------------------------------------

    def oidc(self, method, path, raw, environ):
        from urllib.parse import parse_qs, urlencode

        name = path[len("/oauth2/") :].strip("/")
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        form = {k: v[0] for k, v in parse_qs(raw.decode("utf-8", "replace")).items()}
        if name == "authorize" and method == "GET":
            if query.get("client_id") != self.client_id or query.get("response_type") != "code":
                return (
                    "400 Bad Request",
                    "text/plain; charset=utf-8",
                    "Sai client_id hoặc response_type.".encode(),
                )
            if "openid" not in query.get("scope", "").split():
                return "400 Bad Request", "text/plain; charset=utf-8", "Thiếu scope openid.".encode()
            return "200 OK", "text/html; charset=utf-8", self.persona_page(query).encode()
        if name == "authorize" and method == "POST":
            persona = PERSONAS.get(form.get("persona", ""))
            if persona is None or form.get("client_id") != self.client_id:
                return "400 Bad Request", "text/plain; charset=utf-8", "Sai tài khoản thử nghiệm.".encode()
            code = secrets.token_urlsafe(16)
            with self.lock:
                self.codes[code] = {
                    "persona": form["persona"],
                    "redirect_uri": form.get("redirect_uri", ""),
                    "code_challenge": form.get("code_challenge", ""),
                    "nonce": form.get("nonce", ""),
                    "expires": time.monotonic() + 300,
                }
            target = (
                form.get("redirect_uri", "") + "?" + urlencode({"code": code, "state": form.get("state", "")})
            )
            return "302 Found", "text/plain", b"", [("Location", target)]
        if name == "token" and method == "POST":
            if (form.get("client_id"), form.get("client_secret")) != (self.client_id, self.client_secret):
                return self._json({"error": "invalid_client"}, "401 Unauthorized")
            with self.lock:
                grant = self.codes.pop(form.get("code", ""), None)
            if (
                form.get("grant_type") != "authorization_code"
                or grant is None
                or grant["expires"] < time.monotonic()
                or grant["redirect_uri"] != form.get("redirect_uri")
                or not _pkce_ok(grant["code_challenge"], form.get("code_verifier", ""))
            ):
                return self._json({"error": "invalid_grant"}, "400 Bad Request")
            access = secrets.token_urlsafe(24)
            id_token = self.id_token(grant, environ)
            with self.lock:
                self.tokens[access] = {"persona": grant["persona"], "expires": time.time() + 3600}
            return self._json(
                {"access_token": access, "id_token": id_token, "token_type": "Bearer", "expires_in": 3600}
            )
        if name == "jwks" and method == "GET":
            return self._json(KeySet([self.signing_key]).as_dict(private=False))
        if name in ("userinfo", "introspect"):
            bearer = environ.get("HTTP_AUTHORIZATION", "").removeprefix("Bearer ").strip()
            token = form.get("token", bearer) if name == "introspect" else bearer
            with self.lock:
                grant = self.tokens.get(token)
            if grant is None or grant["expires"] < time.time():
                if name == "introspect":
                    return self._json({"active": False})
                return self._json({"error": "invalid_token"}, "401 Unauthorized")
            if name == "introspect":
                return self._json({"active": True, "client_id": self.client_id, "exp": int(grant["expires"])})
            return self._json(PERSONAS[grant["persona"]])
        if name == "logout":
            target = query.get("post_logout_redirect_uri", "")
            if target:
                return "302 Found", "text/plain", b"", [("Location", target)]
            return "200 OK", "text/plain; charset=utf-8", "Đã đăng xuất.".encode()
        return self._json({"error": "not_found"}, "404 Not Found")

    @property
    def signing_key(self) -> RSAKey:
        with self.lock:
            if self._signing_key is None:
                self._signing_key = RSAKey.generate_key(
                    2048, parameters={"kid": secrets.token_hex(8), "use": "sig", "alg": "RS256"}
                )
            return self._signing_key

    def issuer_of(self, environ) -> str:
        return self.issuer or f"http://{environ.get('HTTP_HOST', 'localhost')}"

    def id_token(self, grant: dict, environ) -> str:
        """A signed ID token for the grant's persona (or a deliberately bad one, see ``id_token_fault``)."""
        now = int(time.time())
        claims = {
            "iss": self.issuer_of(environ),
            "aud": self.client_id,
            "sub": PERSONAS[grant["persona"]]["sub"],
            "nonce": grant.get("nonce", ""),
            "iat": now,
            "exp": now + 600,
            "acr": PERSONAS[grant["persona"]].get("loAs", "LoA1"),
        }
        if "IAL" in PERSONAS[grant["persona"]]:
            claims["IAL"] = PERSONAS[grant["persona"]]["IAL"]  # the VNeID identity level, signed
        key = self.signing_key
        fault = self.id_token_fault
        if fault == "forged_signature":
            key = RSAKey.generate_key(2048, parameters={"kid": self.signing_key.kid, "use": "sig"})
        elif fault == "wrong_issuer":
            claims["iss"] = "https://dang-nhap-gia-mao.example"
        elif fault == "wrong_audience":
            claims["aud"] = "another-client"
        elif fault == "wrong_nonce":
            claims["nonce"] = secrets.token_urlsafe(24)
        elif fault == "expired":
            claims["iat"], claims["exp"] = now - 7200, now - 3600
        return jwt.encode({"alg": "RS256", "kid": self.signing_key.kid}, claims, key)

    def persona_page(self, query: dict) -> str:
        import html

        hidden = "".join(
            f'<input type="hidden" name="{k}" value="{html.escape(query.get(k, ""))}">'
            for k in ("client_id", "redirect_uri", "state", "code_challenge", "nonce")
        )
        buttons = "".join(
            f'<button name="persona" value="{key}">{html.escape(p["HoVaTen"])} ({html.escape(label)})</button> '
            for key, (p, label) in ((k, (PERSONAS[k], PERSONA_LABELS[k])) for k in PERSONAS)
        )
        return f"""<!doctype html><html lang="vi"><head><meta charset="utf-8">
<title>Đăng nhập thử nghiệm – Cổng Dịch vụ công quốc gia</title></head><body>
<h1>Đăng nhập thử nghiệm</h1><p>Môi trường mô phỏng: chọn một tài khoản thử nghiệm (số định danh giả).</p>
<form method="post" action="/oauth2/authorize">{hidden}{buttons}</form></body></html>"""

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


def _pkce_ok(challenge: str, verifier: str) -> bool:
    """PKCE (S256): when a challenge was given at authorize, the verifier must match it."""
    if not challenge:
        return True
    import base64
    import hashlib

    digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return secrets.compare_digest(digest, challenge)


class SimulatorServer(LocalServer):
    """The simulator on a local port, in a background thread (`start`) or the calling one (`serve_forever`)."""

    thread_name = "portal-simulator"

    def __init__(self, host: str = "127.0.0.1", port: int = 0, **options):
        super().__init__(PortalSimulator(**options), host, port)

    def bound(self) -> None:
        self.app.payments.public_url = self.url
        self.app.issuer = self.app.issuer or self.url
