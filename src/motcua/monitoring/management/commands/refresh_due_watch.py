from django.core.management.base import BaseCommand

from motcua.monitoring import recommendation_watch, watch


class Command(BaseCommand):
    help = (
        "Tính lại các mốc hạn (sắp đến hạn, quá hạn nghiêm trọng, nhắc phiếu xin lỗi) của mọi hồ sơ đang xử lý "
        "và mọi kiến nghị chờ trả lời, sau khi đổi lịch làm việc, đổi quy tắc theo dõi hoặc nhập hồ sơ hàng loạt."
    )

    def handle(self, *args, **options):
        written, removed = watch.refresh_all()
        self.stdout.write(f"Đã cập nhật {written} hồ sơ đang theo dõi, bỏ {removed} hồ sơ đã kết thúc.")
        written, removed = recommendation_watch.refresh_all()
        self.stdout.write(f"Đã cập nhật {written} kiến nghị chờ trả lời, bỏ {removed} kiến nghị đã trả lời.")
