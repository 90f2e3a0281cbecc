"""The notification texts installed with the system; administrators edit them in the admin."""

TEMPLATES = {
    "received": {
        "subject": "Hồ sơ {{ code }} đã được tiếp nhận",
        "email": (
            "Kính gửi {{ applicant }},\n\n"
            "Hồ sơ “{{ procedure }}” của ông/bà đã được tiếp nhận ngày {{ received_at }}.\n"
            "Mã hồ sơ: {{ code }}. Ngày hẹn trả kết quả: {{ appointment_at }}.\n"
            "{% if bring %}{{ bring }}\n{% endif %}"
            "Tra cứu tiến độ: {{ lookup_link }}\n"
        ),
        "short": "Hồ sơ {{ code }} đã được tiếp nhận. Hẹn trả: {{ appointment_at }}. Tra cứu: {{ lookup_link }}",
    },
    "supplement_requested": {
        "subject": "Yêu cầu bổ sung hồ sơ {{ code }}",
        "email": (
            "Kính gửi {{ applicant }},\n\n"
            "Hồ sơ “{{ procedure }}” cần bổ sung, hoàn thiện các giấy tờ sau: {{ items }}.\n"
            "{% if reason %}Ghi chú: {{ reason }}\n{% endif %}"
            "Ông/bà bổ sung trực tuyến tại: {{ link }}\n"
        ),
        "short": "Hồ sơ “{{ procedure }}” cần bổ sung: {{ items }}. Bổ sung tại: {{ link }}",
    },
    "not_accepted": {
        "subject": "Hồ sơ không được tiếp nhận",
        "email": (
            "Kính gửi {{ applicant }},\n\n"
            "Hồ sơ “{{ procedure }}” nộp trực tuyến không được tiếp nhận. Lý do: {{ reason }}.\n"
        ),
        "short": "Hồ sơ “{{ procedure }}” không được tiếp nhận. Lý do: {{ reason }}",
    },
    "apology": {
        "subject": "Thư xin lỗi về việc chậm trả kết quả hồ sơ {{ code }}",
        "email": (
            "Kính gửi {{ applicant }},\n\n"
            "Chúng tôi thành thật xin lỗi vì hồ sơ {{ code }} (“{{ procedure }}”) chưa có kết quả đúng hẹn.\n"
            "Lý do: {{ reason }}.\nNgày hẹn trả mới: {{ appointment_at }}.\n"
        ),
        "short": "Xin lỗi ông/bà: hồ sơ {{ code }} chậm trả kết quả. Hẹn trả mới: {{ appointment_at }}",
    },
    "result_ready": {
        "subject": "Hồ sơ {{ code }} đã có kết quả",
        "email": (
            "Kính gửi {{ applicant }},\n\n"
            "Hồ sơ {{ code }} (“{{ procedure }}”) đã có kết quả.\n"
            "{% if bring %}{{ bring }}\n{% endif %}"
            "Xem và nhận kết quả: {{ link }}\n"
            "{% if evaluation_link %}Mời ông/bà đánh giá mức độ hài lòng: {{ evaluation_link }}\n{% endif %}"
        ),
        "short": "Hồ sơ {{ code }} đã có kết quả. Nhận kết quả: {{ link }}{% if evaluation_link %} Đánh giá: {{ evaluation_link }}{% endif %}",
    },
    "payment_requested": {
        "subject": "Yêu cầu thực hiện nghĩa vụ tài chính — hồ sơ {{ code }}",
        "email": (
            "Kính gửi {{ applicant }},\n\n"
            "Hồ sơ {{ code }} (“{{ procedure }}”) cần thực hiện nghĩa vụ tài chính (nộp phí, lệ phí, thuế).\n"
            "{% if amount %}Số tiền: {{ amount }}.\n{% endif %}"
            "{% if reason %}Ghi chú: {{ reason }}\n{% endif %}"
            "Xem chi tiết: {{ link }}\n"
        ),
        "short": "Hồ sơ {{ code }} cần nộp phí, lệ phí. Chi tiết: {{ link }}",
    },
}


def install(NotificationTemplate) -> int:
    """Create the missing templates (never overwrite an administrator's edits)."""
    created = 0
    for event, texts in TEMPLATES.items():
        for channel in ("email", "sms", "zalo"):
            body = texts["email"] if channel == "email" else texts["short"]
            _row, made = NotificationTemplate.objects.get_or_create(
                event=event,
                channel=channel,
                defaults={"subject": texts["subject"] if channel == "email" else "", "body": body},
            )
            created += int(made)
    return created
