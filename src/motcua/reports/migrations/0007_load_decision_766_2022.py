"""Load the version of the Decision 766/QĐ-TTg index in force: five groups worth 100 points.

Points per indicator as public summaries and the national portal's formula notes give them; the appendix of the
decision itself was not read, so every point value is marked "corroborated" or "unverified" (docs/LAW.md).
An indicator without a measure is one the software cannot count yet: it is shown, and left out of the scores.
"""

import datetime
from decimal import Decimal

from django.db import migrations

C, U = "corroborated", "unverified"

# (key, label, max points, [(key, label, points, measure, threshold %, evidence, formula, note)])
GROUPS = [
    (
        "publicity",
        "Công khai, minh bạch",
        18,
        [
            ("1.1", "TTHC được công bố đúng hạn", 6, "", None, U,
             "Số TTHC có quyết định công bố đúng hạn / Tổng số TTHC phải công bố trong kỳ",
             "Phần mềm chưa lưu ngày hiệu lực của căn cứ pháp lý và ngày quyết định công bố."),
            ("1.2", "TTHC được cập nhật, công khai đúng hạn trên Cơ sở dữ liệu quốc gia về TTHC", 4, "", None, C,
             "Số TTHC công khai đúng hạn / Tổng số TTHC phải công khai trong kỳ",
             "Phần mềm chưa lưu ngày công khai trên CSDL quốc gia."),
            ("1.3", "TTHC công khai đầy đủ các bộ phận", 2, "procedures_complete", None, U,
             "Số TTHC đã công bố có đủ thành phần hồ sơ và thời hạn giải quyết / Tổng số TTHC đã công bố",
             "Phần mềm kiểm tra thành phần hồ sơ và thời hạn; các bộ phận khác của Điều 8 Nghị định 63/2010 chưa kiểm tra."),
            ("1.4", "Hồ sơ được đồng bộ lên Cổng Dịch vụ công quốc gia", 6, "portal_sync", None, C,
             "Số hồ sơ đã đồng bộ / Tổng số hồ sơ tiếp nhận trong kỳ", ""),
        ],
    ),
    (
        "progress",
        "Tiến độ, kết quả giải quyết",
        20,
        [
            ("2.1", "Hồ sơ giải quyết trước hạn, đúng hạn", 20, "progress_on_time", None, C,
             "(Trước hạn + Đúng hạn + Đang giải quyết trong hạn) / (Đã giải quyết + Đang giải quyết) trong kỳ",
             "Hồ sơ rút, từ chối không tính; hồ sơ tạm dừng tính trong 'đang giải quyết'."),
        ],
    ),
    (
        "online",
        "Cung cấp dịch vụ trực tuyến (trong đó thanh toán trực tuyến 10 điểm)",
        22,
        [
            ("3.1", "TTHC cung cấp dịch vụ công trực tuyến (toàn trình, một phần)", 2, "procedures_online", Decimal(80), U,
             "Số TTHC có dịch vụ công trực tuyến / Tổng số TTHC thuộc thẩm quyền; đủ điểm từ 80%", ""),
            ("3.2", "Dịch vụ công trực tuyến có phát sinh hồ sơ", 4, "online_services_used", None, U,
             "Số dịch vụ công trực tuyến có ít nhất một hồ sơ trực tuyến / Tổng số dịch vụ công trực tuyến", ""),
            ("3.3", "Hồ sơ nộp trực tuyến", 6, "dossiers_online", Decimal(50), U,
             "Số hồ sơ nộp trực tuyến / Tổng số hồ sơ tiếp nhận trong kỳ; đủ điểm từ 50%",
             "Chưa nhân với tỷ lệ đồng bộ như ghi chú công thức của Cổng quốc gia."),
            ("3.4", "TTHC có nghĩa vụ tài chính được tích hợp thanh toán trực tuyến", 2, "", Decimal(80), C,
             "Số TTHC có dữ liệu phí, lệ phí tích hợp thanh toán trên Cổng quốc gia / Số TTHC có thu phí, lệ phí; đủ điểm từ 80%",
             "Thanh toán trực tuyến. Phần mềm chưa lưu việc tích hợp từng thủ tục với nền tảng thanh toán."),
            ("3.5", "TTHC có phát sinh giao dịch thanh toán trực tuyến", 2, "fee_procedures_paid_online", Decimal(80), C,
             "Số TTHC có ít nhất một hồ sơ thanh toán trực tuyến / Số TTHC có thu phí, lệ phí; đủ điểm từ 80%",
             "Thanh toán trực tuyến. Ngưỡng 80% chưa xác minh (một hệ thống tỉnh dùng 50%)."),
            ("3.6", "Hồ sơ thanh toán trực tuyến", 6, "fee_dossiers_paid_online", None, C,
             "Số hồ sơ thanh toán trực tuyến / Số hồ sơ có thu phí, lệ phí (trừ giá 0 đồng)",
             "Thanh toán trực tuyến. Ngưỡng chưa xác minh (100% hoặc 30% tùy nguồn); ở đây tính theo tỷ lệ."),
        ],
    ),
    (
        "satisfaction",
        "Mức độ hài lòng",
        18,
        [
            ("5.2", "Phản ánh, kiến nghị được xử lý đúng hạn", 6, "recommendations_on_time", None, C,
             "Số PAKN xử lý đúng hạn / (Số PAKN đã xử lý + Số PAKN quá hạn chưa xử lý)", ""),
            ("5.3", "Mức độ hài lòng trong xử lý phản ánh, kiến nghị", 6, "", None, C,
             "(Số PAKN − Số PAKN bị đánh giá không hài lòng, quá hạn hoặc bị phản ánh lại) / Số PAKN",
             "Phần mềm chưa lấy đánh giá của người dân về cách xử lý từng PAKN."),
            ("5.4", "Mức độ hài lòng trong tiếp nhận, giải quyết TTHC", 6, "tthc_satisfaction", Decimal(90), C,
             "100% − (Tỷ lệ hồ sơ giải quyết quá hạn + Tỷ lệ đánh giá không hài lòng); đủ điểm từ 90%",
             "Tỷ lệ hồ sơ có PAKN chưa tính; dùng tỷ lệ đánh giá 'không hài lòng'."),
        ],
    ),
    (
        "digitisation",
        "Số hóa hồ sơ",
        22,
        [
            ("4.1", "Hồ sơ có kết quả điện tử", 6, "results_digitised", None, C,
             "Số hồ sơ có kết quả được số hóa / Số hồ sơ đã có kết quả", ""),
            ("4.2", "Hồ sơ được số hóa", 4, "dossiers_digitised", Decimal(80), C,
             "Số hồ sơ có thành phần được số hóa / Số hồ sơ tiếp nhận; đủ điểm từ 80%",
             "Ghi chú của Cổng quốc gia đòi cả kết quả điện tử; ở đây chỉ xét thành phần."),
            ("4.3", "Tái sử dụng dữ liệu số hóa", 2, "components_reused", Decimal(80), C,
             "Số thành phần hồ sơ dùng lại dữ liệu đã số hóa / Số thành phần hồ sơ; đủ điểm từ 80%",
             "Ghi chú của Cổng quốc gia tính theo hồ sơ có ít nhất một thành phần dùng lại."),
            ("4.4", "Hồ sơ số hóa liên kết kho dữ liệu cá nhân trên Cổng quốc gia", 2, "", None, U,
             "Số hồ sơ có thành phần lấy từ kho hoặc kết quả đồng bộ về kho / Số hồ sơ tiếp nhận", ""),
            ("4.5", "Sử dụng Cơ sở dữ liệu quốc gia về dân cư", 8, "", None, U,
             "Thủ tục, hồ sơ dùng tài khoản VNeID hoặc dữ liệu dân cư / Thủ tục, hồ sơ của cá nhân",
             "Điểm 8 suy ra từ tổng 22 của nhóm; cách chia (4/2/2) chưa xác minh."),
        ],
    ),
]


def load(apps, schema_editor):
    Version = apps.get_model("reports", "IndexVersion")
    Group = apps.get_model("reports", "IndexGroup")
    Indicator = apps.get_model("reports", "IndexIndicator")
    if Version.objects.filter(code="766/2022").exists():
        return
    version = Version.objects.create(
        code="766/2022",
        name="Bộ chỉ số chỉ đạo, điều hành và đánh giá chất lượng phục vụ người dân, doanh nghiệp",
        legal_basis="Quyết định số 766/QĐ-TTg ngày 23/06/2022 của Thủ tướng Chính phủ",
        valid_from=datetime.date(2022, 6, 23),
        note="Điểm từng chỉ số theo các bản tóm tắt công khai và ghi chú công thức của Cổng Dịch vụ công quốc "
        "gia; chưa đối chiếu phụ lục của Quyết định.",
    )
    for gpos, (key, label, points, indicators) in enumerate(GROUPS):
        group = Group.objects.create(version=version, key=key, label=label, max_points=points, position=gpos)
        for ipos, (ikey, ilabel, ipoints, measure, threshold, evidence, formula, note) in enumerate(indicators):
            Indicator.objects.create(
                group=group,
                key=ikey,
                label=ilabel,
                max_points=ipoints,
                measure=measure,
                threshold_percent=threshold,
                evidence=evidence,
                formula=formula,
                note=note,
                position=ipos,
            )


def unload(apps, schema_editor):
    apps.get_model("reports", "IndexVersion").objects.filter(code="766/2022").delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0006_index_766_as_data")]
    operations = [migrations.RunPython(load, unload)]
