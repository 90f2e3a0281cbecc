"""Downloads are attachments with nosniff, only for the dossier's staff and the applicant's own account; the
public check page tells whether a downloaded result is intact."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.citizens.tests.factories import CitizenProfileFactory
from motcua.dossiers.tests.factories import make_dossier

from .. import services
from .factories import pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_result(staff, procedure, demo_ca):
    citizen = CitizenProfileFactory()
    dossier = make_dossier(procedure, actor=staff.officer, applicant=citizen.applicant)
    result = services.register_result(
        dossier=dossier, actor=staff.clerk, content=pdf_bytes(), signer_name="Lãnh đạo", sign=True
    )
    return citizen, result


def test_the_citizen_sees_and_downloads_their_result_as_an_attachment(client, signed_result):
    citizen, result = signed_result
    client.force_login(citizen.user)
    store = client.get("/cong-dan/kho-du-lieu/").content.decode()
    assert result.title in store and "đã ký số" in store
    response = client.get(f"/giay-to/{result.pk}/tai-ve/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == services.read_content(result)


def test_others_cannot_download(client, signed_result):
    _citizen, result = signed_result
    anonymous = client.get(f"/giay-to/{result.pk}/tai-ve/")
    assert anonymous.status_code == 302 and "dang-nhap" in anonymous["Location"]
    client.force_login(CitizenProfileFactory().user)
    stranger = client.get(f"/giay-to/{result.pk}/tai-ve/")
    assert stranger.status_code == 404
    for refused in (anonymous, stranger):
        assert "Content-Disposition" not in refused and refused["Content-Type"] != "application/pdf"
    assert b"%PDF" not in stranger.content and result.title not in stranger.content.decode()


def test_the_check_page_says_intact_or_changed(client, signed_result):
    _citizen, result = signed_result
    content = services.read_content(result)
    page = client.post("/kiem-tra-ket-qua/", {"file": SimpleUploadedFile("kq.pdf", content)}).content.decode()
    assert "Tệp còn nguyên vẹn" in page and result.number in page
    middle = len(content) // 2
    changed = content[:middle] + bytes([content[middle] ^ 1]) + content[middle + 1 :]
    page = client.post("/kiem-tra-ket-qua/", {"file": SimpleUploadedFile("kq.pdf", changed)}).content.decode()
    assert "không còn nguyên vẹn" in page
    page = client.post(
        "/kiem-tra-ket-qua/", {"file": SimpleUploadedFile("kq.html", b"<html>")}
    ).content.decode()
    assert "nguy hiểm" in page


def test_staff_register_a_result_on_the_dossier_screen(client, staff, procedure, demo_ca):
    dossier = make_dossier(procedure, actor=staff.officer)
    client.force_login(staff.clerk)
    response = client.post(
        f"/ho-so/{dossier.code}/so-hoa/",
        {
            "signer_name": "Hoàng Văn Lãnh Đạo",
            "sign": "on",
            "generate": "1",
            "issued_on": "",
            "summary": "Cấp mới",
        },
    )
    assert response.status_code == 302
    page = client.get(f"/ho-so/{dossier.code}/so-hoa/").content.decode()
    assert "Đã số hóa thành phần và kết quả" in page or "Số hóa một phần" in page
    assert "đã ký số" in page
    client.force_login(staff.officer)
    response = client.post(f"/ho-so/{dossier.code}/so-hoa/", {"signer_name": "X", "generate": "1"})
    assert response.status_code == 403
