"""Benchmark of the agency's Q&A pull (`LayDanhSachHoiDapBoCoQuan`) against the local portal simulator.

The simulator lists `--rows` Q&A rows of one agency (answer in the row, a catalog field); the script times the
first pull (every row becomes an answered, published recommendation) and a second pull of the same list (every
row known and unchanged: nothing written), with the number of queries of each. It prints the figures as Markdown.

Run:  .venv/bin/python benchmarks/national_portal_agency_qa.py [--rows 1000]
      DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench_agency_qa .venv/bin/python benchmarks/...
"""

import argparse
import json
import os
import sys
import time
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))

from national_portal_outbox import setup_django  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1000)
    args = parser.parse_args()
    setup_django()

    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from motcua.catalog.tests.factories import FieldFactory
    from motcua.integrations.national_portal import AGENCY_QUESTIONS
    from motcua.national_portal import conf
    from motcua.national_portal.questions import pull_questions
    from motcua.national_portal.simulator import SimulatorServer
    from motcua.org.tests.factories import AgencyFactory

    server = SimulatorServer(port=0).start()
    settings.NATIONAL_PORTAL = {
        "url": server.url,
        "transport": "direct",
        "username": "motcua",
        "password": "simulator-password",
        "unit_code": "000.00.99.H06",
        "dstcode": "SIMULATOR",
        "timeout": "10",
    }
    AgencyFactory(identity_code="000.01.99.H06")
    FieldFactory(code="ho-tich")
    rows = [
        {
            "HOIDAPID": str(1000 + i),
            "MALINHVUC": "ho-tich",
            "MADONVI": "000.01.99.H06",
            "NOIDUNG": f"Câu hỏi mẫu {i}?",
            "TRANGTHAI": "1",
            "TRALOIID": str(i),
            "NOIDUNGTRALOI": f"Trả lời mẫu {i}.",
        }
        for i in range(args.rows)
    ]
    request = urllib.request.Request(
        f"{server.url}/simulator/config",
        data=json.dumps({"agency_questions": rows}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    urllib.request.urlopen(request, timeout=30).read()
    print(f"{connection.vendor}, {args.rows} rows, load average {os.getloadavg()[0]:.1f}\n")
    print("| pull | time | queries | received / known |")
    print("|---|---|---|---|")
    try:
        for label in ("first", "again (unchanged)"):
            connection.queries_log.clear()  # the log keeps 9,000 queries at most
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                report = pull_questions(conf.get_connector(), AGENCY_QUESTIONS)
                elapsed = time.perf_counter() - started
            print(
                f"| {label} | {elapsed * 1000:,.0f} ms | {len(queries.captured_queries):,} | "
                f"{report.received} / {report.known} |"
            )
    finally:
        server.stop()


if __name__ == "__main__":
    main()
