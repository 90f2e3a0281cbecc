import pytest

from motcua.catalog.models import Procedure
from motcua.catalog.tests.factories import (
    AgencyFactory,
    FeeFactory,
    FieldFactory,
    ProcedureFactory,
    RequiredDocumentFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog():
    justice = AgencyFactory(short_name="TP", name="Phòng Tư pháp")
    field = FieldFactory(code="ho-tich", name="Hộ tịch")
    birth = ProcedureFactory(
        code="1.001193", name="Đăng ký khai sinh", field=field, resolving_agency=justice, same_day=True
    )
    ProcedureFactory(code="1.004884", name="Đăng ký lại khai sinh", field=field, resolving_agency=justice)
    ProcedureFactory(
        code="1.000894", name="Đăng ký kết hôn", field=field, resolving_agency=justice, five_on_the_spot=True
    )
    ProcedureFactory(code="2.002481", name="Chuyển trường đối với học sinh trung học cơ sở")
    return birth


def codes_in(html: str, *codes) -> list[str]:
    return sorted((html.index(c), c) for c in codes if c in html)


@pytest.mark.parametrize("q", ["dang ky khai sinh", "khai sinh dang ky", "Đăng ký khai sinh"])
def test_search_without_diacritics_lists_the_exact_name_first(client, catalog, q):
    html = client.get("/thu-tuc/", {"q": q}, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Tìm thấy 2 thủ tục" in html
    assert [c for _i, c in codes_in(html, "1.001193", "1.004884")] == ["1.001193", "1.004884"]
    assert "2.002481" not in html


def test_filters_by_on_the_spot_and_online_level(client, catalog):
    html = client.get("/thu-tuc/", {"on_the_spot": "on"}).content.decode()
    assert "1.000894" in html and "1.001193" not in html
    assert "5 tại chỗ" in html


def test_bad_filter_shows_a_vietnamese_message_and_no_results(client, catalog):
    response = client.get("/thu-tuc/", {"online_level": "level9"}, HTTP_ACCEPT_LANGUAGE="vi")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Điều kiện tìm kiếm không hợp lệ" in html
    assert "1.001193" not in html


def test_detail_page_shows_documents_fees_and_time_limit(client, catalog):
    RequiredDocumentFactory(
        procedure=catalog, name="Tờ khai đăng ký khai sinh theo mẫu", form_template_name="Tờ khai"
    )
    FeeFactory(procedure=catalog, description="Lệ phí cấp bản sao", amount=1_000_000)
    html = client.get("/thu-tuc/1.001193/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Tờ khai đăng ký khai sinh theo mẫu" in html
    assert "1.000.000 đ" in html
    assert "Trong ngày" in html
    assert "Nhận hồ sơ sau 15 giờ" in html
    assert "Thành phần hồ sơ" in html and "Phí, lệ phí" in html


def test_draft_and_unknown_procedures_are_not_found(client, catalog):
    draft = ProcedureFactory(code="9.000001", name="Thủ tục đang soạn thảo", status=Procedure.Status.DRAFT)
    for response in (client.get("/thu-tuc/9.000001/"), client.get("/thu-tuc/0.000000/")):
        assert response.status_code == 404
        page = response.content.decode()
        assert "Không tìm thấy trang" in page and draft.name not in page


def test_retired_procedure_points_to_its_replacement(client, catalog):
    new = ProcedureFactory(code="1.013225", name="Cấp giấy phép xây dựng mới (nhà ở riêng lẻ)")
    ProcedureFactory(code="1.004850", status=Procedure.Status.RETIRED, superseded_by=new)
    html = client.get("/thu-tuc/1.004850/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "hết hiệu lực" in html and "/thu-tuc/1.013225/" in html


def test_agency_and_field_pages_show_counts_and_their_procedures(client, catalog):
    agencies = client.get("/thu-tuc/co-quan/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Phòng Tư pháp" in agencies and "3 thủ tục" in agencies
    fields = client.get("/thu-tuc/linh-vuc/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Hộ tịch" in fields and "3 thủ tục" in fields
    page = client.get("/thu-tuc/co-quan/TP/", {"q": "ket hon"}).content.decode()
    assert "1.000894" in page and "1.001193" not in page
    assert client.get("/thu-tuc/linh-vuc/ho-tich/").content.decode().count("/thu-tuc/1.") == 3
    assert client.get("/thu-tuc/co-quan/KHONG-CO/").status_code == 404


def test_staff_home_links_to_the_procedure_search(client):
    from motcua.accounts.tests.factories import UserFactory

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "/thu-tuc/" in html and "Tra cứu thủ tục hành chính" in html


def test_detail_page_says_the_time_limit_once_and_marks_optional_documents_once(client, catalog):
    catalog.time_limit_value, catalog.time_limit_unit = 3, "working_days"
    catalog.time_limit_text = "03 ngày làm việc"
    catalog.save()
    RequiredDocumentFactory(procedure=catalog, name="Giấy ủy quyền (nếu có)", is_required=False)
    RequiredDocumentFactory(procedure=catalog, name="Bản sao giấy tờ nhân thân", is_required=False)

    html = client.get("/thu-tuc/1.001193/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()

    assert "3 ngày làm việc" in html and "03 ngày làm việc" not in html
    assert "(nếu có) <span" not in html and html.count("(nếu có)") == 2  # the name's own, and one added


def test_a_catalog_note_that_adds_something_is_still_shown(client, catalog):
    catalog.time_limit_value, catalog.time_limit_unit = 3, "working_days"
    catalog.time_limit_text = "03 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ"
    catalog.save()
    html = client.get("/thu-tuc/1.001193/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "03 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ" in html
