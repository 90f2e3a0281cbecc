import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from motcua.accounts.tests.factories import UserFactory
from motcua.catalog.models import Procedure, ProcessStep

from .factories import ProcedureFactory, ProcessStepFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_procedure_list_offers_excel_import_and_export(admin_client):
    ProcedureFactory(code="1.001193", name="Đăng ký khai sinh")
    html = admin_client.get("/admin/catalog/procedure/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Nhập từ Excel" in html and "Xuất Excel" in html
    response = admin_client.get("/admin/catalog/procedure/xuat-excel/")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert load_workbook(io.BytesIO(response.content))["Thủ tục"]["A2"].value == "1.001193"


def test_admin_import_of_a_malformed_file_shows_the_error_and_changes_nothing(admin_client):
    ProcedureFactory(code="1.001193")
    upload = io.BytesIO(b"khong phai excel")
    upload.name = "danh-muc.xlsx"
    response = admin_client.post(
        "/admin/catalog/procedure/nhap-excel/", {"file": upload, "dry_run": ""}, HTTP_ACCEPT_LANGUAGE="vi"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tệp không phải bảng tính Excel (.xlsx) hợp lệ." in html
    assert Procedure.objects.count() == 1


def test_admin_import_applies_an_exported_file(admin_client):
    procedure = ProcedureFactory(code="1.001193", name="Đăng ký khai sinh")
    exported = io.BytesIO(admin_client.get("/admin/catalog/procedure/xuat-excel/").content)
    exported.name = "danh-muc.xlsx"
    Procedure.objects.filter(pk=procedure.pk).update(name="Tên đã sửa sau khi xuất")
    response = admin_client.post("/admin/catalog/procedure/nhap-excel/", {"file": exported})
    assert response.status_code == 302
    procedure.refresh_from_db()
    assert procedure.name == "Đăng ký khai sinh"  # the file's row was applied


def test_process_steps_whose_shares_exceed_the_limit_are_refused_in_the_admin(admin_client):
    step = ProcessStepFactory(share="0.5")
    template = step.template
    data = {
        "procedure": template.procedure.pk,
        "variant": "normal",
        "name": "Quy trình",
        "is_active": "on",
        "steps-TOTAL_FORMS": "2",
        "steps-INITIAL_FORMS": "1",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "1000",
        "steps-0-id": step.pk,
        "steps-0-template": template.pk,
        "steps-0-position": "1",
        "steps-0-kind": "appraisal",
        "steps-0-name": "Thẩm định",
        "steps-0-role": "specialist",
        "steps-0-share": "0.7",
        "steps-1-template": template.pk,
        "steps-1-position": "2",
        "steps-1-kind": "approval",
        "steps-1-name": "Phê duyệt",
        "steps-1-role": "leader",
        "steps-1-share": "0.5",
    }
    response = admin_client.post(
        f"/admin/catalog/processtemplate/{template.pk}/change/", data, HTTP_ACCEPT_LANGUAGE="vi"
    )
    assert response.status_code == 200
    assert "vượt quá thời hạn giải quyết" in response.content.decode()
    assert ProcessStep.objects.get(pk=step.pk).share == Decimal("0.5")
    assert ProcessStep.objects.count() == 1
