import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from motcua.catalog.models import Fee, Procedure, RequiredDocument
from motcua.catalog.spreadsheet import (
    DOCUMENTS_SHEET,
    FEES_SHEET,
    PROCEDURES_SHEET,
    export_catalog,
    import_catalog,
)

from .factories import AgencyFactory, FeeFactory, FieldFactory, ProcedureFactory, RequiredDocumentFactory

pytestmark = pytest.mark.django_db

HEADER = [
    "Mã thủ tục",
    "Tên thủ tục",
    "Tên lĩnh vực",
    "Cơ quan giải quyết",
    "Thời hạn giải quyết",
    "Đơn vị thời hạn",
    "5 tại chỗ",
    "Mức độ dịch vụ công trực tuyến",
]


def workbook(procedures, documents=(), fees=()) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.title = PROCEDURES_SHEET
    sheet.append(HEADER)
    for row in procedures:
        sheet.append(row)
    docs = book.create_sheet(DOCUMENTS_SHEET)
    docs.append(["Mã thủ tục", "Tên giấy tờ", "Số bản chính", "Số bản sao"])
    for row in documents:
        docs.append(row)
    fee_sheet = book.create_sheet(FEES_SHEET)
    fee_sheet.append(["Mã thủ tục", "Nội dung", "Mức thu (đồng)"])
    for row in fees:
        fee_sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


@pytest.fixture
def justice():
    return AgencyFactory(short_name="TP", identity_code="000.01.99.H06", name="Phòng Tư pháp")


def snapshot():
    return (
        sorted(
            Procedure.objects.values_list(
                "code", "name", "time_limit_value", "time_limit_unit", "on_the_spot"
            )
        ),
        sorted(RequiredDocument.objects.values_list("id", "procedure__code", "name")),
        sorted(Fee.objects.values_list("id", "procedure__code", "amount")),
    )


def sheet_values(data: bytes) -> dict:
    book = load_workbook(io.BytesIO(data))
    return {name: [list(r) for r in book[name].iter_rows(values_only=True)] for name in book.sheetnames}


def test_a_valid_file_creates_procedures_documents_fees_and_a_process(justice):
    file = workbook(
        [
            ["1.001193", "Đăng ký khai sinh", "Hộ tịch", "TP", None, "trong ngày", "Có", "Toàn trình"],
            [
                "1.000894",
                "Đăng ký kết hôn",
                "Hộ tịch",
                "000.01.99.H06",
                5,
                "ngày làm việc",
                "Không",
                "một phần",
            ],
        ],
        documents=[["1.001193", "Tờ khai đăng ký khai sinh", 1, 0], ["1.001193", "Giấy chứng sinh", 1, 0]],
        fees=[["1.000894", "Lệ phí đăng ký kết hôn", 0]],
    )
    report = import_catalog(file)
    assert report.ok and report.applied and report.created == 2
    birth = Procedure.objects.get(code="1.001193")
    assert (birth.time_limit_unit, birth.on_the_spot, birth.online_level) == ("same_day", True, "full")
    assert list(birth.documents.values_list("name", flat=True)) == [
        "Tờ khai đăng ký khai sinh",
        "Giấy chứng sinh",
    ]
    marriage = Procedure.objects.get(code="1.000894")
    assert marriage.time_limit_value == Decimal("5") and marriage.fees.get().amount == 0
    assert birth.process_for(on_the_spot=True).steps.count() == 5
    assert marriage.process_for().steps.count() == 6


def test_every_bad_row_is_reported_in_vietnamese_and_nothing_changes(justice):
    ProcedureFactory(code="1.000001", name="Thủ tục có sẵn", resolving_agency=justice)
    before = snapshot()
    file = workbook(
        [
            ["1.001193", "Đăng ký khai sinh", "Hộ tịch", "TP", None, "same_day", "Có", "full"],  # good
            ["1.000002", "", "Hộ tịch", "TP", 3, "ngày làm việc", "Không", "full"],  # row 3: no name
            [
                "1.000003",
                "Thủ tục C",
                "Hộ tịch",
                "KHONG-CO",
                3,
                "ngày làm việc",
                "Không",
                "full",
            ],  # 4: agency
            ["1.000004", "Thủ tục D", "Hộ tịch", "TP", -1, "tuần", "Có lẽ", "full"],  # 5: three bad cells
            ["1.001193", "Trùng mã", "Hộ tịch", "TP", None, "same_day", "Không", "full"],  # 6: duplicate
            ["1.000006", "Thủ tục F", "Hộ tịch", "TP", 3, "", "Không", "full"],  # 7: value without unit
        ],
        documents=[["9.999999", "Giấy tờ của thủ tục không có", 1, 0]],  # documents row 2
        fees=[["1.001193", "Lệ phí", "một nghìn"]],  # fees row 2
    )
    report = import_catalog(file, dry_run=True)
    rows = {(e.sheet, e.row): str(e) for e in report.errors}
    assert set(rows) == {
        (PROCEDURES_SHEET, 3),
        (PROCEDURES_SHEET, 4),
        (PROCEDURES_SHEET, 5),
        (PROCEDURES_SHEET, 6),
        (PROCEDURES_SHEET, 7),
        (DOCUMENTS_SHEET, 2),
        (FEES_SHEET, 2),
    }
    assert "Tên thủ tục: không được để trống." in rows[(PROCEDURES_SHEET, 3)]
    assert "không tìm thấy cơ quan" in rows[(PROCEDURES_SHEET, 4)]
    assert (
        "không được âm" in rows[(PROCEDURES_SHEET, 5)]
        and "“tuần” không hợp lệ" in rows[(PROCEDURES_SHEET, 5)]
    )
    assert "“Có” hoặc “Không”" in rows[(PROCEDURES_SHEET, 5)]
    assert "lặp lại (đã có ở dòng 2)" in rows[(PROCEDURES_SHEET, 6)]
    assert "Chọn đơn vị cho thời hạn" in rows[(PROCEDURES_SHEET, 7)]
    assert "9.999999 không có trong danh mục" in rows[(DOCUMENTS_SHEET, 2)]
    assert "phải là số nguyên" in rows[(FEES_SHEET, 2)]
    file.seek(0)
    applied = import_catalog(file)
    assert not applied.ok and not applied.applied
    assert snapshot() == before


@pytest.mark.parametrize("content", [b"not a spreadsheet", b"PK\x03\x04broken zip", b""])
def test_a_malformed_file_is_refused_and_changes_nothing(justice, content):
    ProcedureFactory(code="1.000001", resolving_agency=justice)
    before = snapshot()
    report = import_catalog(io.BytesIO(content))
    assert [str(e) for e in report.errors] == ["Tệp không phải bảng tính Excel (.xlsx) hợp lệ."]
    assert snapshot() == before


def test_a_workbook_without_the_procedures_sheet_or_its_columns_is_refused(justice):
    book = Workbook()
    book.active.title = "Sheet"
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    assert "Không có trang này" in str(import_catalog(buffer).errors[0])
    book.active.title = PROCEDURES_SHEET
    book.active.append(["Mã thủ tục", "Tên thủ tục"])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    assert "Thiếu cột “Tên lĩnh vực”, “Cơ quan giải quyết”" in str(import_catalog(buffer).errors[0])


def test_dry_run_reports_what_would_change_but_writes_nothing(justice):
    file = workbook([["1.001193", "Đăng ký khai sinh", "Hộ tịch", "TP", None, "same_day", "Có", "full"]])
    report = import_catalog(file, dry_run=True)
    assert report.ok and not report.applied and report.created == 1
    assert "1 thủ tục sẽ thêm mới" in report.summary()
    assert not Procedure.objects.exists()


def test_importing_the_same_file_twice_changes_nothing_the_second_time(justice):
    file = workbook(
        [["1.001193", "Đăng ký khai sinh", "Hộ tịch", "TP", None, "same_day", "Có", "full"]],
        documents=[["1.001193", "Tờ khai", 1, 0]],
        fees=[["1.001193", "Lệ phí", 8000]],
    )
    import_catalog(file)
    before = snapshot()
    file.seek(0)
    second = import_catalog(file)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 1)
    assert snapshot() == before


def test_export_then_import_reproduces_the_catalog_in_the_same_layout(justice):
    field = FieldFactory(code="ho-tich", name="Hộ tịch")
    new = ProcedureFactory(
        code="1.013225",
        name="Cấp giấy phép xây dựng mới (nhà ở riêng lẻ)",
        field=field,
        resolving_agency=justice,
        time_limit_value=Decimal("15"),
        time_limit_unit="calendar_days",
        levels="district,commune",
        applicant_types="citizen,organisation",
    )
    ProcedureFactory(
        code="1.004850",
        name="Cấp giấy phép xây dựng (mã cũ)",
        field=field,
        resolving_agency=justice,
        status="retired",
        superseded_by=new,
    )
    birth = ProcedureFactory(
        code="1.001193",
        name="Đăng ký khai sinh",
        field=field,
        resolving_agency=justice,
        same_day=True,
        five_on_the_spot=True,
        online_time_limit_value=Decimal("0.5"),
        online_time_limit_unit="working_days",
    )
    RequiredDocumentFactory(procedure=birth, name="Tờ khai", copy_count=2, certified_copy=True, reusable=True)
    FeeFactory(
        procedure=birth,
        description="Phí bản sao",
        amount=2000,
        basis="per_page",
        max_amount=200000,
        online_amount=1000,
        kind="service_fee",
    )
    exported = export_catalog()
    assert import_catalog(io.BytesIO(exported)).unchanged == 3

    Procedure.objects.update(superseded_by=None)
    Procedure.objects.all().delete()
    report = import_catalog(io.BytesIO(exported))
    assert report.ok and report.created == 3
    assert sheet_values(export_catalog()) == sheet_values(exported)
    assert Procedure.objects.get(code="1.004850").superseded_by.code == "1.013225"


def test_import_command_lists_bad_rows_and_fails(justice, tmp_path):
    path = tmp_path / "danh-muc.xlsx"
    path.write_bytes(
        workbook([["1.000002", "", "Hộ tịch", "TP", 3, "ngày làm việc", "Không", "full"]]).getvalue()
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 dòng lỗi"):
        call_command("import_catalog", str(path), "--dry-run", stderr=err)
    assert "dòng 2" in err.getvalue()
    good = tmp_path / "tot.xlsx"
    good.write_bytes(
        workbook([["1.000002", "Thủ tục B", "Hộ tịch", "TP", 3, "ngày làm việc", "Không", "full"]]).getvalue()
    )
    out = io.StringIO()
    call_command("import_catalog", str(good), stdout=out)
    assert "1 thủ tục thêm mới" in out.getvalue()
    call_command("export_catalog", str(tmp_path / "ra.xlsx"), stdout=io.StringIO())
    assert load_workbook(tmp_path / "ra.xlsx")[PROCEDURES_SHEET]["A2"].value == "1.000002"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [(8000, 8000), ("100.000", 100000), ("1,000,000", 1000000), (1.5, None), ("1,5 đ", None), ("-5", None)],
)
def test_fee_amounts_accept_whole_dong_with_thousand_separators_only(justice, cell, expected):
    file = workbook(
        [["1.001193", "Đăng ký khai sinh", "Hộ tịch", "TP", None, "same_day", "Có", "full"]],
        fees=[["1.001193", "Lệ phí", cell]],
    )
    report = import_catalog(file)
    if expected is None:
        assert "phải là số nguyên không âm" in str(report.errors[0])
        assert not Procedure.objects.exists()
    else:
        assert Fee.objects.get().amount == expected
