"""Load benchmark of the served application: public reads against a bare view, in the same server, over HTTP.

Measures, one after the other, with the same number of concurrent clients:
  - `GET /healthz`: a constant JSON answer through the full middleware stack, no database (the reference);
  - `GET /api/v1/lookup?code=…&phone=…` and `POST /api/v1/lookup` (JSON): the public status lookup (a right pair,
    so the failure throttle stays off);
  - `GET /api/v1/procedures?q=khai sinh` and `?q=dang ky khai sinh`: the public procedure search;
and prints, per endpoint, requests/s, median and p99 latency, 5xx and connection errors, the CPU per request of
the server's processes and (PostgreSQL on this machine) of the database backends serving it, and the ratios to the
bare view (throughput: endpoint / bare; p99: endpoint / bare; CPU of both: bare / endpoint). On a machine shared
with other work the throughput ratio moves with that work's load; the CPU ratio is the steadier figure.

The server is started exactly as `make run` starts it (`gunicorn -c python:motcua.gunicorn_conf motcua.wsgi`,
production settings: DEBUG off) on a throw-away database with the demo loaded (embedded SQLite in a temporary
folder, or the PostgreSQL database named by --database-url, which is dropped and recreated). With --url the
benchmark runs instead against a server that is already running (e.g. `make run`); give it --code and --phone of
a dossier that exists there.

The load client is a small asyncio HTTP/1.1 client from the standard library (keep-alive connections, one
coroutine per client, no new dependency): it costs far less CPU per request than locust's Python users, which
matters when the client shares the server's cores, and it times every request the same way for all endpoints.

Run:
  .venv/bin/python benchmarks/serve_bench.py [--clients 50] [--seconds 20] [--workers N] [--threads 2]
  .venv/bin/python benchmarks/serve_bench.py --database-url postgres://postgres@127.0.0.1:5432/motcua_bench
  .venv/bin/python benchmarks/serve_bench.py --url http://127.0.0.1:8000 --code 000.00.00.H06-… --phone 09…
Exit status 0 unless a request got a 5xx or a connection error (and see benchmarks/speed_guard.py).
"""

import argparse
import asyncio
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "src"))

from motcua.gunicorn_conf import default_workers  # noqa: E402  (the server's own default)

# --- the load client ----------------------------------------------------------------------------------------


async def _read_response(reader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    length = 0
    close = False
    chunked = False
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value.strip())
        elif name == b"connection" and value.strip().lower() == b"close":
            close = True
        elif name == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    if chunked:
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip(), 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length:
        await reader.readexactly(length)
    return status if not close else -status


def _request_bytes(path, host, port) -> bytes:
    """An HTTP/1.1 request for `path`: a GET, or a (path, JSON body) pair to POST."""
    if isinstance(path, tuple):
        path, body = path
        return (
            f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: application/json\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode() + body
    return f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: application/json\r\n\r\n".encode()


async def _client(host, port, paths, deadline, samples, errors, index):
    reader = writer = None
    n = index
    while time.perf_counter() < deadline:
        request = _request_bytes(paths[n % len(paths)], host, port)
        n += 1
        started = time.perf_counter()
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(host, port)
            writer.write(request)
            status = await _read_response(reader)
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            errors.append(type(exc).__name__)
            if writer is not None:
                writer.close()
            reader = writer = None
            await asyncio.sleep(0.01)
            continue
        samples.append((time.perf_counter() - started, abs(status)))
        if status < 0:  # the server closes this connection
            writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


async def _load(base_url, paths, clients, seconds):
    parts = urllib.parse.urlsplit(base_url)
    samples: list = []
    errors: list = []
    started = time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(
        *(
            _client(parts.hostname, parts.port or 80, paths, deadline, samples, errors, i)
            for i in range(clients)
        )
    )
    elapsed = time.perf_counter() - started
    return samples, errors, elapsed


async def _post_client(port, path, bodies, deadline, counter, statuses, errors):
    """One keep-alive client POSTing bodies (taken in turn from the shared list) until the deadline."""
    reader = writer = None
    while time.perf_counter() < deadline:
        n = counter["n"] = counter["n"] + 1
        token, body = bodies[n % len(bodies)]
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n"
            + (f"Authorization: Bearer {token}\r\n" if token else "")
            + "\r\n"
        )
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(head.encode() + body)
            status = await _read_response(reader)
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            errors.append(type(exc).__name__)
            if writer is not None:
                writer.close()
            reader = writer = None
            await asyncio.sleep(0.01)
            continue
        statuses[abs(status)] = statuses.get(abs(status), 0) + 1
        if status < 0:
            writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


def post_load(port, path, bodies, clients, seconds, counter) -> dict:
    statuses, errors = {}, []

    async def run():
        deadline = time.perf_counter() + seconds
        await asyncio.gather(
            *(_post_client(port, path, bodies, deadline, counter, statuses, errors) for _ in range(clients))
        )

    started = time.perf_counter()
    asyncio.run(run())
    return {"statuses": statuses, "errors": errors, "elapsed": time.perf_counter() - started}


def process_tree_cpu(pid: int | None) -> float | None:
    """CPU seconds (user + system) used so far by process `pid` and its children (Linux /proc; else None)."""
    if not pid or not os.path.isdir("/proc"):
        return None
    tick = os.sysconf("SC_CLK_TCK")
    children: dict[int, list[int]] = {}
    stats: dict[int, list[str]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        stats[int(entry)] = fields
        children.setdefault(int(fields[1]), []).append(int(entry))
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        if current in stats:
            fields = stats[current]
            # utime + stime, and cutime + cstime: the children it has already reaped (a restarted worker)
            total += sum(int(fields[i]) for i in (11, 12, 13, 14)) / tick
        todo.extend(children.get(current, []))
    return total


def database_cpu(database_url: str | None) -> dict[int, float] | None:
    """CPU seconds used so far by each PostgreSQL backend serving the database of `database_url` (the pooled
    connections of the server under test), by process id; None without PostgreSQL on this machine."""
    if not database_url or not database_url.startswith("postgres") or not os.path.isdir("/proc"):
        return None
    import psycopg

    name = urllib.parse.urlsplit(database_url).path.lstrip("/")
    with psycopg.connect(database_url, autocommit=True) as conn:
        pids = [
            row[0]
            for row in conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [name]
            )
        ]
    tick = os.sysconf("SC_CLK_TCK")
    used = {}
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:  # another machine's server, or a backend that has just ended
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / tick
    return used


def measure(base_url, paths, clients, seconds, warmup=1.0, server_pid=None, database_url=None) -> dict:
    """One run of `clients` concurrent clients GETting `paths` (in turn) for `seconds`: raw figures."""
    if warmup:
        asyncio.run(_load(base_url, paths, clients, warmup))
    server_before = process_tree_cpu(server_pid)
    database_before = database_cpu(database_url)
    samples, errors, elapsed = asyncio.run(_load(base_url, paths, clients, seconds))
    server_after = process_tree_cpu(server_pid)
    database_after = database_cpu(database_url)
    database = None
    if database_before is not None and database_after:
        # a backend that started during the run counts from zero (the pool opens connections on demand)
        database = sum(cpu - database_before.get(pid, 0.0) for pid, cpu in database_after.items())
    return {
        "latencies": [s[0] for s in samples],
        "statuses": [s[1] for s in samples],
        "errors": len(errors),
        "elapsed": elapsed,
        "server_cpu": None if server_before is None else server_after - server_before,
        "database_cpu": database,
    }


def summarize(runs: list[dict]) -> dict:
    """Requests/s, median and p99 latency, 5xx and connection errors, server CPU per request over runs."""
    latencies = sorted(t for run in runs for t in run["latencies"])
    statuses = [s for run in runs for s in run["statuses"]]
    elapsed = sum(run["elapsed"] for run in runs)
    cpu = [run["server_cpu"] for run in runs]
    database = [run.get("database_cpu") for run in runs]

    def pct(p):
        return (
            latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else float("nan")
        )

    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50_ms": pct(0.50),
        "p99_ms": pct(0.99),
        "server_errors": sum(1 for s in statuses if s >= 500),
        "connection_errors": sum(run["errors"] for run in runs),
        "server_cpu_ms": sum(cpu) * 1000 / len(latencies) if None not in cpu and latencies else None,
        "database_cpu_ms": sum(database) * 1000 / len(latencies)
        if None not in database and latencies
        else None,
    }


def endpoints(code: str, phone: str) -> dict[str, list[str]]:
    quote = urllib.parse.quote
    return {
        "bare view (/healthz)": ["/healthz"],
        "status lookup (GET /api/v1/lookup)": [f"/api/v1/lookup?code={quote(code)}&phone={quote(phone)}"],
        "status lookup (POST /api/v1/lookup)": [
            ("/api/v1/lookup", json.dumps({"code": code, "phone": phone}).encode())
        ],
        'search "khai sinh"': ["/api/v1/procedures?q=" + quote("khai sinh")],
        'search "dang ky khai sinh"': ["/api/v1/procedures?q=" + quote("dang ky khai sinh")],
    }


def run_all(base_url, code, phone, clients, seconds, only=None, server_pid=None, rounds=3, database_url=None):
    """Each endpoint for `seconds` in all, in `rounds` interleaved turns (so that a change in the machine's
    load falls on every endpoint alike); returns {endpoint: summary}."""
    chosen = {
        name: paths
        for name, paths in endpoints(code, phone).items()
        if not only or any(word in name for word in only)
    }
    for name, paths in chosen.items():
        # check the answer once: the benchmark must measure the real thing, not a 404
        path, body = paths[0] if isinstance(paths[0], tuple) else (paths[0], None)
        check = urllib.request.Request(
            base_url + path, data=body, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(check, timeout=30) as response:
            assert response.status == 200, (name, response.status)
            body = json.loads(response.read())
        if "lookup" in name:
            assert body["code"] == code, body
        if "search" in name:
            assert body["count"] > 0, body
    runs: dict[str, list] = {name: [] for name in chosen}
    for _round in range(rounds):
        for name, paths in chosen.items():
            runs[name].append(
                measure(
                    base_url,
                    paths,
                    clients,
                    seconds / rounds,
                    server_pid=server_pid,
                    database_url=database_url,
                )
            )
    return {name: summarize(name_runs) for name, name_runs in runs.items()}


def _both_cpu(result: dict) -> float | None:
    """Server and database CPU per request (the server's alone on SQLite or without the database's figure)."""
    if result["server_cpu_ms"] is None:
        return None
    return result["server_cpu_ms"] + (result.get("database_cpu_ms") or 0.0)


def report(results, title):
    bare = results.get("bare view (/healthz)")
    lines = [
        f"### {title}",
        "",
        "| endpoint | req/s | p50 | p99 | 5xx | conn. errors | server CPU / req | database CPU / req "
        "| CPU / req, both | throughput / bare | p99 / bare | CPU both: bare / endpoint |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r in results.items():
        ratio = f"{r['rps'] / bare['rps']:.0%}" if bare else "–"
        p99_ratio = f"{r['p99_ms'] / bare['p99_ms']:.1f}×" if bare else "–"
        cpu = f"{r['server_cpu_ms']:.2f} ms" if r["server_cpu_ms"] is not None else "–"
        both = _both_cpu(r)
        database = f"{r['database_cpu_ms']:.2f} ms" if r.get("database_cpu_ms") is not None else "–"
        both_text = f"{both:.2f} ms" if both is not None else "–"
        bare_both = _both_cpu(bare) if bare else None
        cpu_ratio = f"{bare_both / both:.0%}" if bare_both is not None and both else "–"
        lines.append(
            f"| {name} | {r['rps']:.0f} | {r['p50_ms']:.0f} ms | {r['p99_ms']:.0f} ms | {r['server_errors']} "
            f"| {r['connection_errors']} | {cpu} | {database} | {both_text} | {ratio} | {p99_ratio} | {cpu_ratio} |"
        )
    return "\n".join(lines)


# --- the server under test ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare_database(env: dict) -> tuple[str, str]:
    """Migrate and load the demo into the throw-away database; returns (code, phone) of a demo dossier."""
    url = env.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        parts = urllib.parse.urlsplit(url)
        name = parts.path.lstrip("/")
        admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
        import psycopg

        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    motcua = [str(BIN / "motcua")]
    subprocess.run([*motcua, "migrate", "--noinput", "-v", "0"], env=env, check=True)
    subprocess.run([*motcua, "load_demo"], env=env, check=True, stdout=subprocess.DEVNULL)
    script = (
        "from motcua.dossiers.models import Dossier;"
        "d = Dossier.objects.exclude(applicant__phone='').exclude(code='').select_related('applicant')"
        ".order_by('id').first();"
        "print(d.code, d.applicant.phone)"
    )
    out = subprocess.run(
        [*motcua, "shell", "-c", script], env=env, check=True, capture_output=True, text=True
    ).stdout.split()
    return out[-2], out[-1]


def start_server(env: dict, port: int, module: str = "motcua.wsgi") -> subprocess.Popen:
    """The `make run` command on `port` (with `module` instead of motcua.wsgi for a benchmark's own URLs)."""
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "python:motcua.gunicorn_conf", module],
        env={**env, "MOTCUA_BIND": f"127.0.0.1:{port}", "LOG_LEVEL": "WARNING"},
        cwd=env["MOTCUA_DATA_DIR"],
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("the server did not start")


def server_env(args, data_dir: str) -> dict:
    env = {
        **os.environ,
        "DEBUG": "1" if args.debug else "0",
        "SECRET_KEY": "benchmark-only-not-secret",
        # A production-mode server: its start checks want a signing passphrase and a public address.
        "MOTCUA_SIGNING_PASSPHRASE": "benchmark-only-passphrase",
        "MOTCUA_PUBLIC_URL": "http://127.0.0.1",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "MOTCUA_DATA_DIR": data_dir,
        "MOTCUA_DEMO_HISTORY": "0",
        # The demo it loads signs with demo certificates, which a production process refuses to start with
        # unless demo mode is declared (it allows sandboxes and demo keys; the request paths are the same).
        "MOTCUA_DEMO_MODE": "1",
        "WEB_CONCURRENCY": str(args.workers),
        "MOTCUA_WEB_THREADS": str(args.threads),
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DATABASE_URL", None)
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    return env


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30, help="measured seconds per endpoint, in all")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved turns over the endpoints")
    parser.add_argument(
        "--workers",
        type=int,
        default=default_workers(),
        help="server worker processes (the server's default)",
    )
    parser.add_argument("--threads", type=int, default=2, help="threads per worker")
    parser.add_argument(
        "--database-url", default="", help="PostgreSQL database to recreate (default: SQLite)"
    )
    parser.add_argument("--debug", action="store_true", help="serve with DEBUG on, as the demo does")
    parser.add_argument("--url", default="", help="benchmark this running server instead of starting one")
    parser.add_argument("--code", default="", help="with --url: code of a dossier on that server")
    parser.add_argument("--phone", default="", help="with --url: its applicant's phone number")
    parser.add_argument(
        "--data-dir",
        default="",
        help="keep the prepared database in this folder and reuse it on the next run",
    )
    parser.add_argument("--only", nargs="*", help="only the endpoints whose name contains one of these words")
    return parser.parse_args(argv)


def serve_and_measure(args):
    """Start a server as configured by `args`, run the endpoints, stop it; returns (results, description)."""
    if args.url:
        return run_all(
            args.url.rstrip("/"),
            args.code,
            args.phone,
            args.clients,
            args.seconds,
            args.only,
            rounds=args.rounds,
        ), (f"server at {args.url}")
    data_dir = args.data_dir or tempfile.mkdtemp(prefix="motcua-serve-bench-")
    os.makedirs(os.path.join(data_dir, "static"), exist_ok=True)  # STATIC_ROOT (no collectstatic: API only)
    env = server_env(args, data_dir)
    prepared = Path(data_dir, "bench-dossier.txt")
    try:
        if args.data_dir and prepared.exists():
            code, phone = prepared.read_text().split()
        else:
            code, phone = prepare_database(env)
            prepared.write_text(f"{code} {phone}")
        port = free_port()
        server = start_server(env, port)
        try:
            results = run_all(
                f"http://127.0.0.1:{port}",
                code,
                phone,
                args.clients,
                args.seconds,
                args.only,
                server.pid,
                args.rounds,
                args.database_url or None,
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
    finally:
        if not args.data_dir:
            shutil.rmtree(data_dir, ignore_errors=True)
    database = "PostgreSQL" if args.database_url else "SQLite"
    return results, (
        f"{database}, gunicorn {args.workers} workers x {args.threads} threads, DEBUG {'on' if args.debug else 'off'}"
    )


def main():
    args = parse_args()
    results, description = serve_and_measure(args)
    load = os.getloadavg()[0]
    print(
        report(
            results,
            f"{description}; {args.clients} clients, {args.seconds:g} s per endpoint; "
            f"{os.cpu_count()} cores, load average {load:.1f}; Python {platform.python_version()}",
        )
    )
    failures = sum(r["server_errors"] + r["connection_errors"] for r in results.values())
    if failures:
        print(f"\nFAILED: {failures} requests answered 5xx or failed to connect", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
