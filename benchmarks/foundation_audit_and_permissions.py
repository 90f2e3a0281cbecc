"""Cost of the audit trail on a save, and of the permission check, on the demo center.

Run:  .venv/bin/python benchmarks/foundation_audit_and_permissions.py
      DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench .venv/bin/python benchmarks/...
A throw-away test database is created and destroyed. Prints medians in milliseconds.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.test_settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models.signals import post_save, pre_save  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

ROUNDS = 300


def median_ms(fn, rounds=ROUNDS):
    samples = []
    for i in range(rounds):
        start = time.perf_counter()
        fn(i)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main():
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from motcua.accounts.models import User
        from motcua.audit import registry
        from motcua.audit.context import audit_context
        from motcua.org import demo
        from motcua.org.models import Agency
        from motcua.org.permissions import agencies_in_scope, can_act_on_agency

        demo.load()
        agency = Agency.objects.get(short_name="TP")
        actor = User.objects.get(username="lanhdao.tp")

        def save_changed(i):
            agency.phone = f"09{i:08d}"
            agency.save()

        with audit_context(actor=actor, reason="benchmark"):
            audited = median_ms(save_changed)
        uid = "motcua-audit-org.agency"
        pre_save.disconnect(sender=Agency, dispatch_uid=uid + "-pre-save")
        post_save.disconnect(sender=Agency, dispatch_uid=uid + "-post-save")
        plain = median_ms(save_changed)
        registry.register(Agency, agency=lambda a: a)

        users = {name: User.objects.get(username=name) for name in ["chuyenvien.tp", "tiepnhan", "giamdoc"]}
        tnmt = Agency.objects.get(short_name="TNMT")
        print(f"database: {connection.vendor}")
        print(f"save of an agency, audited:     {audited:.2f} ms (median of {ROUNDS})")
        print(f"save of an agency, not audited: {plain:.2f} ms  -> audit overhead {audited - plain:.2f} ms")
        from motcua.org.permissions import invalidate_scopes

        def cold(fn):
            def run(i):
                invalidate_scopes()
                fn(i)

            return run

        for name, user in users.items():
            first = median_ms(cold(lambda i, u=user: can_act_on_agency(u, tnmt)))
            cached = median_ms(lambda i, u=user: can_act_on_agency(u, tnmt))
            scope = median_ms(cold(lambda i, u=user: list(agencies_in_scope(u))))
            print(
                f"{name:<14} can_act_on_agency: first call {first:.2f} ms, cached {cached:.3f} ms; "
                f"agencies_in_scope evaluated {scope:.2f} ms"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
