"""`motcua load_demo` writes the Center's 2022 history; the reports reproduce the article's figures exactly."""

import datetime

import pytest
from django.db.models import Q

from motcua.catalog import demo as catalog_demo
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.org import demo as org_demo
from motcua.reports import demo, facts, figures, rollup
from motcua.reports.models import DossierFact
from motcua.reports.resolution import counts_by, resolution_report

pytestmark = pytest.mark.django_db
PERIOD = (datetime.date(2022, 1, 1), datetime.date(2022, 9, 30))


def test_the_demo_history_reproduces_the_article(settings):
    settings.MOTCUA_DEMO_HISTORY = True
    org_demo.load()
    catalog_demo.load()
    demo.load()

    # The loader rolled the finished days up; the rollup and the facts agree on the article's period.
    assert rollup.rolled_through() >= datetime.date(2022, 12, 31)
    assert counts_by("agency_id", *PERIOD) == counts_by("agency_id", *PERIOD, extra_filter=Q())

    report = resolution_report(*PERIOD, group_by="agency").as_dict()
    total = report["total"]
    assert total["received"]["total"] == 21_037
    assert total["resolved"]["early"] + total["resolved"]["on_time"] == 20_275
    assert total["resolved"]["late"] == 0
    assert total["rates"]["on_time_of_received"] == 96.4
    assert total["received"]["online"] == 1_225
    online = {r["label"]: r["received"]["online"] for r in report["rows"] if r["received"]["online"]}
    assert online == {
        "Phòng Tư pháp": 24,
        "Phòng Giáo dục và Đào tạo": 146,
        "Phòng Tài chính – Kế hoạch": 1_053,
        "Phòng Kinh tế và Hạ tầng": 2,
    }
    # The 762 not resolved in the period: none late, and the columns balance as Biểu 06 does (paused dossiers
    # are inside "đang giải quyết"; refused and withdrawn are not inside "đã giải quyết").
    assert total["in_progress"]["overdue"] == 0
    assert total["in_progress"]["paused"] == total["paused"]
    assert (
        total["resolved"]["total"] + total["refused"] + total["withdrawn"] + total["in_progress"]["total"]
    ) == 21_037
    # Both on-time rates, each with its own denominator: no resolved dossier was late, so 100% of those
    # resolved, and 96.4% of those received.
    assert total["rates"]["on_time_of_resolved"] == 100.0

    spot = figures.on_the_spot_figures(*PERIOD)
    assert (spot["approved"], spot["with_dossiers"], str(spot["with_dossiers_share"])) == (53, 21, "39.6")
    assert (spot["without_dossiers"], str(spot["without_dossiers_share"])) == (32, "60.4")
    assert (spot["agencies_taking_part"], spot["agencies_with_procedures"]) == (10, 12)

    # The history is real: every dossier has its events, codes are unique, no late result even after September.
    assert Dossier.objects.count() == 21_037
    assert Dossier.objects.filter(received_at__isnull=True).count() == 0
    assert DossierEvent.objects.filter(action="receive").count() == 21_037
    assert Dossier.objects.values("code").distinct().count() == 21_037
    later = resolution_report(datetime.date(2021, 12, 1), datetime.date(2022, 12, 31)).as_dict()["total"]
    assert later["resolved"]["late"] == 0 and later["in_progress"]["total"] == 0

    # The facts equal a full rebuild from the events, and loading again adds nothing.
    before = resolution_report(*PERIOD, group_by="procedure").as_dict()
    facts.rebuild_all()
    assert resolution_report(*PERIOD, group_by="procedure").as_dict() == before
    demo.load()
    assert DossierFact.objects.count() == 21_037
