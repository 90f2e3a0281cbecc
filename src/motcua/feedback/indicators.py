"""The 9 evaluation indicators of Decree 61/2018 Chapter VI and Circular 01/2018 (0, 1 or 2 points each), and
the national portal's overall question. Source: the project's domain reference, section 7.1 (Thanh Hóa's
TieuChiDanhGiaHaiLong.json). Only the 2-point threshold of indicator 5 is known; its other answer is 0 points.
"""

from django.utils.translation import gettext_lazy as _

INDICATORS = [
    (
        1,
        _("Tổng thời gian giải quyết hồ sơ so với thời hạn theo quy định"),
        {2: _("Sớm hơn"), 1: _("Bằng"), 0: _("Muộn hơn")},
    ),
    (
        2,
        _("Thời gian thực hiện của từng cơ quan, tổ chức (kể cả cơ quan phối hợp)"),
        {2: _("Sớm hơn"), 1: _("Bằng"), 0: _("Muộn hơn")},
    ),
    (
        3,
        _("Số lần phải liên hệ với nơi tiếp nhận để hoàn thiện hồ sơ"),
        {2: _("Không lần nào"), 1: _("Một lần"), 0: _("Nhiều hơn một lần (không do lỗi của người nộp)")},
    ),
    (
        4,
        _("Số cơ quan, tổ chức phải liên hệ"),
        {2: _("Không phải liên hệ"), 1: _("Chỉ Bộ phận Một cửa"), 0: _("Nhiều hơn")},
    ),
    (
        5,
        _("Tiếp nhận, thẩm định, phê duyệt tại Bộ phận Một cửa"),
        {2: _("Có, thực hiện tại Bộ phận Một cửa"), 0: _("Không")},
    ),
    (
        6,
        _("Công khai thủ tục hành chính"),
        {
            2: _("Niêm yết và công khai điện tử"),
            1: _("Chỉ một trong hai"),
            0: _("Không công khai hoặc không chính xác"),
        },
    ),
    (
        7,
        _("Thái độ của cán bộ"),
        {
            2: _("Trả kết quả sớm, không có phản ánh"),
            1: _("Đúng hẹn, không có phản ánh"),
            0: _("Có phản ánh đúng sự thật"),
        },
    ),
    (
        8,
        _("Việc tiếp nhận, xử lý ý kiến phản ánh, kiến nghị"),
        {
            2: _("Không có, hoặc xử lý 100% đúng hạn"),
            1: _("Đúng hạn từ 90% trở lên"),
            0: _("Dưới 90%, hoặc kéo dài"),
        },
    ),
    (
        9,
        _("Cung cấp dịch vụ công trực tuyến"),
        {
            2: _("Nộp trực tuyến thuận tiện, không có hồ sơ trực tuyến trễ hạn"),
            1: _("Có nộp trực tuyến nhưng chưa thuận tiện"),
            0: _("Không có hoặc không dùng được"),
        },
    ),
]

INDICATOR_NUMBERS = [number for number, _label, _choices in INDICATORS]

# Indicators 7-9 are facts about the agency's records, not opinions a citizen can give: whether the result came
# early or on time with no substantiated complaint (7), how the agency handled recommendations (8), how far its
# online services went (9). The citizen is asked 1-6; `feedback.services.record_points` sets 7-9 from the data.
ASKED = (1, 2, 3, 4, 5, 6)
FROM_RECORDS = (7, 8, 9)
RECORD_RULES = {
    7: _(
        "2 điểm: trả kết quả trước hạn và không có phản ánh về hồ sơ; 1 điểm: đúng hạn, không có phản ánh; "
        "0 điểm: trễ hạn hoặc có phản ánh về hồ sơ."
    ),
    8: _(
        "Phản ánh, kiến nghị cơ quan giải quyết đã xử lý trong 12 tháng: không có hoặc 100% đúng hạn 2 điểm; "
        "từ 90% 1 điểm; dưới 90% 0 điểm."
    ),
    9: _(
        "Trong 12 tháng: thủ tục trực tuyến từ 20% và hồ sơ trực tuyến từ 30%, không hồ sơ trực tuyến trễ hạn "
        "2 điểm; hồ sơ trực tuyến từ 15% 1 điểm; còn lại 0 điểm."
    ),
}
MAX_POINTS = sum(max(choices) for _n, _l, choices in INDICATORS)


OVERALL_CHOICES = [
    ("very_satisfied", _("Rất hài lòng")),
    ("satisfied", _("Hài lòng")),
    ("dissatisfied", _("Không hài lòng")),
]
