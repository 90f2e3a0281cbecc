"""The portal's sync endpoints: session login, fault injection and the operations (dossiers, progress, catalog,
questions and answers)."""

import re
import secrets
import time

from .sample_data import FAQ_PORTAL_ID_BASE
from .validation import AGENCY_CODE_RE, validate_dossier, validate_progress


class SyncMixin:
    """The session and the ``service`` operations of PortalSimulator."""

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
        if self.latency:
            time.sleep(
                self.latency
            )  # outside the lock: calls in flight wait side by side, as at a real portal
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

    # Each operation (``service``) and the method answering it; every method takes the request body.
    OPERATION_HANDLERS = {
        "DongBoHoSoMC:insert": "insert_dossiers",
        "DongBoHoSoMC:update": "update_dossiers",
        "CapNhatTienDoHoSoMC": "progress_update",
        "TraCuuHoSo": "lookup_dossier",
        "LayThuTuc": "procedure_detail",
        "LayDanhSachTTHC": "procedure_list",
        "LayDanhSachHoiDapGuiTuDVCQG": "portal_question_list",
        "LayDanhSachHoiDapBoCoQuan": "agency_question_list",
        "DongBoKetQuaHoiDapGuiTuDVCQG": "answers_update",
        "LayNoiDungTraLoiTheoCauHoi": "answers_lookup",
        "LayDanhMucCoQuan": "agency_list",
        "DongBoHoiDap": "faq_update",
        "LayDanhMucLinhVuc": "field_list",
    }

    def handle(self, operation, body) -> dict:
        """The portal's reply to one operation; an operation it does not know is refused."""
        handler = self.OPERATION_HANDLERS.get(operation)
        if handler is None:
            return {"error_code": "-5", "message": f"Không hỗ trợ dịch vụ {operation}."}
        return getattr(self, handler)(body)

    def insert_dossiers(self, body) -> dict:
        """DongBoHoSoMC (new dossiers)."""
        return self.sync_dossiers(body.get("data"), updating=False)

    def update_dossiers(self, body) -> dict:
        """DongBoHoSoMC with isUpdating (dossiers the portal already holds)."""
        return self.sync_dossiers(body.get("data"), updating=True)

    def progress_update(self, body) -> dict:
        """CapNhatTienDoHoSoMC: progress entries."""
        return self.add_progress(body.get("data"))

    def lookup_dossier(self, body) -> dict:
        """TraCuuHoSo: one dossier as the portal holds it, with its progress history when that is switched on."""
        code = str(body.get("mahoso", ""))
        with self.lock:
            stored = self.dossiers.get(code)
            if stored is None:
                return {"error_code": "0", "message": "", "result": []}
            row = dict(stored)
            if self.lookup_history:
                row["QuaTrinhXuLy"] = [e for e in self.progress if e["MaHoSo"] == code]
        return {"error_code": "0", "message": "", "result": [row]}

    def procedure_detail(self, body) -> dict:
        """LayThuTuc: one procedure of the national catalog by its code."""
        code = str(body.get("maTTHC", ""))
        found = [p for p in self.catalog if p["MATTHC"] == code]
        if not found:
            return {"error_code": "-4", "message": "Không có thủ tục này.", "result": []}
        return {"error_code": 0, "result": found}

    def procedure_list(self, body) -> dict:
        """LayDanhSachTTHC: the codes and names of the national catalog."""
        return {
            "error_code": 0,
            "result": [{"MATTHC": p["MATTHC"], "TENTTHC": p["TENTTHC"]} for p in self.catalog],
        }

    def portal_question_list(self, body) -> dict:
        """LayDanhSachHoiDapGuiTuDVCQG: the questions citizens asked on the portal."""
        with self.lock:
            return {"error_code": "0", "result": [dict(q) for q in self.questions]}

    def agency_question_list(self, body) -> dict:
        """LayDanhSachHoiDapBoCoQuan: the questions and answers published by the agencies."""
        return {"error_code": "0", "result": self.agency_faq()}

    def answers_update(self, body) -> dict:
        """DongBoKetQuaHoiDapGuiTuDVCQG: the answers to the portal's questions."""
        return self.store_answers(body.get("data"))

    def answers_lookup(self, body) -> dict:
        """LayNoiDungTraLoiTheoCauHoi: the answers to one question."""
        return self.answers_of(body.get("cauhoiid"))

    def agency_list(self, body) -> dict:
        """LayDanhMucCoQuan: the agencies the portal knows."""
        with self.lock:
            return {"error_code": 0, "result": [dict(a) for a in self.agencies]}

    def faq_update(self, body) -> dict:
        """DongBoHoiDap: the agency's own questions and answers."""
        return self.store_faq(body.get("data"))

    def field_list(self, body) -> dict:
        """LayDanhMucLinhVuc: the fields (lĩnh vực) of the national catalog, under the unit's code."""
        fields = {f["MALINHVUC"]: f["TENLINHVUC"] for p in self.catalog for f in p["LINHVUCTHUCHIEN"]}
        return {
            "error_code": 0,
            "result": [
                {"MALINHVUC": k, "TENLINHVUC": v, "MANGANH": self.unit_code} for k, v in fields.items()
            ],
        }

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
