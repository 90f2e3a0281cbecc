"""The simulator's checks of what motcua sends (§10.2): dates, enumerations, required fields, identity codes."""

import re
from datetime import datetime

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
    return (
        _field_errors(hoso)
        + _prefix_errors(hoso, strict_prefix=strict_prefix, agency_codes=agency_codes)
        + _identity_errors(hoso)
        + _link_errors(hoso)
    )


def _field_errors(hoso: dict) -> list[str]:
    """The fields one by one: plain strings (or lists), the required ones present, dates and enumerations."""
    errors = [
        f"{key}: giá trị phải là chuỗi ký tự."
        for key, value in hoso.items()
        if not isinstance(value, str | list)
    ]
    errors += [f"{key}: bắt buộc." for key in REQUIRED if not hoso.get(key)]
    if not hoso.get("NgayTiepNhan") and str(hoso.get("TrangThaiHoSo")) not in NOT_RECEIVED:
        errors.append("NgayTiepNhan: bắt buộc với hồ sơ đã tiếp nhận.")
    for key in DATE_FIELDS:
        value = hoso.get(key, "")
        if value and not valid_date(value):
            errors.append(f"{key}: ngày phải có dạng yyyyMMddHHmmss.")
    for key, allowed in ENUMS.items():
        if key in hoso and str(hoso[key]) not in allowed:
            errors.append(f"{key}: giá trị {hoso[key]!r} không hợp lệ.")
    return errors


def _prefix_errors(hoso: dict, *, strict_prefix: bool, agency_codes) -> list[str]:
    """MaHoSo starts with the receiving agency's code (when the portal checks it, and among the known codes
    when it was given some)."""
    code = str(hoso.get("MaHoSo", ""))
    if not strict_prefix or not code:
        return []
    prefix = code.split("-", 1)[0]
    if not AGENCY_CODE_RE.match(prefix) or (agency_codes and prefix not in agency_codes):
        return ["MaHoSo: phải bắt đầu bằng mã định danh của cơ quan tiếp nhận."]
    return []


def _identity_errors(hoso: dict) -> list[str]:
    """The applicant's identity numbers (DinhDanhCHS): no placeholder, 12 digits for a CCCD, 9 for a CMND."""
    errors = []
    for item in hoso.get("DinhDanhCHS") or []:
        number, kind = str(item.get("SoDinhDanh", "")), str(item.get("LoaiDinhDanh", ""))
        if PLACEHOLDER_IDS.match(number) or (kind == "1" and not re.fullmatch(r"\d{12}", number)):
            errors.append("DinhDanhCHS: số định danh không hợp lệ.")
        elif kind == "2" and not re.fullmatch(r"\d{9}", number):
            errors.append("DinhDanhCHS: số CMND không hợp lệ.")
    return errors


def _is_full_url(value) -> bool:
    return str(value).startswith(("http://", "https://"))


def _link_errors(hoso: dict) -> list[str]:
    """The submitted files and the result papers are given as full download addresses."""
    errors = [
        "TaiLieuNop: DuongDanTaiTepTin phải là địa chỉ tải về đầy đủ."
        for item in hoso.get("TaiLieuNop") or []
        if not _is_full_url(item.get("DuongDanTaiTepTin", ""))
    ]
    errors += [
        "DanhSachGiayToKetQua: DuongDanTepTinKetQua phải là địa chỉ tải về đầy đủ."
        for item in hoso.get("DanhSachGiayToKetQua") or []
        if not _is_full_url(item.get("DuongDanTepTinKetQua", ""))
    ]
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
