from playwright.sync_api import expect

from motcua.catalog.tests.factories import (
    AgencyFactory,
    FeeFactory,
    FieldFactory,
    ProcedureFactory,
    RequiredDocumentFactory,
)


def test_citizen_searches_without_diacritics_and_reads_documents_fees_and_time_limit(page, transactional_db):
    justice = AgencyFactory(short_name="TP", name="Phòng Tư pháp")
    field = FieldFactory(code="ho-tich", name="Hộ tịch")
    birth = ProcedureFactory(
        code="1.001193", name="Đăng ký khai sinh", field=field, resolving_agency=justice, same_day=True
    )
    ProcedureFactory(code="1.004884", name="Đăng ký lại khai sinh", field=field, resolving_agency=justice)
    RequiredDocumentFactory(procedure=birth, name="Tờ khai đăng ký khai sinh theo mẫu")
    RequiredDocumentFactory(procedure=birth, name="Giấy chứng sinh")
    FeeFactory(procedure=birth, description="Lệ phí đăng ký khai sinh quá hạn", amount=8_000)

    page.goto("/thu-tuc/")
    page.get_by_placeholder("Nhập từ khoá tìm kiếm").fill("dang ky khai sinh")
    page.get_by_role("button", name="Tìm kiếm").click()

    expect(page.get_by_role("status")).to_contain_text("Tìm thấy 2 thủ tục")
    first_row = page.locator("table.proc-table tbody tr").first
    expect(first_row).to_contain_text("1.001193")
    first_row.get_by_role("link", name="Đăng ký khai sinh").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký khai sinh")
    expect(page.get_by_role("cell", name="Tờ khai đăng ký khai sinh theo mẫu")).to_be_visible()
    expect(page.get_by_role("cell", name="Giấy chứng sinh")).to_be_visible()
    expect(page.get_by_text("Lệ phí đăng ký khai sinh quá hạn: 8.000 đ").first).to_be_visible()
    expect(page.get_by_role("cell", name="Trực tiếp")).to_be_visible()
    expect(page.get_by_text("Trong ngày").first).to_be_visible()
