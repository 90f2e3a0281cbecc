import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from motcua.dossiers.applicants import check_submitter, find_or_create_applicant
from motcua.dossiers.models import Applicant
from motcua.dossiers.tests.factories import ApplicantFactory, OrganisationApplicantFactory

pytestmark = pytest.mark.django_db

CITIZEN = {
    "applicant_type": "citizen",
    "name": "  Nguyễn   Văn An ",
    "id_type": "cccd",
    "id_number": "027 090 000 001",
    "date_of_birth": datetime.date(1990, 5, 1),
    "address": "Thôn Ngọc Xuyên, xã Đại Bái, huyện Gia Bình, tỉnh Bắc Ninh",
    "phone": "+84 912.345.678",
    "email": "An@Example.vn",
}


def test_citizen_is_created_with_normalised_identity_and_contacts():
    applicant = find_or_create_applicant(**CITIZEN)

    applicant.refresh_from_db()
    assert applicant.name == "Nguyễn Văn An"
    assert applicant.id_number == "027090000001"
    assert applicant.phone == "0912345678"
    assert applicant.email == "an@example.vn"
    assert applicant.masked_id_number == "••••••••0001"


def test_same_identity_is_found_again_and_contacts_refreshed_without_blanking():
    first = find_or_create_applicant(**CITIZEN)
    again = find_or_create_applicant(
        name="Nguyễn Văn An", id_type="cccd", id_number="027090000001", phone="0987654321", address=""
    )

    assert again.pk == first.pk
    assert Applicant.objects.count() == 1
    again.refresh_from_db()
    assert again.phone == "0987654321"
    assert again.address == CITIZEN["address"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"id_number": "02709000001"}, "id_number", "Số căn cước công dân phải gồm đúng 12 chữ số."),
        ({"id_number": "02709000000A"}, "id_number", "Số căn cước công dân phải gồm đúng 12 chữ số."),
        ({"id_number": ""}, "id_number", "Chưa nhập số giấy tờ tùy thân."),
        (
            {"id_type": "cmnd", "id_number": "1234567"},
            "id_number",
            "Số chứng minh nhân dân phải gồm 9 hoặc 12 chữ số.",
        ),
        (
            {"id_type": "passport", "id_number": "C12"},
            "id_number",
            "Số hộ chiếu chỉ gồm chữ cái và chữ số, từ 6 đến 20 ký tự.",
        ),
        (
            {"id_type": "tax_code", "id_number": "2300000001"},
            "id_type",
            "Công dân cần giấy tờ là CCCD, CMND hoặc hộ chiếu.",
        ),
        ({"phone": "0123"}, "phone", "Số điện thoại không hợp lệ"),
        ({"phone": "0112345678"}, "phone", "Số điện thoại không hợp lệ"),
        ({"name": "   "}, "name", "Chưa nhập họ và tên hoặc tên tổ chức."),
        ({"email": "khong-phai-email"}, "email", "Nhập địa chỉ email."),
        (
            # Tomorrow when the test runs, not when it is collected (a callable, resolved in the test).
            {"date_of_birth": lambda: timezone.localdate() + datetime.timedelta(days=1)},
            "date_of_birth",
            "Ngày sinh không được sau ngày hôm nay.",
        ),
    ],
)
def test_bad_citizen_input_is_refused_in_vietnamese_and_changes_nothing(changes, field, message):
    changes = {key: value() if callable(value) else value for key, value in changes.items()}
    with pytest.raises(ValidationError) as exc:
        find_or_create_applicant(**{**CITIZEN, **changes})

    assert field in exc.value.message_dict
    assert any(message in m for m in exc.value.message_dict[field])
    assert Applicant.objects.count() == 0


def test_passport_numbers_are_upper_cased_and_landlines_accepted():
    applicant = find_or_create_applicant(
        name="John Smith", id_type="passport", id_number="c1234567", phone="0222 3812 345"
    )
    assert applicant.id_number == "C1234567"
    assert applicant.phone == "02223812345"


def test_organisation_is_identified_by_its_tax_code():
    org = find_or_create_applicant(
        applicant_type="organisation",
        name="Công ty TNHH Gốm Mẫu",
        tax_code="2300 123456",
        representative="Lê Văn Đại",
    )
    branch = find_or_create_applicant(
        applicant_type="organisation", name="Chi nhánh Gốm Mẫu", tax_code="2300123456-001"
    )

    assert (org.id_type, org.id_number, org.tax_code) == ("tax_code", "2300123456", "2300123456")
    assert branch.id_number == "2300123456-001"
    assert (
        find_or_create_applicant(applicant_type="organisation", name="X", tax_code="2300123456").pk == org.pk
    )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"tax_code": ""}, "tax_code", "Chưa nhập mã số thuế của tổ chức."),
        ({"tax_code": "23001234"}, "tax_code", "Mã số thuế phải gồm 10 chữ số"),
        ({"tax_code": "2300123456-1"}, "tax_code", "Mã số thuế phải gồm 10 chữ số"),
        ({"date_of_birth": datetime.date(2000, 1, 1)}, "date_of_birth", "Tổ chức không có ngày sinh."),
    ],
)
def test_bad_organisation_input_is_refused(changes, field, message):
    fields = {"applicant_type": "organisation", "name": "Công ty Mẫu", "tax_code": "2300123456", **changes}
    with pytest.raises(ValidationError) as exc:
        find_or_create_applicant(**fields)
    assert any(message in m for m in exc.value.message_dict[field])
    assert not Applicant.objects.exists()


def test_unknown_fields_are_refused():
    with pytest.raises(ValidationError, match="Trường không hợp lệ: shoe_size"):
        find_or_create_applicant(**CITIZEN, shoe_size=42)


def test_database_refuses_a_citizen_row_carrying_a_tax_code_identity():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Applicant.objects.create(
            applicant_type="citizen", name="A", id_type="tax_code", id_number="2300123456"
        )


def test_a_person_may_submit_on_behalf_of_an_applicant_but_an_organisation_may_not():
    owner = ApplicantFactory()
    helper = ApplicantFactory()
    company = OrganisationApplicantFactory()

    assert check_submitter(owner, None) is False
    assert check_submitter(owner, owner) is False
    assert check_submitter(owner, helper) is True
    assert check_submitter(company, helper) is True
    with pytest.raises(ValidationError, match="Người nộp hồ sơ phải là cá nhân."):
        check_submitter(owner, company)
    with pytest.raises(ValidationError, match="cần ghi rõ người nộp hồ sơ"):
        check_submitter(company, None)
