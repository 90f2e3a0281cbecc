"""A procedure's online form is defined in the catalog: fields with a Vietnamese label, a type, a required flag,
choices and help, edited in the admin and given to a few online procedures by the demo loader."""

import pytest
from django.core.exceptions import ValidationError

from motcua.accounts.tests.factories import UserFactory
from motcua.catalog import demo
from motcua.catalog.models import Procedure, ProcedureFormField

from .factories import ProcedureFactory, ProcedureFormFieldFactory

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
