"""The queue's pages: kiosk and printed ticket (HTML and PDF read back), follow page, hall display, the counter
page's actions and the supervisor's statistics."""

import io

import pytest
from pypdf import PdfReader

from motcua.accounts.tests.factories import UserFactory
from motcua.dossiers.tests.factories import grant
from motcua.org.models import Role
from motcua.tickets import services
from motcua.tickets.models import Ticket


def test_the_kiosk_offers_big_buttons_for_each_service_and_the_priority_groups(client, hall):
    response = client.get("/xep-hang/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "ĐĂNG KÝ TIẾP NHẬN HỒ SƠ TỰ ĐỘNG" in html
    for kind in (hall.a, hall.b, hall.c):
        assert f'name="service" value="{kind.key}"' in html and kind.label in html
    for label in ("Người cao tuổi", "Người khuyết tật", "Phụ nữ mang thai"):
        assert label in html


def test_taking_a_ticket_at_the_kiosk_prints_it_with_a_qr_code_to_follow_it(client, hall, at):
    with at(2026, 3, 2, 7, 45):
        response = client.post(
            "/xep-hang/", {"service": "dat-dai", "priority_reason": "elderly", "center": hall.center.pk}
        )
        ticket = Ticket.objects.get()
        assert response.status_code == 302
        assert response["Location"] == f"/xep-hang/so/{ticket.public_id}/in/?in=1"
        html = client.get(response["Location"]).content.decode()
    assert ticket.code == "B001" and ticket.priority_reason == "elderly"
    assert 'data-testid="ticket-number">B001<' in html
    assert "Ưu tiên: Người cao tuổi" in html and "Lấy số lúc 07:45 02/03/2026" in html
    assert (
        "<svg" in html and "@page" not in html
    )  # the QR is inline; the 80 mm page size is in the stylesheet


def test_the_ticket_pdf_is_80_mm_wide_and_reads_back(client, hall, at):
    with at(2026, 3, 2, 7, 45):
        ticket = services.issue(hall.a)
        response = client.get(f"/xep-hang/so/{ticket.public_id}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    page = PdfReader(io.BytesIO(response.content)).pages[0]
    assert round(float(page.mediabox.width) / 72 * 25.4) == 80
    text = " ".join(page.extract_text().split())
    assert "A001" in text and "TRUNG TÂM HÀNH CHÍNH CÔNG HUYỆN MẪU" in text and "Tư pháp – Hộ tịch" in text
    assert "Quét mã để theo dõi lượt gọi trên điện thoại" in text


@pytest.mark.parametrize(
    "data, message",
    [
        ({"service": "khong-co"}, "Không có dịch vụ lấy số này, hoặc dịch vụ đang tạm ngừng phát số."),
        ({"service": "tu-phap", "priority_reason": "vip"}, "Đối tượng ưu tiên không hợp lệ."),
    ],
)
def test_a_bad_kiosk_request_shows_a_vietnamese_message_and_issues_nothing(client, hall, data, message):
    response = client.post("/xep-hang/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Ticket.objects.exists()


def test_the_kiosk_refuses_a_burst_of_tickets(client, hall, settings, at):
    settings.QUEUE_TICKETS_PER_MINUTE = 1
    with at(2026, 3, 2, 8, 0):
        assert client.post("/xep-hang/", {"service": "tu-phap"}).status_code == 302
        response = client.post("/xep-hang/", {"service": "tu-phap"})
    assert response.status_code == 429
    assert "quá nhiều số trong một phút" in response.content.decode()
    assert Ticket.objects.count() == 1


def test_the_follow_page_gives_the_position_and_then_the_counter(client, hall, at):
    with at(2026, 3, 2, 8, 0):
        services.issue(hall.a)
        mine = services.issue(hall.a)
        url = f"/xep-hang/so/{mine.public_id}/"
        assert "Số người chờ trước ông/bà: 1" in client.get(url).content.decode()
        services.call_next(hall.counter(1), hall.officer)
        services.call_next(hall.counter(2), hall.officer)
        assert "Mời ông/bà đến quầy số 2" in client.get(url).content.decode()
        state = client.get(url + "?format=json").json()
    assert state["status"] == "called" and state["counter"] == 2


def test_an_unknown_ticket_is_not_found(client, hall):
    response = client.get("/xep-hang/so/7d0c6f8e-3f57-4d2a-9a53-2b6a3b1c9d11/")
    assert response.status_code == 404
    assert "Mời ông/bà đến quầy" not in response.content.decode()
    assert not Ticket.objects.exists()  # looking up a ticket issues none


def test_the_hall_display_renders_the_calls_and_polls_the_api_without_reloading(client, hall, at):
    with at(2026, 3, 2, 8, 0):
        services.issue(hall.c)
        services.call_next(hall.counter(3), hall.officer)
        html = client.get(f"/xep-hang/man-hinh/?center={hall.center.pk}").content.decode()
    assert "SỐ ĐANG GỌI" in html and "<td>C001</td><td>3</td>" in html
    assert f'data-api="/api/v1/queue/display?center={hall.center.pk}"' in html
    assert 'data-announce="Mời số {number} đến quầy số {counter}"' in html
    assert 'http-equiv="refresh"' not in html and "https://" not in html


def test_the_counter_page_calls_skips_recalls_and_transfers(client, hall, at):
    counter = hall.counter(1)
    act = f"/xep-hang/quay/{counter.pk}/thao-tac/"
    with at(2026, 3, 2, 8, 0):
        client.force_login(hall.officer)  # inside the pinned instant: the session must not have expired
        services.issue(hall.a)
        services.issue(hall.a)
        client.post(act, {"action": "call_next"})
        page = client.get(f"/xep-hang/quay/{counter.pk}/").content.decode()
        assert 'data-testid="current-ticket">A001<' in page and "Tiếp nhận hồ sơ cho số A001" in page
        client.post(act, {"action": "skip"})
        client.post(act, {"action": "call_next"})
        client.post(act, {"action": "transfer", "to_counter": hall.counter(3).pk})
        skipped = Ticket.objects.get(code="A001")
        client.post(act, {"action": "recall", "ticket": skipped.pk})
    statuses = dict(Ticket.objects.values_list("code", "status"))
    assert statuses == {"A001": "called", "A002": "waiting"}
    assert Ticket.objects.get(code="A002").target_counter == hall.counter(3)


def test_a_bad_counter_action_shows_a_message_and_changes_nothing(client, hall, at):
    counter = hall.counter(1)
    with at(2026, 3, 2, 8, 0):
        client.force_login(hall.officer)
        services.issue(hall.a)
        response = client.post(f"/xep-hang/quay/{counter.pk}/thao-tac/", {"action": "skip"}, follow=True)
        assert "Quầy 1 chưa gọi số nào." in response.content.decode()
        response = client.post(f"/xep-hang/quay/{counter.pk}/thao-tac/", {"action": "xoa"}, follow=True)
        assert "Thao tác không hợp lệ." in response.content.decode()
    assert Ticket.objects.get().status == "waiting"


def test_the_counter_page_is_for_reception_officers_only(client, hall):
    waiting = services.issue(hall.a)
    client.force_login(UserFactory(username="chuyenvien"))
    assert client.get("/xep-hang/quay/").status_code == 403
    assert (
        client.post(f"/xep-hang/quay/{hall.counter(1).pk}/thao-tac/", {"action": "call_next"}).status_code
        == 403
    )
    waiting.refresh_from_db()
    assert waiting.status == Ticket.Status.WAITING and waiting.counter is None  # nobody was called


@pytest.fixture
def supervisor(hall):
    user = UserFactory(username="giamdoc")
    grant(user, Role.SUPERVISOR, hall.center.agency)
    return user


def test_the_supervisor_sees_waiting_and_service_times_per_counter_and_hour(client, hall, supervisor, at):
    with at(2026, 3, 2, 7, 50):
        services.issue(hall.a)
        services.issue(hall.a)
    with at(2026, 3, 2, 8, 0):
        services.call_next(hall.counter(1), hall.officer)  # A001 waited 10 min
    with at(2026, 3, 2, 8, 6):
        services.call_next(hall.counter(1), hall.officer)  # A001 served 6 min; A002 waited 16 min
    with at(2026, 3, 2, 9, 10):
        services.skip(hall.counter(1), hall.officer)
        client.force_login(supervisor)
        response = client.get("/xep-hang/thong-ke/?from=02/03/2026&to=02/03/2026")
    html = response.content.decode()
    stats = response.context["figures"]
    assert stats.hours == [8]
    ((counter, cells, total),) = stats.rows
    assert counter.number == 1 and (total.served, total.skipped) == (1, 1)
    assert (total.mean_wait, total.mean_service, total.max_wait) == (13.0, 6.0, 16.0)
    assert "chờ 13,0′ · phục vụ 6,0′" in html and "1 lượt (1 vắng)" in html


@pytest.mark.parametrize(
    "query, message",
    [
        ("from=32/13/2026", "Ngày không hợp lệ, hãy nhập theo dạng dd/mm/yyyy."),
        ("from=05/03/2026&to=01/03/2026", "Ngày kết thúc phải sau ngày bắt đầu."),
    ],
)
def test_bad_dates_on_the_statistics_page_show_a_vietnamese_message(client, hall, supervisor, query, message):
    client.force_login(supervisor)
    response = client.get(f"/xep-hang/thong-ke/?{query}")
    assert response.status_code == 400 and message in response.content.decode()


def test_the_statistics_are_not_for_reception_officers(client, hall):
    client.force_login(hall.officer)
    response = client.get("/xep-hang/thong-ke/")
    assert response.status_code == 403
    assert "Thống kê xếp hàng" not in response.content.decode()  # not a word of the figures is shown


def test_the_kiosk_and_the_hall_display_speak_english_on_request(client, hall):
    client.post("/i18n/setlang/", {"language": "en", "next": "/xep-hang/"})
    assert "TAKE A QUEUE TICKET" in client.get("/xep-hang/").content.decode()
    html = client.get("/xep-hang/man-hinh/").content.decode()
    assert "NOW CALLING" in html and 'data-announce="Ticket {number}, please go to counter {counter}"' in html


def test_the_statistics_count_the_guidance_given_at_the_counters_without_receiving(
    client, hall, supervisor, at
):
    from motcua.dossiers import services as dossier_services
    from motcua.dossiers.tests.factories import ApplicantFactory, ProcedureWithProcessFactory

    procedure = ProcedureWithProcessFactory(resolving_agency=hall.center.agency)
    with at(2026, 3, 2, 8, 0):
        for items in (["Bản sao CCCD"], ["Tờ khai", "Ảnh 4x6"]):
            dossier_services.guide_at_counter(
                procedure=procedure, applicant=ApplicantFactory(), actor=hall.officer, items=items
            )
    with at(2026, 3, 3, 8, 0):  # another day: outside the period asked for
        dossier_services.guide_at_counter(
            procedure=procedure, applicant=ApplicantFactory(), actor=hall.officer, items=["Tờ khai"]
        )
        client.force_login(supervisor)
        response = client.get("/xep-hang/thong-ke/?from=02/03/2026&to=02/03/2026")
    html = response.content.decode()
    assert response.context["guidance_total"] == 2
    assert response.context["guidance"] == [("Nguyễn Thị Hoa", 2)]
    assert "Số lượt hướng dẫn: 2." in html


def test_the_counter_page_refreshes_its_parts_in_place_not_by_reloading(client, hall, at, settings):
    settings.MOTCUA_COUNTER_REFRESH_SECONDS = 7
    counter = hall.counter(1)
    with at(2026, 3, 2, 8, 0):
        client.force_login(hall.officer)
        html = client.get(f"/xep-hang/quay/{counter.pk}/").content.decode()
        assert 'http-equiv="refresh"' not in html
        assert '<script src="/static/monitoring/live-refresh.js" defer></script>' in html
        assert 'data-live-seconds="7"' in html and "data-live-toggle" in html
        for part in ("status", "current", "actions", "waiting", "skipped"):
            assert f'data-live-part="{part}"' in html
        assert "Không có ai đang chờ." in html
        services.issue(hall.a)
        # What the script fetches: the same page, whose parts now hold the new ticket.
        fresh = client.get(f"/xep-hang/quay/{counter.pk}/", HTTP_X_LIVE_REFRESH="1").content.decode()
    waiting = fresh[fresh.index('data-live-part="waiting"') : fresh.index('data-live-part="skipped"')]
    assert "<td>A001</td>" in waiting and "Đang chờ (1)" in waiting
