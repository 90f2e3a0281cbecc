"""Dossiers written in bulk (the demo's 2022 history) get their digitisation rows in bulk too: results of civil
status, household business and Economy & Infrastructure procedures digitised, the rest at rising shares."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from motcua.accounts.tests.factories import UserFactory
from motcua.catalog.tests.factories import FieldFactory, RequiredDocumentFactory
from motcua.dossiers.models import Dossier
from motcua.dossiers.states import State
from motcua.dossiers.tests.factories import ApplicantFactory, ProcedureWithProcessFactory
from motcua.org.tests.factories import AgencyFactory
from motcua.reports.replay import BulkHistory

from ..history import record_history_digitisation
from ..models import DigitisationStatus, DossierDigitisation
from ..rates import digitisation_rates

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def procedure(field: str, agency: str, components: int = 2):
    p = ProcedureWithProcessFactory(
        field=FieldFactory(name=field), resolving_agency=AgencyFactory(name=agency)
    )
    for position in range(1, components + 1):
        RequiredDocumentFactory(procedure=p, position=position, name=f"Giấy tờ {position}")
    return p


def small_history(actor, procedures, per_procedure=30, month=9, open_every=5):
    """`per_procedure` dossiers of each procedure received on working days of `month` 2022; every
    `open_every`-th is left in progress, the others are resolved and returned."""
    bulk = BulkHistory(actor)
    day = datetime.date(2022, month, 5)  # a Monday
    for p in procedures:
        process = p.process_for(on_the_spot=False, agency=p.resolving_agency)
        for n in range(per_procedure):
            received = datetime.datetime.combine(
                day + datetime.timedelta(days=n % 5), datetime.time(8 + n % 8, 0), tzinfo=HCM
            )
            d = bulk.new(
                procedure=p, process=process, applicant=ApplicantFactory(), agency=p.resolving_agency
            )
            bulk.receive(d, received, actor)
            if n % open_every:
                steps = [received + datetime.timedelta(minutes=20 * (k + 1)) for k in range(8)]
                bulk.resolve(d, steps, actor)
                bulk.return_result(d, received + datetime.timedelta(hours=4), actor)
    bulk.save()
    return bulk


def test_bulk_history_gets_digitisation_rows_at_the_articles_rates():
    actor = UserFactory(is_superuser=True, is_staff=True)
    civil = procedure("Hộ tịch", "Phòng Tư pháp")
    business = procedure("Thành lập và hoạt động của hộ kinh doanh", "Phòng Tài chính – Kế hoạch")
    economy = procedure("Hoạt động xây dựng", "Phòng Kinh tế và Hạ tầng", components=3)
    land = procedure("Đất đai", "Phòng Tài nguyên và Môi trường")
    no_list = procedure("Bảo trợ xã hội", "Phòng Lao động – Thương binh và Xã hội", components=0)
    bulk = small_history(actor, [civil, business, economy, land, no_list])
    assert not DossierDigitisation.objects.exists()  # what the bulk replay alone leaves

    written = record_history_digitisation(bulk.dossiers)

    assert written == len(bulk.dossiers) == Dossier.objects.count() == 150
    rows = {r.dossier_id: r for r in DossierDigitisation.objects.select_related("dossier")}
    for p in (civil, business, economy):
        mine = [r for r in rows.values() if r.dossier.procedure_id == p.pk]
        assert all(r.components_digitised == r.components_total == p.documents.count() for r in mine)
        resolved = [r for r in mine if r.dossier.state == State.RETURNED]
        in_progress = [r for r in mine if r.dossier.state != State.RETURNED]
        assert len(resolved) == 24 and len(in_progress) == 6
        assert all(
            r.result_digitised and r.digitisation_status == DigitisationStatus.COMPLETE for r in resolved
        )
        assert not any(r.result_digitised for r in in_progress)
        assert all(r.digitisation_status == DigitisationStatus.COMPONENTS for r in in_progress)
    others = [r for r in rows.values() if r.dossier.procedure_id in (land.pk, no_list.pk)]
    digitised = [r for r in others if r.components_digitised]
    # September: about 56% of the other dossiers digitised at reception, never all, never none
    assert 0.3 * len(others) < len(digitised) < 0.8 * len(others)
    assert all(r.components_digitised == r.components_total for r in digitised)
    assert not any(r.result_digitised for r in others if not r.components_digitised)
    assert any(r.result_digitised for r in digitised) and not all(r.result_digitised for r in digitised)
    assert {r.components_total for r in others if r.dossier.procedure_id == no_list.pk} == {1}
    assert all(r.components_reused <= r.components_digitised for r in rows.values())

    # the report's rates over the history are no longer empty
    start = datetime.datetime(2022, 9, 1, tzinfo=HCM)
    end = datetime.datetime(2022, 10, 1, tzinfo=HCM)
    by_agency = digitisation_rates(start, end, group_by="agency")
    assert by_agency[civil.resolving_agency_id].results_digitised_rate == 100.0
    assert by_agency[economy.resolving_agency_id].digitised_components_rate == 100.0
    assert 0 < by_agency[land.resolving_agency_id].digitised_components_rate < 100
    overall = digitisation_rates(start, end)
    assert overall.dossiers == 150 and overall.components > 0

    # run again: nothing is written twice
    assert record_history_digitisation(bulk.dossiers) == 0
    assert DossierDigitisation.objects.count() == 150


def test_the_same_history_gets_the_same_rows():
    actor = UserFactory(is_superuser=True, is_staff=True)
    land = procedure("Đất đai", "Phòng Tài nguyên và Môi trường")
    bulk = small_history(actor, [land], per_procedure=40)
    record_history_digitisation(bulk.dossiers, seed=1)
    first = list(
        DossierDigitisation.objects.order_by("dossier_id").values_list("components_digitised", flat=True)
    )
    DossierDigitisation.objects.all().delete()
    record_history_digitisation(bulk.dossiers, seed=1)
    again = list(
        DossierDigitisation.objects.order_by("dossier_id").values_list("components_digitised", flat=True)
    )
    assert first == again


def test_digitisation_rises_through_2022_outside_the_articles_procedures():
    actor = UserFactory(is_superuser=True, is_staff=True)
    land = procedure("Đất đai", "Phòng Tài nguyên và Môi trường")
    january = small_history(actor, [land], per_procedure=200, month=1)
    september = small_history(actor, [land], per_procedure=200, month=9)
    record_history_digitisation(january.dossiers + september.dossiers)

    def share(bulk):
        ids = [d.pk for d in bulk.dossiers]
        return (
            DossierDigitisation.objects.filter(dossier_id__in=ids, components_digitised__gt=0).count() / 200
        )

    assert share(january) < 0.35 < share(september)
