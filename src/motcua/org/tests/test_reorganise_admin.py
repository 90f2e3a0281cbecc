"""Reorganising from the admin: a pasted or uploaded plan shows the dry run's report (what moves where, counts,
refusals) and is applied only on confirm, by a superuser or a province administrator; the applied plan is
recorded and visible afterwards; anyone else is refused and nothing changes."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import UserFactory, grant
from motcua.org.models import Agency, Reorganisation, Role
from motcua.org.tests import test_reorganise_split
from motcua.org.tests.factories import AgencyFactory
from motcua.org.tests.test_reorganise import snapshot
from motcua.org.tests.test_reorganise_split import WEST, split_plan

pytestmark = pytest.mark.django_db
land = test_reorganise_split.land  # the split test's commune B and its open work

URL = "/admin/org/reorganisation/add/"


def province_administrator(land, province=None):
    user = UserFactory(username="quantri-tinh", is_staff=True)
    grant(user, Role.ADMINISTRATOR, AgencyFactory(unit=province or land.province, name="Sở Nội vụ tỉnh Mẫu"))
    return user


def preview(client, plan):
    return client.post(URL, {"plan": json.dumps(plan, ensure_ascii=False), "preview": "1"})


def test_the_preview_shows_the_dry_run_counts_and_changes_nothing_until_confirmed(client, land):
    client.force_login(land.superuser)
    plan = split_plan(land)
    before = snapshot()
    response = preview(client, plan)
    page = response.content.decode()
    assert response.status_code == 200
    assert "THỬ (không thay đổi dữ liệu)" in page and "hồ sơ đang giải quyết: 1" in page
    assert f"{land.named.code} → {WEST}" in page and 'name="confirm"' in page
    assert snapshot() == before and not Reorganisation.objects.exists()

    response = client.post(URL, {"plan": json.dumps(plan, ensure_ascii=False), "confirm": "1"})
    record = Reorganisation.objects.get()
    assert response.status_code == 302 and response.url.endswith(
        f"/admin/org/reorganisation/{record.pk}/change/"
    )
    assert Dossier.objects.get(pk=land.named.pk).resolving_agency.identity_code == WEST
    assert record.applied_by == land.superuser and record.source == "admin" and record.plan == plan
    assert "ĐÃ THỰC HIỆN" in record.report
    shown = client.get(response.url).content.decode()
    assert plan["basis"] in shown and land.named.code in shown
    assert plan["basis"] in client.get("/admin/org/reorganisation/").content.decode()


def test_a_plan_uploaded_as_a_file_is_previewed(client, land):
    client.force_login(land.superuser)
    upload = SimpleUploadedFile("plan.json", json.dumps(split_plan(land)).encode(), "application/json")
    response = client.post(URL, {"plan_file": upload, "preview": "1"})
    assert "hồ sơ đang giải quyết: 1" in response.content.decode()


def test_the_preview_lists_refusals_and_offers_no_confirm(client, land):
    client.force_login(land.superuser)
    before = snapshot()
    page = preview(client, split_plan(land, default=None)).content.decode()
    assert "KHÔNG XẾP ĐƯỢC" in page and land.other.code in page and "BT-26E" in page
    assert 'name="confirm"' not in page
    response = client.post(URL, {"plan": json.dumps(split_plan(land, default=None)), "confirm": "1"})
    assert response.status_code == 200 and "không xếp được" in response.content.decode()
    assert snapshot() == before and not Reorganisation.objects.exists()


@pytest.mark.parametrize(
    "text, message",
    [
        ("{not json", "không phải JSON hợp lệ"),
        ("", "Hãy dán kế hoạch"),
        (json.dumps({"effective": "2026-02-10", "basis": "NQ", "splits": []}), "không có gì để sắp xếp"),
    ],
)
def test_a_bad_plan_gets_a_vietnamese_message_and_changes_nothing(client, land, text, message):
    client.force_login(land.superuser)
    before = snapshot()
    response = client.post(URL, {"plan": text, "confirm": "1"})
    assert response.status_code == 200 and message in response.content.decode()
    assert snapshot() == before


def test_a_province_administrator_may_reorganise_their_province(client, land):
    client.force_login(province_administrator(land))
    response = client.post(URL, {"plan": json.dumps(split_plan(land)), "confirm": "1"})
    assert response.status_code == 302
    assert Agency.objects.filter(identity_code=WEST).exists()


def test_a_province_administrator_cannot_reorganise_another_province(client, land):
    client.force_login(province_administrator(land, province=land.other_province))
    before = snapshot()
    response = client.post(URL, {"plan": json.dumps(split_plan(land)), "confirm": "1"})
    assert "ngoài tỉnh" in response.content.decode()
    assert snapshot() == before


def test_a_staff_member_who_is_not_an_administrator_is_refused_and_nothing_changes(client, land):
    user = UserFactory(username="canbo-thuong", is_staff=True)
    grant(user, Role.ADMINISTRATOR, land.b)  # administrator of a commune, not of the province
    client.force_login(user)
    before = snapshot()
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"plan": json.dumps(split_plan(land)), "confirm": "1"}).status_code == 403
    assert client.get("/admin/org/reorganisation/").status_code == 403
    assert snapshot() == before and not Reorganisation.objects.exists()
