"""The center director sees a recommendation an agency has not answered in time on the monitoring dashboard and
opens the list of late ones; a specialist of that agency sees it in their list, not another agency's."""

import datetime

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from motcua.accounts.models import User
from motcua.feedback import services
from motcua.feedback.models import Recommendation
from motcua.org import demo
from motcua.org.models import Agency


@pytest.fixture
def late_recommendations(transactional_db):
    demo.load()
    director = User.objects.get(username="giamdoc")
    justice = Agency.objects.get(short_name="TP")
    other = Agency.objects.exclude(pk=justice.pk).exclude(short_name="TTHCC").order_by("pk").first()
    with time_machine.travel(timezone.now() - datetime.timedelta(days=30), tick=False):
        ours = Recommendation.objects.create(
            sender_name="Trần Văn Nam", sender_phone="0912345678", title="Chứng thực chậm", content="Chờ lâu."
        )
        services.assign_recommendation(ours, agency=justice, by=director, days=5)
        theirs = Recommendation.objects.create(
            sender_name="Lê Thị Mai", sender_phone="0912345679", title="Thuế đất", content="Chưa trả lời."
        )
        services.assign_recommendation(theirs, agency=other, by=director, days=5)
    return ours, theirs


def login(page, username):
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def test_director_finds_the_late_answer_and_the_agency_sees_only_its_own(page, late_recommendations):
    ours, theirs = late_recommendations
    login(page, "giamdoc")
    page.get_by_role("link", name="Theo dõi hồ sơ tới hạn, quá hạn").click()
    table = page.locator('table[data-table="recommendations"]')
    row = table.locator("tr", has_text="Phòng Tư pháp")
    overdue_cell = row.locator('td[data-state="overdue"]')
    expect(overdue_cell).to_have_text("1")
    overdue_cell.get_by_role("link").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Kiến nghị, phản ánh chờ trả lời")
    listed = page.locator(f'tr[data-reference="{ours.reference}"]')
    expect(listed).to_be_visible()
    expect(listed).to_contain_text("Quá hạn")
    expect(listed).to_contain_text("Phòng Tư pháp")
    expect(listed).to_contain_text("Hoàng Văn Nam (demo)")
    expect(page.locator(f'tr[data-reference="{theirs.reference}"]')).to_have_count(0)
    page.get_by_role("button", name="Thoát").click()

    login(page, "chuyenvien.tp")
    page.goto("/theo-doi/kien-nghi/")
    expect(page.locator(f'tr[data-reference="{ours.reference}"]')).to_be_visible()
    expect(page.locator(f'tr[data-reference="{theirs.reference}"]')).to_have_count(0)
