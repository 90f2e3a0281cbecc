"""A procedure's online form is defined in the catalog: fields with a Vietnamese label, a type, a required flag,
choices and help, edited in the admin and given to a few online procedures by the demo loader."""

import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook

from motcua.accounts.tests.factories import UserFactory
from motcua.catalog import demo
from motcua.catalog.models import Procedure, ProcedureFormField
from motcua.catalog.spreadsheet import FORM_FIELDS_SHEET, PROCEDURES_SHEET, export_catalog, import_catalog

from .factories import AgencyFactory, ProcedureFactory, ProcedureFormFieldFactory

pytestmark = pytest.mark.django_db


def test_a_choice_field_needs_two_distinct_options_and_other_kinds_none():
    field = ProcedureFormFieldFactory.build(kind="choice", choices="Nam", procedure=ProcedureFactory())
    with pytest.raises(ValidationError) as excinfo:
        field.full_clean()
    assert excinfo.value.message_dict["choices"] == ["Kiểu “Chọn trong danh sách” cần ít nhất hai lựa chọn."]
    field.choices = "Nam\nNam"
    with pytest.raises(ValidationError, match="không được trùng"):
        field.full_clean()
    field.choices = "Nam\n  Nữ \n"
    field.full_clean()
    assert field.choice_list == ["Nam", "Nữ"]
    text = ProcedureFormFieldFactory.build(kind="text", choices="A\nB", procedure=field.procedure)
    with pytest.raises(ValidationError, match="Chỉ kiểu"):
        text.full_clean()


@pytest.mark.parametrize("key", ["Ten", "ten ho", "1ten", "tên", ""])
def test_a_field_key_is_lowercase_ascii(key):
    field = ProcedureFormFieldFactory.build(key=key, procedure=ProcedureFactory())
    with pytest.raises(ValidationError) as excinfo:
        field.full_clean()
    assert "key" in excinfo.value.message_dict


def test_administrators_edit_the_form_fields_on_the_procedure_page(client):
    procedure = ProcedureFactory(code="1.001612")
    ProcedureFormFieldFactory(procedure=procedure, key="ten_ho_kinh_doanh", label="Tên hộ kinh doanh")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    html = client.get(f"/admin/catalog/procedure/{procedure.pk}/change/").content.decode()
    assert "Trường thông tin trên tờ khai trực tuyến" in html
    assert 'value="Tên hộ kinh doanh"' in html and "Ô đánh dấu" in html and "Ngày (dd/mm/yyyy)" in html


def test_the_demo_gives_online_forms_to_household_business_and_birth_registration_once():
    demo.load()
    business = Procedure.objects.get(code="1.001612")
    assert business.online_level in ("full", "partial")
    fields = list(business.form_fields.all())
    assert fields[0].label == "Tên hộ kinh doanh" and fields[0].is_required
    assert {f.kind for f in fields} == {"text", "number", "choice", "checkbox"}
    birth = list(Procedure.objects.get(code="1.001193").form_fields.all())
    assert [f.key for f in birth if f.kind == "date"] == ["ngay_sinh"]
    for field in ProcedureFormField.objects.all():
        field.full_clean()  # the demo definitions obey the admin's own rules
    # an administrator's edit survives the next load, and nothing is added twice
    ProcedureFormField.objects.filter(procedure=business, key="dien_thoai").update(label="Số điện thoại")
    count = ProcedureFormField.objects.count()
    demo.load()
    assert ProcedureFormField.objects.count() == count
    assert business.form_fields.get(key="dien_thoai").label == "Số điện thoại"


def _form_workbook(rows, header=None) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.title = PROCEDURES_SHEET
    sheet.append(["Mã thủ tục", "Tên thủ tục", "Tên lĩnh vực", "Cơ quan giải quyết"])
    sheet.append(["1.001193", "Đăng ký khai sinh", "Hộ tịch", "TP"])
    fields = book.create_sheet(FORM_FIELDS_SHEET)
    fields.append(
        header or ["Mã thủ tục", "Mã trường", "Nhãn hiển thị", "Kiểu dữ liệu", "Bắt buộc", "Các lựa chọn"]
    )
    for row in rows:
        fields.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


@pytest.fixture
def justice():
    return AgencyFactory(short_name="TP", identity_code="000.01.99.H06", name="Phòng Tư pháp")


def test_the_catalog_workbook_carries_the_online_form_and_reimports_unchanged(justice):
    procedure = ProcedureFactory(code="1.001193", resolving_agency=justice)
    ProcedureFormFieldFactory(
        procedure=procedure, position=1, key="ho_ten_tre", label="Họ, chữ đệm, tên của trẻ"
    )
    ProcedureFormFieldFactory(
        procedure=procedure, position=2, key="gioi_tinh", label="Giới tính", kind="choice", choices="Nam\nNữ"
    )
    exported = export_catalog()
    sheet = load_workbook(io.BytesIO(exported))[FORM_FIELDS_SHEET]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[2] == (
        "1.001193",
        2,
        "gioi_tinh",
        "Giới tính",
        "Chọn trong danh sách",
        "Không",
        "Nam\nNữ",
        None,  # no help text: an empty cell
    )
    report = import_catalog(io.BytesIO(exported))
    assert report.ok and report.counts() == {"created": 0, "updated": 0, "unchanged": 1}


def test_importing_form_fields_replaces_the_procedures_form(justice):
    procedure = ProcedureFactory(code="1.001193", resolving_agency=justice)
    ProcedureFormFieldFactory(procedure=procedure, key="cu", label="Trường cũ")
    report = import_catalog(
        _form_workbook(
            [
                ["1.001193", "ngay_sinh", "Ngày, tháng, năm sinh", "Ngày (dd/mm/yyyy)", "Có", ""],
                ["1.001193", "gioi_tinh", "Giới tính", "chọn trong danh sách", "Có", "Nam; Nữ"],
            ]
        )
    )
    assert report.ok, [str(e) for e in report.errors]
    fields = list(procedure.form_fields.all())
    assert [(f.position, f.key, f.kind, f.is_required) for f in fields] == [
        (1, "ngay_sinh", "date", True),
        (2, "gioi_tinh", "choice", True),
    ]
    assert fields[1].choice_list == ["Nam", "Nữ"]


@pytest.mark.parametrize(
    "rows,message",
    [
        ([["1.001193", "Ngay Sinh", "Ngày sinh", "Chữ", "Có", ""]], "Mã trường chỉ gồm chữ thường"),
        (
            [["1.001193", "ngay_sinh", "Ngày sinh", "Lịch", "Có", ""]],
            "Kiểu dữ liệu: giá trị “Lịch” không hợp lệ.",
        ),
        (
            [["1.001193", "gioi_tinh", "Giới tính", "Chọn trong danh sách", "Có", "Nam"]],
            "ít nhất hai lựa chọn",
        ),
        (
            [
                ["1.001193", "ten", "Tên", "Chữ", "Có", ""],
                ["1.001193", "ten", "Tên khác", "Chữ", "Không", ""],
            ],
            "Thủ tục 1.001193: mã trường ten lặp lại.",
        ),
        ([["9.999999", "ten", "Tên", "Chữ", "Có", ""]], "Mã thủ tục 9.999999 không có trong danh mục."),
    ],
)
def test_a_bad_form_field_row_is_reported_and_nothing_changes(justice, rows, message):
    procedure = ProcedureFactory(code="1.001193", name="Tên cũ", resolving_agency=justice)
    ProcedureFormFieldFactory(procedure=procedure, key="cu", label="Trường cũ")
    report = import_catalog(_form_workbook(rows))
    assert not report.ok
    assert any(message in str(error) for error in report.errors), [str(e) for e in report.errors]
    assert any(str(error).startswith("Trang “Tờ khai trực tuyến”") for error in report.errors)
    procedure.refresh_from_db()
    assert procedure.name == "Tên cũ" and [f.key for f in procedure.form_fields.all()] == ["cu"]
