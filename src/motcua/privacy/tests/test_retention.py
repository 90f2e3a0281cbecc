"""`motcua purge_personal_data`: each kind of personal data is kept for its period, then deleted or anonymised.
--dry-run lists what would go and changes nothing. Ages are set relative to now, so this holds at any instant."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from motcua.citizens import services as citizen_services
from motcua.citizens.models import Submission, SubmissionFile
from motcua.citizens.tests.factories import CitizenProfileFactory, online_procedure, pdf_upload
from motcua.dossiers.models import Applicant
from motcua.dossiers.tests.factories import ApplicantFactory, make_dossier
from motcua.feedback.models import Recommendation
from motcua.feedback.tests.factories import RecommendationFactory
from motcua.privacy import access
from motcua.privacy.models import PersonalDataAccess

pytestmark = pytest.mark.django_db


def days_ago(n: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=n)


@pytest.fixture
def records(client, procedure, staff, media_root):
    """One record past its period and one within it, for every rule."""
    citizen = CitizenProfileFactory()
    proc = online_procedure("full", documents=("Tờ khai",))
    stale, fresh = (citizen_services.start_submission(citizen.user, proc) for _ in range(2))
    client.force_login(citizen.user)
    document = citizen_services.required_documents(stale)[0]
    client.post(
        reverse("citizens:draft", args=[stale.pk]),
        {"summary": "x", "return_method": "online", f"doc_{document.pk}": pdf_upload(), "save": "1"},
    )
    Submission.objects.filter(pk=stale.pk).update(updated_at=days_ago(200))
    Submission.objects.filter(pk=fresh.pk).update(updated_at=days_ago(10))

    idle = ApplicantFactory(name="Người Cũ", phone="0911000111", email="cu@example.vn", address="Thôn Cũ")
    busy = ApplicantFactory(name="Người Đang Có Hồ Sơ", phone="0911000222")
    dossier = make_dossier(procedure, actor=staff.officer, applicant=busy)  # received, still open
    Applicant.objects.filter(pk__in=[idle.pk, busy.pk]).update(updated_at=days_ago(6 * 365))
    type(dossier).objects.filter(pk=dossier.pk).update(updated_at=days_ago(6 * 365))

    answered_long_ago = RecommendationFactory(sender_email="nam@example.vn", answered_at=days_ago(4 * 365))
    answered_lately = RecommendationFactory(answered_at=days_ago(30))

    access.record(staff.officer, dossier=dossier)
    access.record(staff.officer, dossier=dossier)
    old_access = PersonalDataAccess.objects.earliest("pk").pk
    PersonalDataAccess.objects.filter(pk=old_access).update(at=days_ago(6 * 365))
    files = [Path(media_root) / f.file.name for f in SubmissionFile.objects.filter(submission=stale)]
    assert files and all(p.exists() for p in files)
    return {
        "stale": stale,
        "fresh": fresh,
        "idle": idle,
        "busy": busy,
        "old_rec": answered_long_ago,
        "new_rec": answered_lately,
        "files": files,
        "old_access": old_access,
    }


def run(*args) -> str:
    out = io.StringIO()
    call_command("purge_personal_data", *args, stdout=out)
    return out.getvalue()


def test_dry_run_lists_what_each_rule_would_purge_and_changes_nothing(records):
    output = run("--dry-run")
    assert "[draft_submissions]" in output and f"#{records['stale'].pk} " in output
    assert f"#{records['fresh'].pk} " not in output.split("[applicant_contacts]")[0]
    contacts = output.split("[applicant_contacts]")[1].split("[recommendation_contacts]")[0]
    assert "Người Cũ" in contacts and "Người Đang Có Hồ Sơ" not in contacts
    assert "[recommendation_contacts]" in output and "[access_log]" in output
    assert "1 bản ghi sẽ bị xóa" in output.split("[access_log]")[1]
    assert "Chạy thử: không có gì bị thay đổi." in output
    # nothing changed
    assert Submission.objects.filter(pk=records["stale"].pk).exists()
    assert all(p.exists() for p in records["files"])
    records["idle"].refresh_from_db()
    assert records["idle"].phone == "0911000111" and records["idle"].email == "cu@example.vn"
    assert Recommendation.objects.get(pk=records["old_rec"].pk).sender_phone == "0912345678"
    assert PersonalDataAccess.objects.count() == 2


def test_purge_deletes_and_anonymises_past_their_period_only(records, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        output = run()
    assert "[draft_submissions]" in output and "đã xóa 1 bản ghi" in output
    assert not Submission.objects.filter(pk=records["stale"].pk).exists()
    assert not SubmissionFile.objects.filter(submission_id=records["stale"].pk).exists()
    assert not any(p.exists() for p in records["files"])
    assert Submission.objects.filter(pk=records["fresh"].pk).exists()

    idle, busy = (Applicant.objects.get(pk=records[k].pk) for k in ("idle", "busy"))
    assert (idle.phone, idle.email, idle.address) == ("", "", "") and idle.name == "Người Cũ"
    assert busy.phone == "0911000222"  # an open dossier keeps its applicant's contacts

    old, new = (Recommendation.objects.get(pk=records[k].pk) for k in ("old_rec", "new_rec"))
    assert (old.sender_name, old.sender_phone, old.sender_email) == ("Ẩn danh", "", "")
    assert new.sender_phone == "0912345678"

    assert PersonalDataAccess.objects.count() == 1
    # a second run finds nothing more
    assert "đã xóa 0 bản ghi" in run() and "đã ẩn danh 0 bản ghi" in run()


def test_a_deployment_can_shorten_a_period(records, settings):
    settings.MOTCUA_RETENTION_DAYS = {"draft_submissions": 5}
    output = run("--dry-run").split("[applicant_contacts]")[0]
    assert "giữ 5 ngày: 2 bản ghi sẽ bị xóa" in output


def test_each_purged_record_gets_a_history_row_with_its_rule_and_no_personal_data(records):
    from motcua.audit.models import AuditEntry

    def purge_rows():
        return AuditEntry.objects.filter(after__has_key="retention_rule")

    run("--dry-run")
    assert not purge_rows().exists()
    run()
    rows = {(r.after["retention_rule"], r.action, r.object_id): r for r in purge_rows()}
    assert set(rows) == {
        ("draft_submissions", "delete", str(records["stale"].pk)),
        ("applicant_contacts", "update", str(records["idle"].pk)),
        ("recommendation_contacts", "update", str(records["old_rec"].pk)),
        ("access_log", "delete", str(records["old_access"])),
    }
    contacts = rows[("applicant_contacts", "update", str(records["idle"].pk))]
    assert contacts.after["fields"] == ["phone", "email", "address"]
    assert contacts.after["retention_days"] == 5 * 365 and contacts.after["records_in_run"] == 1
    assert contacts.before is None and "applicant_contacts" in contacts.reason
    draft = rows[("draft_submissions", "delete", str(records["stale"].pk))]
    assert draft.after["files"] == len(records["files"])
    written = " ".join(f"{r.object_repr} {r.reason} {r.after}" for r in rows.values())
    for personal in ("Người Cũ", "0911000111", "cu@example.vn", "Thôn Cũ", "Trần Văn Nam", "nam@example.vn"):
        assert personal not in written
    run()
    assert purge_rows().count() == 4  # a second run purges nothing more and writes nothing more
