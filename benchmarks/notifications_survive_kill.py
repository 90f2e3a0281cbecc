"""Crash check: `kill -9` of the server during concurrent intakes leaves every committed dossier with its
notification rows.

Usage:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_crash .venv/bin/python \
        benchmarks/notifications_survive_kill.py [--rounds 5] [--clients 20] [--workers 4]

What it does:
1. creates (drops first) the database named in DATABASE_URL and the procedure, officer and API token of
   `dossier_intake_bench.py`, with production settings (DEBUG off) in demo mode, so that the SMS and Zalo
   sandbox channels exist;
2. for each round: starts WORKERS server processes (the project's WSGI application behind the standard
   library's server, one listening socket), runs CLIENTS threads that POST /api/v1/dossiers as fast as they
   can, and after a random moment between 1.5 and 3.5 seconds of load sends SIGKILL to every server process at once, so that
   requests die at every point of their transaction (before, during and right after the commit);
3. checks every dossier in the database: each must have its "received" notification row on each channel its
   applicant can be reached on (SMS and Zalo: the applicants have a phone number and no e-mail address).

It prints, per round, the answers received, the requests cut by the kill, and the committed dossiers without
their rows (must be 0). The process is killed, never stopped cleanly: nothing after the commit runs for the
requests it was serving.
"""

import argparse
import http.client
import json
import os
import random
import signal
import socket
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import dossier_intake_bench as intake  # noqa: E402  (sets the production environment first)


def wait_until_serving(port: int, workers: int) -> None:
    """Until every server process has answered once (each has imported the project and opened its database
    connection), so that the kill lands on intakes, not on start-up."""
    import http.client

    answered, deadline = 0, time.monotonic() + 120
    while answered < workers * 2 and time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", "/api/v1/openapi.json")
            conn.getresponse().read()
            conn.close()
            answered += 1
        except OSError:
            time.sleep(0.2)


def client_loop(port, token, code, stop, counter, answered, cut) -> None:
    """POST intakes until `stop` is set; count the answers and the requests the kill cut."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    while not stop.is_set():
        with counter["lock"]:
            counter["n"] += 1
            n = counter["n"]
        body = json.dumps(
            {
                "procedure": code,
                "channel": "counter",
                "applicant": {
                    "type": "citizen",
                    "name": f"Nguyễn Văn Thử {n}",
                    "id_number": f"0270{n:08d}",
                    "phone": "0912345678",
                },
            }
        )
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            conn.request("POST", "/api/v1/dossiers", body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            answered.append(response.status)
        except ConnectionRefusedError:  # the servers are gone: nothing was sent
            stop.wait(0.05)
        except OSError:  # the request was open when its server was killed
            cut.append(n)
            stop.wait(0.05)
        finally:
            conn.close()


def run_round(token: str, code: str, clients: int, workers: int, rng: random.Random, number: int) -> dict:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(512)
    port = sock.getsockname()[1]
    children = []
    for _ in range(workers):
        pid = os.fork()
        if pid == 0:
            intake.serve(sock)
            os._exit(0)
        children.append(pid)
    wait_until_serving(port, workers)
    answered, cut, stop = [], [], threading.Event()
    counter = {"n": number * 1_000_000, "lock": threading.Lock()}  # distinct applicants in every round
    threads = [
        threading.Thread(target=client_loop, args=(port, token, code, stop, counter, answered, cut))
        for _ in range(clients)
    ]
    for thread in threads:
        thread.start()
    # The kill lands once intakes flow (each server's first intake warms it up), at a random moment.
    deadline = time.monotonic() + 120
    while len(answered) < 2 * workers and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5 + 1.5 * rng.random())
    in_flight = len(answered)
    for pid in children:
        os.kill(pid, signal.SIGKILL)
    for pid in children:
        os.waitpid(pid, 0)
    sock.close()
    time.sleep(0.5)
    stop.set()
    for thread in threads:
        thread.join()
    return {
        "answered": in_flight,
        "created": answered.count(201),
        "cut": len(cut),
        "errors": [status for status in answered if status != 201][:3],
    }


def missing_rows() -> tuple[int, int]:
    """(committed dossiers, dossiers without a "received" row on both SMS and Zalo)."""
    from django.db import connection
    from django.db.models import Count, Q

    from motcua.dossiers.models import Dossier

    dossiers = Dossier.objects.annotate(
        rows=Count(
            "notifications",
            filter=Q(notifications__event="received", notifications__channel__in=["sms", "zalo"]),
        )
    )
    total = dossiers.count()
    missing = dossiers.filter(rows__lt=2).count()
    connection.close()
    return total, missing


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()
    token, code = intake.prepare_database()
    from django.db import connection

    print(f"database: {connection.vendor}; clients: {args.clients}; server processes: {args.workers}")
    rng = random.Random(args.seed)
    failed = False
    before = 0
    for number in range(1, args.rounds + 1):
        outcome = run_round(token, code, args.clients, args.workers, rng, number)
        total, missing = missing_rows()
        print(
            f"round {number}: answered before the kill {outcome['answered']} ({outcome['created']} created), "
            f"requests cut by the kill {outcome['cut']}, "
            f"committed dossiers {total} (+{total - before}, of which {total - before - outcome['created']} "
            f"unanswered), without their notification rows {missing}"
        )
        before = total
        if outcome["errors"]:
            print("  answers other than 201:", outcome["errors"])
        failed = failed or missing > 0
    print(
        "FAIL: committed dossiers without notifications"
        if failed
        else "OK: every committed dossier has its rows"
    )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
