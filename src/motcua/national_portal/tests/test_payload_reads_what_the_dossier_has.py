"""The dossier payload reads the parts kept in other tables (scans, uploads, fees, payment, supplements, online
result, portal push, VNeID account) only when one statement says the dossier has them: the payload is the one
every part's own read gives, and a dossier received at the counter costs a few statements instead of ten."""

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from motcua.citizens.models import CitizenProfile, OnlineResult, SubmissionFile
from motcua.dossiers import services
from motcua.national_portal import payloads
from motcua.national_portal.models import InboundDossier
from motcua.payments.models import FeeLine
from motcua.payments.tests.factories import PaymentFactory

from .factories import citizen_with_an_online_dossier, received


def one_instant():
    """The clock stopped while two payloads are built: their file links are signed with the time, to the second."""
    return time_machine.travel(timezone.now(), tick=False)


pytestmark = pytest.mark.django_db


def read_with_every_part(dossier, monkeypatch) -> dict:
    """The payload as read before the presence statement: every part's own read."""
    with monkeypatch.context() as patch:
        patch.setattr(payloads, "what_it_has", lambda dossier: {})
        return payloads.dossier_payload(dossier)


def a_dossier_with_every_part(procedure, superuser):
    user, dossier = citizen_with_an_online_dossier(procedure, superuser, "012345678901")
    CitizenProfile.objects.filter(user=user).update(identity_level=CitizenProfile.IdentityLevel.LEVEL_2)
    document = dossier.documents.create(name="Tờ khai", original_count=1, position=1)
    document.file.save("tk.pdf", ContentFile(b"%PDF-1.4 scan"))
    submission = user.submissions.get()
    SubmissionFile.objects.create(
        submission=submission,
        title="Bản sao CCCD",
        file=ContentFile(b"%PDF-1.4 upload", name="cccd.pdf"),
        original_name="cccd.pdf",
        content_type="application/pdf",
        size=15,
        sha256="0" * 64,
    )
    FeeLine.objects.create(
        dossier=dossier, kind="admin_charge", description="Lệ phí", amount=50_000, status=FeeLine.Status.PAID
    )
    FeeLine.objects.create(dossier=dossier, kind="admin_charge", description="Phí chờ thu", amount=10_000)
    PaymentFactory(agency=dossier.agency, dossier=dossier, status="succeeded")
    InboundDossier.objects.create(
        portal_code="G22.99-261204-0001",
        dossier=dossier,
        procedure_code=dossier.procedure_code,
        tech_id="tech-42",
        payload_sha256="0" * 64,
    )
    dossier = services.advance(dossier, superuser)
    dossier = services.request_supplement(dossier, superuser, ["Tờ khai có chữ ký"], note="Thiếu")
    dossier = services.supplement(dossier, superuser, note="Đã nộp")
    OnlineResult.objects.create(
        dossier=dossier,
        file=ContentFile(b"%PDF-1.4 result", name="kq.pdf"),
        original_name="kq.pdf",
        size=15,
        sha256="0" * 64,
        uploaded_by=superuser,
    )
    return dossier


def test_a_dossier_with_every_part_sends_what_every_read_gives(portal_on, procedure, superuser, monkeypatch):
    dossier = a_dossier_with_every_part(procedure, superuser)
    assert all(payloads.what_it_has(dossier).values())
    with one_instant():
        payload = payloads.dossier_payload(dossier)
        assert payload == read_with_every_part(dossier, monkeypatch)
    assert len(payload["TaiLieuNop"]) == 2 and len(payload["DanhSachLePhi"]) == 1
    assert payload["DanhSachHoSoBoSung"] and payload["DanhSachGiayToKetQua"]
    assert payload["MaDoiTuong"] == "tech-42" and payload["NoiNopHoSo"] == "1"
    assert payload["TaiKhoanDuocXacThucVoiVNeID"] == "1" and payload["DuocThanhToanTrucTuyen"] == "1"


def test_each_part_alone_is_seen(portal_on, procedure, superuser, monkeypatch):
    """A part the dossier has is never skipped: one part at a time, the flags and the payload agree."""
    dossier = received(procedure, superuser)
    assert not any(payloads.what_it_has(dossier).values())
    with one_instant():
        assert payloads.dossier_payload(dossier) == read_with_every_part(dossier, monkeypatch)
    FeeLine.objects.create(dossier=dossier, kind="admin_charge", description="Chờ thu", amount=1)
    assert not any(payloads.what_it_has(dossier).values())  # a fee still due is not sent
    FeeLine.objects.create(
        dossier=dossier, kind="admin_charge", description="Miễn", amount=0, status=FeeLine.Status.EXEMPT
    )
    assert [name for name, yes in payloads.what_it_has(dossier).items() if yes] == ["fees"]
    with one_instant():
        assert payloads.dossier_payload(dossier) == read_with_every_part(dossier, monkeypatch)
    applicant_profile = CitizenProfile.objects.create(
        user=superuser, applicant=dossier.applicant, identity_level=CitizenProfile.IdentityLevel.LEVEL_1
    )
    assert not payloads.what_it_has(dossier)["vneid"]  # level 1 does not count
    applicant_profile.identity_level = CitizenProfile.IdentityLevel.LEVEL_2
    applicant_profile.save()
    assert payloads.what_it_has(dossier)["vneid"]
    with one_instant():
        assert payloads.dossier_payload(dossier) == read_with_every_part(dossier, monkeypatch)


def test_a_counter_dossier_costs_one_statement_for_the_parts_it_lacks(portal_on, procedure, superuser):
    dossier = received(procedure, superuser)
    payloads.dossier_payload(dossier)  # compiled once per thread
    with CaptureQueriesContext(connection) as read:
        payloads.dossier_payload(dossier)
    # the presence statement only: documents, uploads, fees, payment, portal push, VNeID, supplements, result
    # are each read only when it says so
    assert len(read.captured_queries) == 1, [q["sql"][:120] for q in read.captured_queries]


def test_the_delivery_reads_the_dossier_as_the_orm_would(portal_on, procedure, superuser):
    """The outbox's one prepared read of the dossier and its related rows gives the payload the ORM's read gives,
    without any column read afterwards by a statement of its own."""
    from motcua.dossiers.models import Dossier
    from motcua.national_portal.outbox import read_dossier

    rich = a_dossier_with_every_part(procedure, superuser)
    plain = received(procedure, superuser)
    returned = services.return_result(
        services.advance(
            services.advance(services.advance(services.advance(plain, superuser), superuser), superuser),
            superuser,
        ),
        superuser,
    )
    for dossier in (rich, returned, received(procedure, superuser)):
        full = Dossier.objects.select_related(
            "procedure__field", "applicant", "agency", "resolving_agency", "current_agency"
        ).get(pk=dossier.pk)
        with one_instant():
            with CaptureQueriesContext(connection) as orm:
                expected = payloads.dossier_payload(full)
            with CaptureQueriesContext(connection) as prepared:
                found = payloads.dossier_payload(read_dossier(dossier.pk))
        assert found == expected
        assert len(prepared.captured_queries) == len(orm.captured_queries) + 1  # the read itself
    with pytest.raises(Dossier.DoesNotExist):
        read_dossier(10**9)
