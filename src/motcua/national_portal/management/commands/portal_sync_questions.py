from django.core.management.base import BaseCommand, CommandError

from motcua.integrations.national_portal import AGENCY_QUESTIONS, PortalError
from motcua.national_portal import conf
from motcua.national_portal.questions import publish_questions, pull_questions, push_answers


class Command(BaseCommand):
    help = (
        "Nhận câu hỏi của công dân gửi qua Cổng DVCQG thành kiến nghị, gửi các câu trả lời lên Cổng, đồng bộ "
        "các hỏi đáp đã công khai của hệ thống (DongBoHoiDap), và nhận hỏi đáp của cơ quan trên Cổng "
        "(LayDanhSachHoiDapBoCoQuan) vào mục hỏi đáp công khai."
    )

    def handle(self, *args, **options):
        if not conf.is_enabled():
            raise CommandError("Kết nối Cổng DVCQG đang tắt (NATIONAL_PORTAL_URL trống).")
        connector = conf.get_connector()
        try:
            report = pull_questions(connector)
            sent = push_answers(connector)
            published = publish_questions(connector)
            # After the publication, so a Q&A just published and listed back is recognised as this system's.
            agency = pull_questions(connector, AGENCY_QUESTIONS)
        except PortalError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            f"Nhận {report.received} câu hỏi mới ({report.known} đã có, {report.skipped} bỏ qua); "
            f"{report.answered_on_portal} câu đã có trả lời trên Cổng"
            f" ({report.answer_lookups_refused} lần tra cứu trả lời bị từ chối); "
            f"gửi {sent} câu trả lời; đồng bộ {published.sent} hỏi đáp công khai "
            f"({published.refused} bị Cổng từ chối, {published.skipped} chưa có cơ quan trả lời)."
        )
        self.stdout.write(
            f"Hỏi đáp của cơ quan trên Cổng: nhận {agency.received} mới, cập nhật {agency.updated}, "
            f"{agency.known} đã có, {agency.skipped} bỏ qua"
            f" ({agency.answer_lookups_refused} lần tra cứu trả lời bị từ chối)."
        )
        for problem in agency.problems:
            self.stdout.write(f"  - {problem}")
