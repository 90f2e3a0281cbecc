"""Data of the demo catalog: agencies, fields, documents and fees of the sample procedures, generated procedures.

See data/SOURCES.md. Generated procedures carry realistic district-level names for their field; their codes
(9.xxxxxx), time limits, documents and fees are invented and flagged "generated".
"""

from decimal import Decimal

# Agencies of INTERFACES.md that the catalog needs: short_name -> (name, kind, identity_code).
AGENCIES = {
    "UBND-GB": ("Ủy ban nhân dân huyện Gia Bình", "peoples_committee", "000.00.99.H06"),
    "TTHCC": ("Trung tâm Hành chính công huyện Gia Bình", "public_admin_center", "000.20.99.H06"),
    "TP": ("Phòng Tư pháp", "district_office", "000.01.99.H06"),
    "TCKH": ("Phòng Tài chính – Kế hoạch", "district_office", "000.02.99.H06"),
    "GDDT": ("Phòng Giáo dục và Đào tạo", "district_office", "000.03.99.H06"),
    "KTHT": ("Phòng Kinh tế và Hạ tầng", "district_office", "000.04.99.H06"),
    "TNMT": ("Phòng Tài nguyên và Môi trường", "district_office", "000.05.99.H06"),
    "LDTBXH": ("Phòng Lao động – Thương binh và Xã hội", "district_office", "000.06.99.H06"),
    "VHTT": ("Phòng Văn hóa và Thông tin", "district_office", "000.07.99.H06"),
    "NV": ("Phòng Nội vụ", "district_office", "000.08.99.H06"),
    "NNPTNT": ("Phòng Nông nghiệp và Phát triển nông thôn", "district_office", "000.09.99.H06"),
    "YT": ("Phòng Y tế", "district_office", "000.10.99.H06"),
    "VPDKDD": ("Chi nhánh Văn phòng Đăng ký đất đai huyện Gia Bình", "vertical_agency", "000.11.99.H06"),
    "CCT": ("Chi cục Thuế khu vực (Gia Bình)", "vertical_agency", "000.12.99.H06"),
}
CENTER_AGENCY = "TTHCC"
# The 12 agencies with procedures at the center, and how many of their procedures are "5 tại chỗ" (53 in all;
# the land-registration branch and the tax office do not apply it in the demo).
ON_THE_SPOT_PER_AGENCY = {
    "TP": 10,
    "TCKH": 8,
    "GDDT": 4,
    "KTHT": 5,
    "TNMT": 4,
    "LDTBXH": 6,
    "VHTT": 4,
    "NV": 4,
    "NNPTNT": 4,
    "YT": 4,
    "VPDKDD": 0,
    "CCT": 0,
}
ON_THE_SPOT_DECISION = "1691/QĐ-UBND"
ON_THE_SPOT_DECISION_DATE = "2021-12-29"
TARGET_PROCEDURE_COUNT = 288

# Field of the sample CSV -> (field code, field name shown, resolving agency at the district center).
SAMPLE_FIELDS = {
    "Hộ tịch": ("ho-tich", "Hộ tịch", "TP"),
    "Chứng thực": ("chung-thuc", "Chứng thực", "TP"),
    "Thành lập và hoạt động của hộ kinh doanh": (
        "ho-kinh-doanh",
        "Thành lập và hoạt động của hộ kinh doanh",
        "TCKH",
    ),
    "Hoạt động xây dựng": ("hoat-dong-xay-dung", "Hoạt động xây dựng", "KTHT"),
    "Giáo dục": ("giao-duc", "Giáo dục và Đào tạo", "GDDT"),
    "Bảo trợ xã hội": ("bao-tro-xa-hoi", "Bảo trợ xã hội", "LDTBXH"),
    "Giảm nghèo": ("giam-ngheo", "Giảm nghèo", "LDTBXH"),
    "Người có công": ("nguoi-co-cong", "Người có công", "LDTBXH"),
    "Người có công / chính sách": ("nguoi-co-cong", "Người có công", "LDTBXH"),
    "Đất đai": ("dat-dai", "Đất đai", "VPDKDD"),
    # Residence is the commune police's; the district center only hands the dossier over (liên thông).
    "Cư trú": ("cu-tru", "Đăng ký, quản lý cư trú", "UBND-GB"),
}
# Online service level by field, following the article: civil status, household business and school transfer
# are received fully online.
SAMPLE_ONLINE_LEVEL = {"ho-tich": "full", "ho-kinh-doanh": "full"}
FULL_ONLINE_CODES = {"2.002481"}

# Vietnamese wording of the sample's time limits that have no single value (the CSV's text is English).
SAMPLE_TIME_TEXT = {
    "1.001193": "Ngay trong ngày tiếp nhận; nhận sau 15 giờ thì trả kết quả trong ngày làm việc tiếp theo",
    "2.000635": "Ngay trong ngày tiếp nhận; nhận sau 15 giờ thì trả kết quả trong ngày làm việc tiếp theo",
    "1.000894": "Ngay trong ngày tiếp nhận; trường hợp cần xác minh không quá 05 ngày làm việc",
    "1.000656": "Ngay trong ngày tiếp nhận; trường hợp cần xác minh không quá 03 ngày làm việc",
    "2.000528": "Trong ngày hoặc 03 ngày làm việc (chưa xác định chắc chắn)",
    "3.000182": "Theo kế hoạch tuyển sinh",
    "1.001776": "Khoảng 15–22 ngày làm việc",
    "1.014027": "Chưa xác định",
    "1.001731": "Khoảng 03–05 ngày làm việc",
    "1.001699": "Khoảng 20–25 ngày làm việc",
    "1.011606": "Theo đợt rà soát",
    "1.011607": "Theo đợt rà soát",
    "2.002307": "Chưa xác định",
    "2.002308": "Chưa xác định",
    "1.001022": "03 ngày làm việc; trường hợp cần xác minh thêm không quá 05 ngày làm việc",
    "1.004873": "03 ngày làm việc; trường hợp cần xác minh không quá 23 ngày",
    "1.000881": "03 ngày làm việc; trường hợp cần xác minh thêm không quá 03 ngày làm việc",
    "1.013225": "15 ngày (Luật Xây dựng 2014, sửa đổi 2020)",
    "1.013226": "15 ngày",
}

# Result and legal basis of the best-known sample procedures (general knowledge, not checked for the demo).
SAMPLE_RESULTS = {
    "1.001193": ("Giấy khai sinh (bản chính)", "Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP"),
    "1.000894": ("Giấy chứng nhận kết hôn", "Luật Hôn nhân và gia đình 2014; Luật Hộ tịch 2014"),
    "1.001612": ("Giấy chứng nhận đăng ký hộ kinh doanh", "Nghị định 01/2021/NĐ-CP về đăng ký doanh nghiệp"),
    "1.013225": ("Giấy phép xây dựng", "Luật Xây dựng 2014, sửa đổi, bổ sung năm 2020"),
    "2.002481": ("Ý kiến chấp thuận chuyển trường của nhà trường nơi đến", ""),
    "2.000815": ("Bản sao được chứng thực từ bản chính", "Nghị định 23/2015/NĐ-CP"),
}

# Documents and fees of the best-known sample procedures.
# Document: (name, original_count, copy_count, form_template_name, is_required, reusable)
# Fee: (kind, description, amount, basis, max_amount, online_amount, exemptions, legal_basis)
SAMPLE_DOCUMENTS = {
    "1.001193": [
        ("Tờ khai đăng ký khai sinh theo mẫu", 1, 0, "Tờ khai đăng ký khai sinh", True, False),
        ("Giấy chứng sinh hoặc giấy tờ thay Giấy chứng sinh", 1, 0, "", True, False),
        ("Văn bản ủy quyền (trường hợp ủy quyền đăng ký khai sinh)", 1, 0, "", False, False),
    ],
    "1.000894": [
        ("Tờ khai đăng ký kết hôn theo mẫu", 1, 0, "Tờ khai đăng ký kết hôn", True, False),
        (
            "Giấy xác nhận tình trạng hôn nhân (trường hợp đăng ký kết hôn tại nơi không thường trú)",
            1,
            0,
            "",
            False,
            True,
        ),
    ],
    "1.001612": [
        ("Giấy đề nghị đăng ký hộ kinh doanh", 1, 0, "Giấy đề nghị đăng ký hộ kinh doanh", True, False),
        (
            "Giấy tờ pháp lý của cá nhân đối với các thành viên hộ gia đình đăng ký hộ kinh doanh",
            0,
            1,
            "",
            True,
            True,
        ),
        (
            "Văn bản ủy quyền của thành viên hộ gia đình cho một thành viên làm chủ hộ kinh doanh",
            1,
            0,
            "",
            False,
            False,
        ),
        ("Bản sao hợp đồng thuê, mượn địa điểm kinh doanh (nếu có)", 0, 1, "", False, False),
    ],
    "1.013225": [
        (
            "Đơn đề nghị cấp giấy phép xây dựng theo mẫu",
            1,
            0,
            "Đơn đề nghị cấp giấy phép xây dựng",
            True,
            False,
        ),
        ("Giấy tờ chứng minh quyền sử dụng đất theo quy định của pháp luật về đất đai", 0, 1, "", True, True),
        ("Bản vẽ thiết kế xây dựng (mặt bằng, mặt cắt, mặt đứng, móng)", 2, 0, "", True, False),
    ],
    "2.002481": [
        ("Đơn xin chuyển trường do cha mẹ hoặc người giám hộ ký", 1, 0, "Đơn xin chuyển trường", True, False),
        ("Học bạ", 1, 0, "", True, False),
        ("Giấy giới thiệu chuyển trường do hiệu trưởng nhà trường nơi đi cấp", 1, 0, "", True, False),
    ],
    "2.000815": [
        ("Bản chính giấy tờ, văn bản làm cơ sở để chứng thực bản sao", 1, 0, "", True, False),
        ("Bản sao cần chứng thực (nếu người yêu cầu tự chuẩn bị)", 0, 1, "", False, False),
    ],
    "2.000884": [
        ("Giấy tờ, văn bản mà người yêu cầu chứng thực sẽ ký", 1, 0, "", True, False),
        ("Giấy tờ tùy thân còn giá trị sử dụng của người yêu cầu chứng thực", 1, 0, "", True, True),
    ],
}
SAMPLE_FEES = {
    "1.001193": [
        (
            "admin_charge",
            "Lệ phí đăng ký khai sinh",
            0,
            "fixed",
            None,
            None,
            "Miễn lệ phí khi đăng ký khai sinh đúng hạn",
            "Luật Hộ tịch, Điều 11",
        )
    ],
    "1.000894": [
        (
            "admin_charge",
            "Lệ phí đăng ký kết hôn",
            0,
            "fixed",
            None,
            None,
            "Miễn lệ phí cho công dân Việt Nam cư trú trong nước",
            "",
        )
    ],
    "1.001612": [
        (
            "admin_charge",
            "Lệ phí đăng ký hộ kinh doanh",
            100_000,
            "fixed",
            None,
            0,
            "Miễn lệ phí khi đăng ký qua mạng điện tử",
            "Theo Nghị quyết của HĐND tỉnh (mức mẫu)",
        )
    ],
    "1.013225": [
        (
            "admin_charge",
            "Lệ phí cấp giấy phép xây dựng nhà ở riêng lẻ",
            75_000,
            "fixed",
            None,
            None,
            "",
            "Theo Nghị quyết của HĐND tỉnh (mức mẫu)",
        )
    ],
    "2.000815": [
        (
            "service_fee",
            "Phí chứng thực bản sao từ bản chính: 2.000 đồng/trang từ trang thứ 1 đến trang thứ 2, từ trang thứ 3 "
            "trở lên 1.000 đồng/trang",
            2_000,
            "per_page",
            200_000,
            None,
            "",
            "Thông tư 226/2016/TT-BTC",
        )
    ],
    "2.000884": [
        (
            "service_fee",
            "Phí chứng thực chữ ký",
            10_000,
            "per_case",
            None,
            None,
            "",
            "Thông tư 226/2016/TT-BTC",
        )
    ],
    "2.000942": [("service_fee", "Phí chứng thực bản sao", 2_000, "per_page", None, None, "", "")],
    "2.001035": [("service_fee", "Phí chứng thực hợp đồng, giao dịch", 50_000, "fixed", None, None, "", "")],
    "2.000992": [("service_fee", "Phí chứng thực chữ ký người dịch", 10_000, "per_case", None, None, "", "")],
    "2.001008": [("service_fee", "Phí chứng thực chữ ký người dịch", 10_000, "per_case", None, None, "", "")],
    "2.000635": [
        (
            "service_fee",
            "Phí cấp bản sao trích lục hộ tịch",
            8_000,
            "per_copy",
            None,
            None,
            "",
            "Thông tư 281/2016/TT-BTC",
        )
    ],
}

# Generic documents for procedures without their own list.
GENERIC_DOCUMENTS = [
    ("Đơn hoặc tờ khai đề nghị theo mẫu", 1, 0, "Đơn đề nghị", True, False),
    ("Giấy tờ chứng minh đủ điều kiện theo quy định của thủ tục", 0, 1, "", True, False),
]

WD = "working_days"
CD = "calendar_days"
SD = "same_day"

# Generated procedures: agency -> [(field code, field name, (time value, unit), online level, fee, [names])].
# fee: None = no fee, "HĐND" = set by the provincial People's Council (amount not fixed), int = demo amount.
GENERATED = {
    "TP": [
        (
            "ho-tich",
            "Hộ tịch",
            (Decimal(10), WD),
            "full",
            "HĐND",
            [
                "Đăng ký khai tử có yếu tố nước ngoài",
                "Đăng ký nhận cha, mẹ, con có yếu tố nước ngoài",
                "Đăng ký giám hộ có yếu tố nước ngoài",
                "Đăng ký lại khai sinh có yếu tố nước ngoài",
                "Ghi vào Sổ hộ tịch việc hộ tịch của công dân Việt Nam đã được giải quyết tại cơ quan có thẩm quyền "
                "của nước ngoài",
                "Ghi vào Sổ hộ tịch việc kết hôn của công dân Việt Nam đã được giải quyết tại cơ quan có thẩm quyền "
                "của nước ngoài",
                "Xác định lại dân tộc",
            ],
        ),
        (
            "chung-thuc",
            "Chứng thực",
            (None, SD),
            "partial",
            10_000,
            [
                "Chứng thực việc sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch",
                "Sửa lỗi sai sót trong hợp đồng, giao dịch đã được chứng thực",
                "Chứng thực văn bản thỏa thuận phân chia di sản",
            ],
        ),
        (
            "boi-thuong-nha-nuoc",
            "Bồi thường nhà nước",
            (Decimal(30), WD),
            "none",
            None,
            [
                "Giải quyết yêu cầu bồi thường tại cơ quan trực tiếp quản lý người thi hành công vụ gây thiệt hại"
            ],
        ),
        (
            "pho-bien-giao-duc-phap-luat",
            "Phổ biến, giáo dục pháp luật",
            (Decimal(5), WD),
            "partial",
            None,
            ["Công nhận báo cáo viên pháp luật cấp huyện"],
        ),
    ],
    "TCKH": [
        (
            "hop-tac-xa",
            "Thành lập và hoạt động của hợp tác xã",
            (Decimal(3), WD),
            "full",
            "HĐND",
            [
                "Đăng ký thành lập hợp tác xã",
                "Đăng ký thành lập chi nhánh, văn phòng đại diện, địa điểm kinh doanh của hợp tác xã",
                "Đăng ký thay đổi tên, địa chỉ trụ sở chính, ngành, nghề sản xuất, kinh doanh của hợp tác xã",
                "Đăng ký khi hợp tác xã chia",
                "Đăng ký khi hợp tác xã tách",
                "Đăng ký khi hợp tác xã hợp nhất",
                "Đăng ký khi hợp tác xã sáp nhập",
                "Cấp lại giấy chứng nhận đăng ký hợp tác xã",
                "Giải thể tự nguyện hợp tác xã",
                "Tạm ngừng hoạt động của hợp tác xã",
                "Thông báo thay đổi nội dung đăng ký hợp tác xã",
                "Chấm dứt hoạt động của chi nhánh, văn phòng đại diện, địa điểm kinh doanh của hợp tác xã",
            ],
        ),
        (
            "ho-kinh-doanh",
            "Thành lập và hoạt động của hộ kinh doanh",
            (Decimal(3), WD),
            "full",
            None,
            ["Đăng ký thay đổi chủ hộ kinh doanh"],
        ),
        (
            "quan-ly-cong-san",
            "Quản lý công sản",
            (Decimal(15), WD),
            "none",
            None,
            [
                "Quyết định mua sắm tài sản công phục vụ hoạt động của cơ quan, tổ chức, đơn vị",
                "Quyết định thanh lý tài sản công",
                "Quyết định điều chuyển tài sản công",
                "Thẩm định đề án cho thuê, liên doanh, liên kết tài sản công",
            ],
        ),
        (
            "tai-chinh-ngan-sach",
            "Tài chính ngân sách",
            (Decimal(10), WD),
            "partial",
            None,
            [
                "Thẩm tra, phê duyệt quyết toán vốn đầu tư dự án hoàn thành thuộc ngân sách cấp huyện",
                "Cấp mã số đơn vị có quan hệ với ngân sách",
            ],
        ),
        (
            "dau-tu-cong",
            "Đầu tư công",
            (Decimal(20), WD),
            "none",
            None,
            ["Thẩm định dự án đầu tư công nhóm C sử dụng vốn ngân sách cấp huyện"],
        ),
    ],
    "GDDT": [
        (
            "giao-duc",
            "Giáo dục và Đào tạo",
            (Decimal(20), WD),
            "partial",
            None,
            [
                "Thành lập trường mầm non công lập hoặc cho phép thành lập trường mầm non dân lập, tư thục",
                "Cho phép trường mầm non hoạt động giáo dục",
                "Sáp nhập, chia, tách trường mầm non",
                "Giải thể trường mầm non",
                "Thành lập trường tiểu học công lập, cho phép thành lập trường tiểu học tư thục",
                "Cho phép trường tiểu học hoạt động giáo dục",
                "Sáp nhập, chia, tách trường tiểu học",
                "Giải thể trường tiểu học",
                "Thành lập trường trung học cơ sở công lập hoặc cho phép thành lập trường trung học cơ sở tư thục",
                "Cho phép trường trung học cơ sở hoạt động giáo dục",
                "Sáp nhập, chia, tách trường trung học cơ sở",
                "Giải thể trường trung học cơ sở",
                "Cấp phép hoạt động giáo dục kỹ năng sống và hoạt động giáo dục ngoài giờ chính khóa",
                "Cho phép trung tâm học tập cộng đồng hoạt động trở lại",
                "Công nhận xã đạt chuẩn phổ cập giáo dục, xóa mù chữ",
            ],
        ),
        (
            "giao-duc",
            "Giáo dục và Đào tạo",
            (Decimal(3), WD),
            "full",
            None,
            [
                "Chuyển trường đối với học sinh tiểu học",
                "Tiếp nhận đối tượng học bổ túc trung học cơ sở",
                "Cấp giấy phép dạy thêm, học thêm đối với cấp trung học cơ sở",
            ],
        ),
        (
            "giao-duc",
            "Giáo dục và Đào tạo",
            (Decimal(10), WD),
            "partial",
            None,
            [
                "Xét, duyệt chính sách hỗ trợ đối với học sinh bán trú đang học tại các trường tiểu học, "
                "trung học cơ sở",
                "Hỗ trợ ăn trưa đối với trẻ em mẫu giáo",
                "Xét cấp hỗ trợ học tập cho trẻ mẫu giáo, học sinh tiểu học, trung học cơ sở",
            ],
        ),
        (
            "van-bang-chung-chi",
            "Văn bằng, chứng chỉ",
            (Decimal(1), WD),
            "full",
            None,
            ["Cấp bản sao văn bằng, chứng chỉ từ sổ gốc", "Chỉnh sửa nội dung văn bằng, chứng chỉ"],
        ),
    ],
    "KTHT": [
        (
            "hoat-dong-xay-dung",
            "Hoạt động xây dựng",
            (Decimal(15), CD),
            "partial",
            "HĐND",
            [
                "Cấp giấy phép xây dựng sửa chữa, cải tạo công trình",
                "Cấp giấy phép di dời công trình",
                "Cấp giấy phép xây dựng có thời hạn",
                "Thẩm định báo cáo kinh tế - kỹ thuật đầu tư xây dựng",
                "Thẩm định thiết kế xây dựng triển khai sau thiết kế cơ sở",
            ],
        ),
        (
            "quy-hoach-xay-dung",
            "Quy hoạch xây dựng, kiến trúc",
            (Decimal(15), WD),
            "partial",
            None,
            [
                "Thẩm định nhiệm vụ, nhiệm vụ điều chỉnh quy hoạch chi tiết của dự án đầu tư xây dựng",
                "Thẩm định đồ án, đồ án điều chỉnh quy hoạch chi tiết của dự án đầu tư xây dựng",
                "Cấp giấy phép quy hoạch dự án đầu tư xây dựng",
                "Cung cấp thông tin về quy hoạch xây dựng",
            ],
        ),
        (
            "giao-thong-duong-bo",
            "Đường bộ",
            (Decimal(7), WD),
            "partial",
            None,
            [
                "Cấp phép thi công nút giao đấu nối vào đường huyện, đường xã",
                "Cấp phép thi công công trình đường bộ trên đường huyện, đường xã đang khai thác",
                "Cấp giấy phép lưu hành xe quá tải trọng, xe quá khổ giới hạn trên đường huyện",
                "Cấp phép sử dụng tạm thời một phần lòng đường, hè phố không vào mục đích giao thông",
            ],
        ),
        (
            "ha-tang-ky-thuat",
            "Hạ tầng kỹ thuật",
            (Decimal(10), WD),
            "partial",
            None,
            [
                "Cấp giấy phép chặt hạ, dịch chuyển cây xanh đô thị",
                "Cấp giấy phép đào đường, hè phố để lắp đặt công trình hạ tầng kỹ thuật",
                "Cho thuê nhà ở công vụ thuộc thẩm quyền quản lý của Ủy ban nhân dân cấp huyện",
            ],
        ),
        (
            "luu-thong-hang-hoa",
            "Lưu thông hàng hóa trong nước",
            (Decimal(10), WD),
            "full",
            "HĐND",
            [
                "Cấp Giấy phép bán lẻ sản phẩm thuốc lá",
                "Cấp sửa đổi, bổ sung Giấy phép bán lẻ sản phẩm thuốc lá",
                "Cấp lại Giấy phép bán lẻ sản phẩm thuốc lá",
                "Cấp Giấy phép bán lẻ rượu",
                "Cấp sửa đổi, bổ sung Giấy phép bán lẻ rượu",
                "Cấp lại Giấy phép bán lẻ rượu",
                "Cấp Giấy phép sản xuất rượu thủ công nhằm mục đích kinh doanh",
                "Cấp Giấy chứng nhận cửa hàng đủ điều kiện bán lẻ LPG chai",
            ],
        ),
        (
            "an-toan-thuc-pham-cong-thuong",
            "An toàn thực phẩm (Công Thương)",
            (Decimal(20), WD),
            "partial",
            "HĐND",
            ["Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm lĩnh vực công thương"],
        ),
        (
            "dien",
            "Điện",
            (Decimal(15), WD),
            "partial",
            "HĐND",
            ["Cấp giấy phép hoạt động phát điện đối với nhà máy điện có quy mô công suất dưới 3MW"],
        ),
    ],
    "TNMT": [
        (
            "dat-dai",
            "Đất đai",
            (Decimal(20), WD),
            "partial",
            None,
            [
                "Giao đất, cho thuê đất cho hộ gia đình, cá nhân không thông qua đấu giá quyền sử dụng đất",
                "Chuyển mục đích sử dụng đất phải được phép của cơ quan nhà nước có thẩm quyền đối với hộ gia "
                "đình, cá nhân",
                "Thu hồi đất do chấm dứt việc sử dụng đất theo pháp luật, tự nguyện trả lại đất đối với hộ gia "
                "đình, cá nhân",
                "Gia hạn sử dụng đất đối với hộ gia đình, cá nhân",
                "Giải quyết tranh chấp đất đai thuộc thẩm quyền của Chủ tịch Ủy ban nhân dân cấp huyện",
                "Thẩm định nhu cầu sử dụng đất để xem xét giao đất, cho thuê đất đối với hộ gia đình, cá nhân",
                "Điều chỉnh quyết định thu hồi đất, giao đất, cho thuê đất của Ủy ban nhân dân cấp huyện",
                "Giao đất làm nhà ở đối với hộ gia đình, cá nhân tại nông thôn không thuộc trường hợp phải đấu giá "
                "quyền sử dụng đất",
                "Phê duyệt phương án bồi thường, hỗ trợ và tái định cư",
                "Thu hồi đất vì mục đích quốc phòng, an ninh; phát triển kinh tế - xã hội vì lợi ích quốc gia, "
                "công cộng",
                "Cưỡng chế thực hiện quyết định thu hồi đất",
                "Giao đất cho cộng đồng dân cư, cơ sở tôn giáo",
                "Cho thuê đất đối với hộ gia đình, cá nhân đang sử dụng đất thuộc trường hợp Nhà nước cho thuê đất",
                "Chuyển từ hình thức thuê đất trả tiền hằng năm sang thuê đất trả tiền một lần cho cả thời gian "
                "thuê",
                "Xác định lại diện tích đất ở cho hộ gia đình, cá nhân đã được cấp Giấy chứng nhận trước ngày "
                "01/7/2004",
            ],
        ),
        (
            "dat-dai",
            "Đất đai",
            (Decimal(5), WD),
            "partial",
            None,
            [
                "Xác nhận tiếp tục sử dụng đất nông nghiệp của hộ gia đình, cá nhân khi hết thời hạn sử dụng đất",
                "Xác nhận hồ sơ đề nghị hỗ trợ chuyển đổi nghề nghiệp khi Nhà nước thu hồi đất nông nghiệp",
            ],
        ),
        (
            "moi-truong",
            "Môi trường",
            (Decimal(15), WD),
            "partial",
            "HĐND",
            [
                "Cấp giấy phép môi trường cấp huyện",
                "Cấp đổi giấy phép môi trường cấp huyện",
                "Cấp điều chỉnh giấy phép môi trường cấp huyện",
                "Cấp lại giấy phép môi trường cấp huyện",
                "Tham vấn trong đánh giá tác động môi trường",
                "Xác nhận đăng ký kế hoạch bảo vệ môi trường",
                "Xác nhận đề án bảo vệ môi trường đơn giản",
                "Xác nhận hoàn thành công trình bảo vệ môi trường",
                "Phê duyệt phương án cải tạo, phục hồi môi trường",
                "Cấp lại Giấy xác nhận đăng ký kế hoạch bảo vệ môi trường",
            ],
        ),
        (
            "tai-nguyen-nuoc",
            "Tài nguyên nước",
            (Decimal(10), WD),
            "partial",
            None,
            [
                "Đăng ký khai thác nước dưới đất",
                "Lấy ý kiến Ủy ban nhân dân cấp huyện đối với các dự án đầu tư có chuyển nước từ nguồn nước "
                "nội tỉnh",
            ],
        ),
        (
            "khoang-san",
            "Khoáng sản",
            (Decimal(10), WD),
            "none",
            None,
            ["Xác nhận đăng ký khối lượng cát, sỏi thu hồi trong quá trình nạo vét, khơi thông luồng lạch"],
        ),
    ],
    "LDTBXH": [
        (
            "nguoi-co-cong",
            "Người có công",
            (Decimal(12), WD),
            "partial",
            None,
            [
                "Giải quyết chế độ trợ cấp thờ cúng liệt sĩ",
                "Giải quyết chế độ ưu đãi đối với người hoạt động kháng chiến bị nhiễm chất độc hóa học",
                "Hỗ trợ người có công đi làm phương tiện, dụng cụ chỉnh hình, phục hồi chức năng",
                "Cấp giấy giới thiệu đi thăm viếng mộ liệt sĩ và hỗ trợ thăm viếng mộ liệt sĩ",
                "Di chuyển hài cốt liệt sĩ đang an táng tại nghĩa trang liệt sĩ đi nơi khác theo nguyện vọng của "
                "đại diện thân nhân",
                "Giải quyết chế độ đối với thân nhân liệt sĩ",
                "Hỗ trợ cải thiện nhà ở đối với người có công với cách mạng",
            ],
        ),
        (
            "bao-tro-xa-hoi",
            "Bảo trợ xã hội",
            (Decimal(10), WD),
            "partial",
            None,
            [
                "Tiếp nhận đối tượng bảo trợ xã hội có hoàn cảnh đặc biệt khó khăn vào cơ sở trợ giúp xã hội "
                "cấp huyện",
                "Trợ giúp xã hội khẩn cấp về hỗ trợ làm nhà ở, sửa chữa nhà ở",
                "Đăng ký thành lập cơ sở trợ giúp xã hội ngoài công lập thuộc thẩm quyền của Phòng Lao động – "
                "Thương binh và Xã hội",
                "Cấp giấy phép hoạt động đối với cơ sở trợ giúp xã hội có phạm vi hoạt động trong một huyện",
                "Dừng trợ giúp xã hội tại cơ sở trợ giúp xã hội cấp huyện",
                "Nhận chăm sóc, nuôi dưỡng đối tượng cần bảo vệ khẩn cấp",
                "Thực hiện trợ cấp xã hội hằng tháng khi đối tượng thay đổi nơi cư trú trong cùng huyện",
            ],
        ),
        (
            "tre-em",
            "Trẻ em",
            (Decimal(5), WD),
            "none",
            None,
            [
                "Áp dụng các biện pháp can thiệp khẩn cấp hoặc tạm thời cách ly trẻ em khỏi môi trường hoặc "
                "người gây tổn hại cho trẻ em",
                "Chấm dứt việc chăm sóc thay thế cho trẻ em",
                "Phê duyệt kế hoạch hỗ trợ, can thiệp đối với trẻ em bị xâm hại hoặc có nguy cơ bị bạo lực, "
                "bóc lột, bỏ rơi",
            ],
        ),
        (
            "giam-ngheo",
            "Giảm nghèo",
            (Decimal(7), WD),
            "partial",
            None,
            [
                "Công nhận hộ thoát nghèo, hộ thoát cận nghèo trong năm",
                "Công nhận hộ làm nông nghiệp, lâm nghiệp, ngư nghiệp có mức sống trung bình",
            ],
        ),
        (
            "lao-dong-viec-lam",
            "Lao động, việc làm",
            (Decimal(5), WD),
            "partial",
            None,
            [
                "Gửi thỏa ước lao động tập thể cấp doanh nghiệp",
                "Giải quyết hỗ trợ kinh phí đào tạo nghề cho lao động nông thôn",
            ],
        ),
        (
            "phong-chong-te-nan-xa-hoi",
            "Phòng, chống tệ nạn xã hội",
            (Decimal(5), WD),
            "none",
            None,
            [
                "Đề nghị hỗ trợ đối với nạn nhân của tội phạm mua bán người",
                "Hỗ trợ học văn hóa, học nghề, trợ cấp khó khăn ban đầu cho nạn nhân bị mua bán",
            ],
        ),
        (
            "giao-duc-nghe-nghiep",
            "Giáo dục nghề nghiệp",
            (Decimal(15), WD),
            "partial",
            None,
            [
                "Thành lập trung tâm giáo dục nghề nghiệp công lập thuộc Ủy ban nhân dân cấp huyện",
                "Cho phép thành lập trung tâm giáo dục nghề nghiệp tư thục",
            ],
        ),
    ],
    "VHTT": [
        (
            "van-hoa-co-so",
            "Văn hóa cơ sở",
            (Decimal(5), WD),
            "partial",
            None,
            [
                "Xét tặng danh hiệu Gia đình văn hóa hằng năm",
                "Xét tặng Giấy khen Gia đình văn hóa",
                "Xét tặng danh hiệu Khu dân cư văn hóa hằng năm",
                "Xét tặng Giấy khen Khu dân cư văn hóa",
                "Công nhận lần đầu Cơ quan đạt chuẩn văn hóa, Đơn vị đạt chuẩn văn hóa, Doanh nghiệp đạt chuẩn "
                "văn hóa",
                "Công nhận lại Cơ quan đạt chuẩn văn hóa, Đơn vị đạt chuẩn văn hóa, Doanh nghiệp đạt chuẩn văn hóa",
                "Công nhận lần đầu Xã đạt chuẩn văn hóa nông thôn mới",
                "Công nhận Thị trấn đạt chuẩn văn minh đô thị",
                "Đăng ký tổ chức lễ hội cấp huyện",
                "Thông báo tổ chức lễ hội cấp huyện",
                "Tiếp nhận thông báo tổ chức biểu diễn nghệ thuật",
                "Thông báo tổ chức đoàn người thực hiện quảng cáo",
            ],
        ),
        (
            "van-hoa",
            "Văn hóa",
            (Decimal(5), WD),
            "full",
            "HĐND",
            [
                "Cấp Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke",
                "Cấp Giấy phép điều chỉnh Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke",
            ],
        ),
        (
            "thu-vien",
            "Thư viện",
            (Decimal(5), WD),
            "partial",
            None,
            ["Đăng ký hoạt động thư viện tư nhân có vốn sách ban đầu từ 1.000 bản đến dưới 2.000 bản"],
        ),
        (
            "the-duc-the-thao",
            "Thể dục thể thao",
            (Decimal(7), WD),
            "partial",
            None,
            ["Công nhận câu lạc bộ thể thao cơ sở"],
        ),
        (
            "phat-thanh-truyen-hinh-thong-tin-dien-tu",
            "Phát thanh, truyền hình và thông tin điện tử",
            (Decimal(10), WD),
            "full",
            None,
            [
                "Cấp Giấy chứng nhận đủ điều kiện hoạt động điểm cung cấp dịch vụ trò chơi điện tử công cộng",
                "Sửa đổi, bổ sung Giấy chứng nhận đủ điều kiện hoạt động điểm cung cấp dịch vụ trò chơi điện tử "
                "công cộng",
                "Gia hạn Giấy chứng nhận đủ điều kiện hoạt động điểm cung cấp dịch vụ trò chơi điện tử công cộng",
                "Cấp lại Giấy chứng nhận đủ điều kiện hoạt động điểm cung cấp dịch vụ trò chơi điện tử công cộng",
            ],
        ),
    ],
    "NV": [
        (
            "tin-nguong-ton-giao",
            "Tín ngưỡng, tôn giáo",
            (Decimal(15), CD),
            "partial",
            None,
            [
                "Đăng ký hoạt động tín ngưỡng",
                "Đăng ký bổ sung hoạt động tín ngưỡng",
                "Đăng ký sinh hoạt tôn giáo tập trung",
                "Thông báo danh mục hoạt động tôn giáo đối với tổ chức có địa bàn hoạt động tôn giáo ở một huyện",
                "Thông báo danh mục hoạt động tôn giáo bổ sung đối với tổ chức có địa bàn hoạt động tôn giáo ở "
                "một huyện",
                "Đề nghị tổ chức cuộc lễ ngoài cơ sở tôn giáo, địa điểm hợp pháp đã đăng ký có quy mô tổ chức ở "
                "một huyện",
                "Thông báo tổ chức quyên góp trong địa bàn một huyện của cơ sở tín ngưỡng, tổ chức tôn giáo",
                "Đề nghị giảng đạo ngoài địa bàn phụ trách, cơ sở tôn giáo, địa điểm hợp pháp đã đăng ký có quy mô "
                "tổ chức ở một huyện",
                "Thông báo về việc thay đổi địa điểm sinh hoạt tôn giáo tập trung",
            ],
        ),
        (
            "thi-dua-khen-thuong",
            "Thi đua, khen thưởng",
            (Decimal(20), WD),
            "none",
            None,
            [
                "Tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp huyện về thành tích thực hiện nhiệm vụ chính trị",
                "Tặng danh hiệu Lao động tiên tiến",
                "Tặng danh hiệu Chiến sĩ thi đua cơ sở",
                "Tặng danh hiệu Tập thể lao động tiên tiến",
                "Tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp huyện về thành tích thi đua theo đợt, chuyên đề",
                "Tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp huyện cho gia đình",
            ],
        ),
        (
            "chinh-quyen-dia-phuong",
            "Chính quyền địa phương",
            (Decimal(30), WD),
            "none",
            None,
            ["Thành lập thôn mới, tổ dân phố mới", "Phê duyệt điều lệ hội có phạm vi hoạt động trong xã"],
        ),
        (
            "van-thu-luu-tru",
            "Văn thư, lưu trữ",
            (Decimal(2), WD),
            "partial",
            None,
            ["Phục vụ việc sử dụng tài liệu của độc giả tại phòng đọc", "Cấp bản sao, chứng thực lưu trữ"],
        ),
        (
            "cong-chuc-vien-chuc",
            "Công chức, viên chức",
            (Decimal(30), WD),
            "none",
            None,
            ["Xét tuyển viên chức"],
        ),
    ],
    "NNPTNT": [
        (
            "quan-ly-chat-luong-nong-lam-thuy-san",
            "Quản lý chất lượng nông lâm sản và thủy sản",
            (Decimal(15), WD),
            "partial",
            "HĐND",
            [
                "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm đối với cơ sở sản xuất, kinh doanh nông, "
                "lâm, thủy sản",
                "Cấp lại Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm đối với cơ sở sản xuất, kinh doanh "
                "nông, lâm, thủy sản",
            ],
        ),
        (
            "lam-nghiep",
            "Lâm nghiệp",
            (Decimal(10), WD),
            "partial",
            None,
            [
                "Xác nhận bảng kê lâm sản",
                "Giao rừng, cho thuê rừng đối với hộ gia đình, cá nhân, cộng đồng dân cư",
                "Thu hồi rừng của hộ gia đình, cá nhân, cộng đồng dân cư",
                "Phê duyệt phương án khai thác thực vật rừng thông thường",
            ],
        ),
        (
            "chan-nuoi-thu-y",
            "Chăn nuôi và thú y",
            (Decimal(5), WD),
            "partial",
            None,
            [
                "Kê khai hoạt động chăn nuôi",
                "Đăng ký kiểm dịch động vật, sản phẩm động vật vận chuyển ra khỏi địa bàn huyện",
            ],
        ),
        (
            "phong-chong-thien-tai",
            "Phòng, chống thiên tai",
            (Decimal(10), WD),
            "none",
            None,
            [
                "Hỗ trợ khôi phục sản xuất vùng bị thiệt hại do dịch bệnh động vật",
                "Hỗ trợ khôi phục sản xuất vùng bị thiệt hại do thiên tai",
                "Hỗ trợ khôi phục sản xuất vùng bị thiệt hại do dịch hại thực vật",
            ],
        ),
        (
            "thuy-loi",
            "Thủy lợi",
            (Decimal(15), WD),
            "partial",
            None,
            [
                "Cấp giấy phép hoạt động trong phạm vi bảo vệ công trình thủy lợi thuộc thẩm quyền của Ủy ban "
                "nhân dân cấp huyện",
                "Phê duyệt phương án bảo vệ công trình thủy lợi do Ủy ban nhân dân cấp huyện quản lý",
                "Phê duyệt, điều chỉnh quy trình vận hành đối với công trình thủy lợi nhỏ",
                "Thẩm định, phê duyệt phương án ứng phó thiên tai cho công trình, vùng hạ du đập trong quá trình "
                "thi công",
                "Thẩm định, phê duyệt đề cương, kết quả kiểm định an toàn đập, hồ chứa thủy lợi thuộc thẩm quyền "
                "của Ủy ban nhân dân cấp huyện",
                "Hỗ trợ đầu tư xây dựng phát triển thủy lợi nhỏ, thủy lợi nội đồng và tưới tiên tiến, tiết kiệm "
                "nước",
            ],
        ),
        (
            "kinh-te-hop-tac-phat-trien-nong-thon",
            "Kinh tế hợp tác và phát triển nông thôn",
            (Decimal(20), WD),
            "partial",
            None,
            [
                "Hỗ trợ dự án liên kết sản xuất gắn với tiêu thụ sản phẩm",
                "Đánh giá, phân hạng sản phẩm Chương trình Mỗi xã một sản phẩm (OCOP) cấp huyện",
                "Cấp giấy chứng nhận kinh tế trang trại",
                "Phê duyệt kế hoạch khuyến nông địa phương",
                "Xác nhận hợp tác xã nông nghiệp đủ điều kiện hưởng chính sách hỗ trợ",
            ],
        ),
        (
            "thuy-san",
            "Thủy sản",
            (Decimal(5), WD),
            "partial",
            None,
            [
                "Công nhận và giao quyền quản lý cho tổ chức cộng đồng",
                "Đăng ký nuôi trồng thủy sản lồng bè, đối tượng thủy sản nuôi chủ lực",
                "Cấp, cấp lại giấy xác nhận đăng ký nuôi trồng thủy sản lồng bè, đối tượng thủy sản nuôi chủ lực",
            ],
        ),
    ],
    "YT": [
        (
            "an-toan-thuc-pham-y-te",
            "An toàn thực phẩm và dinh dưỡng",
            (Decimal(15), WD),
            "partial",
            "HĐND",
            [
                "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm đối với cơ sở kinh doanh dịch vụ ăn uống",
                "Cấp lại Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm đối với cơ sở kinh doanh dịch vụ "
                "ăn uống",
                "Xác nhận kiến thức an toàn thực phẩm cho chủ cơ sở và người trực tiếp sản xuất, kinh doanh "
                "thực phẩm",
                "Cấp Giấy xác nhận đủ điều kiện an toàn thực phẩm đối với bếp ăn tập thể",
            ],
        ),
        (
            "dan-so-suc-khoe-sinh-san",
            "Dân số – Sức khỏe sinh sản",
            (Decimal(5), WD),
            "partial",
            None,
            [
                "Xét hưởng chính sách hỗ trợ cho đối tượng sinh con đúng chính sách dân số",
                "Giải quyết chế độ hỗ trợ cho cộng tác viên dân số",
            ],
        ),
        (
            "y-te-du-phong",
            "Y tế dự phòng",
            (Decimal(5), WD),
            "partial",
            None,
            [
                "Thông báo hoạt động đối với tổ chức tư vấn về phòng, chống HIV/AIDS",
                "Cấp giấy xác nhận đã tiêm chủng vắc xin",
            ],
        ),
        (
            "kham-benh-chua-benh",
            "Khám bệnh, chữa bệnh",
            (Decimal(5), WD),
            "none",
            None,
            [
                "Cấp giấy chứng sinh cho trường hợp trẻ được sinh ra ngoài cơ sở khám bệnh, chữa bệnh",
                "Thẩm định hồ sơ đề nghị hỗ trợ kinh phí mua thẻ bảo hiểm y tế",
            ],
        ),
    ],
    "VPDKDD": [
        (
            "dang-ky-dat-dai",
            "Đăng ký đất đai, tài sản gắn liền với đất",
            (Decimal(10), WD),
            "partial",
            "HĐND",
            [
                "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất trong các trường hợp "
                "chuyển đổi, chuyển nhượng, cho thuê, thừa kế, tặng cho",
                "Tách thửa hoặc hợp thửa đất",
                "Cấp đổi Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất",
                "Cấp lại Giấy chứng nhận quyền sử dụng đất do bị mất",
                "Đính chính Giấy chứng nhận đã cấp",
                "Thu hồi Giấy chứng nhận đã cấp không đúng quy định của pháp luật đất đai",
                "Đăng ký biến động do đổi tên, thay đổi thông tin về người sử dụng đất",
                "Đăng ký xác lập quyền sử dụng hạn chế thửa đất liền kề",
                "Gia hạn sử dụng đất nông nghiệp của hộ gia đình, cá nhân",
                "Chuyển đổi quyền sử dụng đất nông nghiệp để thực hiện dồn điền, đổi thửa",
                "Đăng ký chuyển mục đích sử dụng đất không phải xin phép cơ quan nhà nước có thẩm quyền",
                "Đăng ký, cấp Giấy chứng nhận quyền sở hữu tài sản gắn liền với đất đối với trường hợp đã được "
                "cấp Giấy chứng nhận",
                "Đăng ký biến động đối với trường hợp chuyển từ hình thức thuê đất sang giao đất có thu tiền sử "
                "dụng đất",
            ],
        ),
        (
            "dang-ky-bien-phap-bao-dam",
            "Đăng ký biện pháp bảo đảm",
            (Decimal(3), WD),
            "full",
            80_000,
            [
                "Đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất",
                "Xóa đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất",
                "Đăng ký thay đổi nội dung biện pháp bảo đảm bằng quyền sử dụng đất, tài sản gắn liền với đất",
                "Đăng ký văn bản thông báo về việc xử lý tài sản thế chấp",
            ],
        ),
        (
            "dang-ky-dat-dai",
            "Đăng ký đất đai, tài sản gắn liền với đất",
            (Decimal(2), WD),
            "full",
            "HĐND",
            [
                "Cung cấp thông tin, dữ liệu đất đai",
                "Xác nhận thay đổi thông tin về pháp nhân, nhân thân, địa chỉ trên Giấy chứng nhận",
            ],
        ),
    ],
    "CCT": [
        (
            "quan-ly-thue",
            "Quản lý thuế",
            (Decimal(3), WD),
            "full",
            None,
            [
                "Đăng ký thuế lần đầu đối với hộ kinh doanh, cá nhân kinh doanh",
                "Đăng ký thay đổi thông tin đăng ký thuế đối với hộ kinh doanh, cá nhân kinh doanh",
                "Khai thuế đối với hộ kinh doanh nộp thuế theo phương pháp khoán",
                "Khai lệ phí trước bạ nhà, đất",
                "Xác nhận việc thực hiện nghĩa vụ thuế",
            ],
        ),
        (
            "quan-ly-thue",
            "Quản lý thuế",
            (Decimal(10), WD),
            "partial",
            None,
            [
                "Miễn, giảm tiền sử dụng đất đối với hộ gia đình, cá nhân",
                "Gia hạn nộp thuế",
                "Hoàn thuế thu nhập cá nhân đối với cá nhân trực tiếp quyết toán với cơ quan thuế",
            ],
        ),
    ],
}

# Online form fields (tờ khai trực tuyến) of a few online procedures, after the printed forms they replace (the
# household-business registration request of Decree 01/2021, the birth and marriage registration declarations
# of Circular 04/2020/TT-BTP, the school transfer application). Demo data: a real center reviews them.
# (key, label, kind, required, choices, help text)
FORM_FIELDS = {
    "1.001612": [
        ("ten_ho_kinh_doanh", "Tên hộ kinh doanh", "text", True, "", "Ví dụ: Hộ kinh doanh Hoa Mai."),
        (
            "dia_diem_kinh_doanh",
            "Địa chỉ địa điểm kinh doanh",
            "text",
            True,
            "",
            "Số nhà, thôn/xóm, xã/thị trấn.",
        ),
        ("dien_thoai", "Điện thoại của hộ kinh doanh", "text", False, "", ""),
        ("nganh_nghe", "Ngành, nghề kinh doanh", "text", True, "", "Ví dụ: Bán lẻ đồ gốm sứ."),
        ("von_kinh_doanh", "Vốn kinh doanh (đồng)", "number", True, "", "Ví dụ: 100.000.000"),
        ("so_lao_dong", "Số lượng lao động", "number", False, "", ""),
        (
            "chu_the",
            "Chủ thể thành lập hộ kinh doanh",
            "choice",
            True,
            "Cá nhân\nCác thành viên hộ gia đình",
            "",
        ),
        ("cam_ket", "Tôi cam kết nội dung kê khai là trung thực, chính xác", "checkbox", True, "", ""),
    ],
    "1.001193": [
        ("ho_ten_tre", "Họ, chữ đệm, tên của trẻ", "text", True, "", ""),
        ("ngay_sinh", "Ngày, tháng, năm sinh", "date", True, "", "Ví dụ: 05/09/2024"),
        ("gioi_tinh", "Giới tính", "choice", True, "Nam\nNữ", ""),
        ("noi_sinh", "Nơi sinh", "text", True, "", "Tên cơ sở y tế, hoặc địa chỉ nơi sinh."),
        ("dan_toc", "Dân tộc", "text", True, "", ""),
        ("quoc_tich", "Quốc tịch", "text", True, "", ""),
        ("ho_ten_me", "Họ, chữ đệm, tên người mẹ", "text", False, "", ""),
        ("ho_ten_cha", "Họ, chữ đệm, tên người cha", "text", False, "", ""),
        (
            "quan_he",
            "Quan hệ của người đi đăng ký với trẻ",
            "choice",
            True,
            "Cha\nMẹ\nÔng\nBà\nNgười thân thích khác",
            "",
        ),
        ("so_ban_sao", "Số bản sao Giấy khai sinh đề nghị cấp", "number", False, "", ""),
        ("cam_ket", "Tôi cam đoan nội dung khai trên đây là đúng sự thật", "checkbox", True, "", ""),
    ],
    "1.000894": [
        ("ho_ten_vo", "Họ, chữ đệm, tên bên nữ", "text", True, "", ""),
        ("ngay_sinh_vo", "Ngày sinh bên nữ", "date", True, "", ""),
        ("ho_ten_chong", "Họ, chữ đệm, tên bên nam", "text", True, "", ""),
        ("ngay_sinh_chong", "Ngày sinh bên nam", "date", True, "", ""),
        ("lan_ket_hon", "Kết hôn lần thứ mấy (bên nữ / bên nam)", "text", False, "", "Ví dụ: 1 / 1"),
        (
            "cam_ket",
            "Chúng tôi cam đoan tự nguyện kết hôn và lời khai là đúng sự thật",
            "checkbox",
            True,
            "",
            "",
        ),
    ],
    "2.002481": [
        ("ho_ten_hoc_sinh", "Họ và tên học sinh", "text", True, "", ""),
        ("ngay_sinh", "Ngày sinh của học sinh", "date", True, "", ""),
        ("truong_noi_di", "Trường nơi đi", "text", True, "", ""),
        ("truong_noi_den", "Trường nơi đến", "text", True, "", ""),
        ("lop", "Lớp", "choice", True, "Lớp 6\nLớp 7\nLớp 8\nLớp 9", ""),
        ("ly_do", "Lý do chuyển trường", "text", True, "", "Ví dụ: Gia đình chuyển nơi ở."),
    ],
}
