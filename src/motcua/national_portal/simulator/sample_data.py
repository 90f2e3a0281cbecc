"""The simulator's fake data: the identity server's personas, the portal's questions, the sample catalog and
agencies, and a dossier submitted on the portal."""

import csv
import json
import re
from datetime import datetime
from pathlib import Path

CATALOG_CSV = Path(__file__).resolve().parent.parent.parent / "catalog" / "data" / "catalog-sample.csv"
ORG_JSON = Path(__file__).resolve().parent.parent.parent / "org" / "data" / "gia_binh.json"

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
