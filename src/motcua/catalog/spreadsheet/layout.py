"""The workbook's layout: the sheets, their columns (header, attribute, kind) and the defaults and fields
of the rows each sheet makes."""

from ..models import (
    Fee,
    OnlineLevel,
    Procedure,
    ProcedureFormField,
)

PROCEDURES_SHEET = "Thủ tục"
DOCUMENTS_SHEET = "Thành phần hồ sơ"
FEES_SHEET = "Phí, lệ phí"
FORM_FIELDS_SHEET = "Tờ khai trực tuyến"
IMPLEMENTATIONS_SHEET = "Cơ quan thực hiện"
IMPLEMENTATION_FEES_SHEET = "Phí, lệ phí riêng"

# (header, attribute, kind). Kinds: text, required, decimal, int, bool, date, unit, online, agency, field_code,
# field_name, codes_levels, codes_applicants, status, confidence, procedure_ref.
PROCEDURE_COLUMNS = [
    ("Mã thủ tục", "code", "required"),
    ("Tên thủ tục", "name", "required"),
    ("Mã lĩnh vực", "field_code", "text"),
    ("Tên lĩnh vực", "field_name", "required"),
    ("Cơ quan giải quyết", "agency", "agency"),
    ("Cấp thực hiện", "levels", "codes_levels"),
    ("Đối tượng thực hiện", "applicant_types", "codes_applicants"),
    ("Thời hạn giải quyết", "time_limit_value", "decimal"),
    ("Đơn vị thời hạn", "time_limit_unit", "unit"),
    ("Thời hạn (nguyên văn)", "time_limit_text", "text"),
    ("Thời hạn khi nộp trực tuyến", "online_time_limit_value", "decimal"),
    ("Đơn vị thời hạn trực tuyến", "online_time_limit_unit", "unit"),
    ("Áp dụng mốc 15 giờ", "same_day_cutoff", "bool"),
    ("Mức độ dịch vụ công trực tuyến", "online_level", "online"),
    ("Mức độ (cũ, 1–4)", "online_level_legacy", "int"),
    ("5 tại chỗ", "on_the_spot", "bool"),
    ("Quyết định 5 tại chỗ", "on_the_spot_decision", "text"),
    ("Ngày quyết định 5 tại chỗ", "on_the_spot_decision_date", "date"),
    ("Liên thông", "interlinked", "bool"),
    ("Số bộ hồ sơ", "set_count", "int"),
    ("Cách thức thực hiện", "submission_method", "text"),
    ("Trình tự thực hiện", "execution_steps", "text"),
    ("Yêu cầu, điều kiện thực hiện", "conditions", "text"),
    ("Kết quả thực hiện", "result_type", "text"),
    ("Căn cứ pháp lý", "legal_basis", "text"),
    ("Phí, lệ phí (nguyên văn)", "fee_text", "text"),
    ("Trạng thái", "status", "status"),
    ("Hiệu lực từ ngày", "valid_from", "date"),
    ("Hiệu lực đến ngày", "valid_to", "date"),
    ("Được thay thế bởi (mã)", "superseded_by", "procedure_ref"),
    ("Độ tin cậy nguồn", "source_confidence", "confidence"),
    ("Ghi chú nguồn", "source_note", "text"),
]
DOCUMENT_COLUMNS = [
    ("Mã thủ tục", "procedure", "required"),
    ("STT", "position", "int"),
    ("Tên giấy tờ", "name", "required"),
    ("Số bản chính", "original_count", "int"),
    ("Số bản sao", "copy_count", "int"),
    ("Bản sao có chứng thực", "certified_copy", "bool"),
    ("Bắt buộc", "is_required", "bool"),
    ("Tên mẫu đơn, tờ khai", "form_template_name", "text"),
    ("Phải số hóa", "must_digitise", "bool"),
    ("Được dùng lại", "reusable", "bool"),
    ("Ghi chú", "note", "text"),
]
FEE_COLUMNS = [
    ("Mã thủ tục", "procedure", "required"),
    ("STT", "position", "int"),
    ("Loại", "kind", "fee_kind"),
    ("Nội dung", "description", "required"),
    ("Mức thu (đồng)", "amount", "int"),
    ("Cách tính", "basis", "fee_basis"),
    ("Mức thu tối đa (đồng)", "max_amount", "int"),
    ("Mức thu khi nộp trực tuyến (đồng)", "online_amount", "int"),
    ("Đối tượng miễn, giảm", "exemptions", "text"),
    ("Căn cứ thu", "legal_basis", "text"),
]
FORM_FIELD_COLUMNS = [
    ("Mã thủ tục", "procedure", "required"),
    ("STT", "position", "int"),
    ("Mã trường", "key", "required"),
    ("Nhãn hiển thị", "label", "required"),
    ("Kiểu dữ liệu", "kind", "form_kind"),
    ("Bắt buộc", "is_required", "bool"),
    ("Các lựa chọn", "choices", "choices"),
    ("Hướng dẫn nhập", "help_text", "text"),
]
IMPLEMENTATION_COLUMNS = [
    ("Mã thủ tục", "procedure", "required"),
    ("Cơ quan thực hiện", "agency", "agency"),
    ("Cấp thực hiện", "level", "impl_level"),
    ("Hiệu lực từ ngày", "valid_from", "date"),
    ("Hiệu lực đến ngày", "valid_to", "date"),
    ("Thời hạn giải quyết riêng", "time_limit_value", "decimal"),
    ("Đơn vị thời hạn riêng", "time_limit_unit", "unit"),
    ("Mức độ trực tuyến riêng", "online_level", "online"),
    ("Phí, lệ phí riêng (nguyên văn)", "fee_text", "text"),
    ("Quyết định công bố", "decision", "text"),
]
IMPLEMENTATION_FEE_COLUMNS = [
    ("Mã thủ tục", "procedure", "required"),
    ("Cơ quan thực hiện", "agency", "agency"),
    ("Hiệu lực từ ngày", "valid_from", "date"),
    *FEE_COLUMNS[1:],
]
IMPLEMENTATION_FIELDS = [
    "agency_id",
    "level",
    "valid_from",
    "valid_to",
    "time_limit_value",
    "time_limit_unit",
    "online_level",
    "fee_text",
    "decision",
]
SHEETS = [
    (PROCEDURES_SHEET, PROCEDURE_COLUMNS),
    (DOCUMENTS_SHEET, DOCUMENT_COLUMNS),
    (FEES_SHEET, FEE_COLUMNS),
    (FORM_FIELDS_SHEET, FORM_FIELD_COLUMNS),
    (IMPLEMENTATIONS_SHEET, IMPLEMENTATION_COLUMNS),
    (IMPLEMENTATION_FEES_SHEET, IMPLEMENTATION_FEE_COLUMNS),
]
REQUIRED_HEADERS = {
    PROCEDURES_SHEET: {"Mã thủ tục", "Tên thủ tục", "Tên lĩnh vực", "Cơ quan giải quyết"},
    IMPLEMENTATION_FEES_SHEET: {"Mã thủ tục", "Cơ quan thực hiện", "Nội dung"},
}

DOCUMENT_DEFAULTS = {
    "original_count": 0,
    "copy_count": 0,
    "certified_copy": False,
    "is_required": True,
    "must_digitise": True,
    "reusable": False,
    "position": None,
}
FEE_DEFAULTS = {"kind": Fee.Kind.ADMIN_CHARGE, "basis": Fee.Basis.FIXED, "position": None}
FORM_FIELD_DEFAULTS = {"kind": ProcedureFormField.Kind.TEXT, "is_required": False, "position": None}
FORM_FIELD_FIELDS = ["position", "key", "label", "kind", "is_required", "choices", "help_text"]
PROCEDURE_DEFAULTS = {
    "same_day_cutoff": False,
    "on_the_spot": False,
    "interlinked": False,
    "set_count": 1,
    "online_level": OnlineLevel.NONE,
    "status": Procedure.Status.PUBLISHED,
    "source_confidence": Procedure.Confidence.OFFICIAL,
    "applicant_types": "citizen",
}
TRUE_WORDS = {"co", "x", "1", "true", "yes", "dung"}
FALSE_WORDS = {"khong", "0", "false", "no", "sai", ""}
DOCUMENT_FIELDS = [
    "position",
    "name",
    "original_count",
    "copy_count",
    "certified_copy",
    "is_required",
    "form_template_name",
    "must_digitise",
    "reusable",
    "note",
]
FEE_FIELDS = [
    "position",
    "kind",
    "description",
    "amount",
    "basis",
    "max_amount",
    "online_amount",
    "exemptions",
    "legal_basis",
]
