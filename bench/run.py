"""Benchmarks on PostgreSQL (never timed unit tests): customer lookup, queue page, SLA sweep.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/complaints_bench python bench/run.py --tickets 1000000

Seeds with `seed_load` up to --tickets complaints if the database has fewer, then measures:
- lookup: server time of the intake's customer lookup (target p95 < 100 ms);
- queue: server time of a back-office queue page (target p95 < 50 ms);
- dashboard: server time of the supervisor dashboard (target p95 < 300 ms);
- sweep: the SLA sweep against the same statements replayed directly through psycopg2 (target
  at most 2x), and the peak memory of a process that runs only the sweep (target < 150 MB).
Each sweep runs in a transaction that is rolled back, so the data stays as seeded.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Measured as production runs: DEBUG off (no query log kept), collected static files.
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-not-for-production-use")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def summary(name: str, samples: list[float], target_ms: float | None = None) -> dict:
    ms = [s * 1000 for s in samples]
    result = {"what": name, "n": len(ms), "p50_ms": round(statistics.median(ms), 2),
              "p95_ms": round(percentile(ms, 0.95), 2), "max_ms": round(max(ms), 2)}
    if target_ms is not None:
        result["target_p95_ms"] = target_ms
        result["ok"] = result["p95_ms"] < target_ms
    print(json.dumps(result, ensure_ascii=False))
    return result


def ensure_data(tickets: int) -> None:
    from django.core.management import call_command

    from complaints.models import Complaint

    have = Complaint.objects.count()
    if have < tickets:
        print(f"seeding {tickets - have} complaints (have {have})", flush=True)
        call_command("seed_load", tickets=tickets - have)
    else:
        print(f"{have} complaints present", flush=True)


def client_for(username: str):
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=username))
    return client


def bench_lookup(rounds: int) -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        # A random sample of real accounts, and some numbers nobody has.
        cursor.execute("SELECT account FROM complaints_customer TABLESAMPLE SYSTEM (1) LIMIT %s", [rounds])
        accounts = [row[0] for row in cursor.fetchall()]
    accounts += [f"199{random.randrange(10**8):08d}" for _ in range(rounds // 10)]
    client = client_for("agent1")
    client.get("/complaints/lookup/", {"account": accounts[0]}, HTTP_HX_REQUEST="true")
    samples = []
    for account in accounts:
        start = time.perf_counter()
        response = client.get("/complaints/lookup/", {"account": account}, HTTP_HX_REQUEST="true")
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200
    return summary("customer lookup", samples, target_ms=100)


def bench_queue(rounds: int) -> list[dict]:
    from complaints.lifecycle import ACTIVE_ORDER
    from routing.models import WorkOrder

    open_orders = WorkOrder.objects.filter(state__in=sorted(ACTIVE_ORDER)).count()
    print(f"{open_orders} open work orders", flush=True)
    results = []
    for username in ("billing1", "network1"):
        client = client_for(username)
        variants = [{}, {"severity": "important"}, {"state": "claimed"}, {"page": "5"}, {"q": "13800000001"}]
        client.get("/queue/")
        for params in variants:
            samples = []
            for _ in range(rounds):
                start = time.perf_counter()
                response = client.get("/queue/", params)
                samples.append(time.perf_counter() - start)
                assert response.status_code == 200
            results.append(summary(f"queue {username} {params or 'default'}", samples, target_ms=50))
    return results


def bench_dashboard(rounds: int) -> list[dict]:
    client = client_for("supervisor1")
    client.get("/dashboard/")
    results = []
    for params in ({}, {"team": "1"}, {"category": "3"}):
        samples = []
        for _ in range(rounds):
            start = time.perf_counter()
            response = client.get("/dashboard/", params)
            samples.append(time.perf_counter() - start)
            assert response.status_code == 200
        results.append(summary(f"dashboard {params or 'whole centre'}", samples, target_ms=300))
    return results


def bench_sweep(now: dt.datetime) -> dict:
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from followup.sweep import sla_sweep

    class Rollback(Exception):
        """Leaves the benchmark database as it was."""

    # The sweep through Django, rolled back.
    with contextlib.suppress(Rollback), transaction.atomic(), CaptureQueriesContext(connection) as captured:
        start = time.perf_counter()
        flagged = sla_sweep(now=now)
        django_seconds = time.perf_counter() - start
        raise Rollback
    statements = [q["sql"] for q in captured.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]

    # The very same statements, run directly on a raw psycopg2 connection, rolled back.
    import psycopg2

    settings = connection.settings_dict
    raw = psycopg2.connect(dbname=settings["NAME"], user=settings["USER"], host=settings["HOST"],
                           port=settings["PORT"] or 5432, password=settings["PASSWORD"] or None)
    try:
        with raw.cursor() as cursor:
            start = time.perf_counter()
            for sql in statements:
                cursor.execute(sql)
            sql_seconds = time.perf_counter() - start
        raw.rollback()
    finally:
        raw.close()

    memory = subprocess.run([sys.executable, str(Path(__file__).with_name("sweep_once.py")), now.isoformat()],
                            capture_output=True, text=True, check=True, env=os.environ)
    peak_mb = json.loads(memory.stdout.strip().splitlines()[-1])["peak_rss_mb"]
    result = {"what": "sla sweep", "flagged": flagged, "statements": len(statements),
              "django_s": round(django_seconds, 3), "hand_sql_s": round(sql_seconds, 3),
              "ratio": round(django_seconds / sql_seconds, 2) if sql_seconds else None,
              "peak_rss_mb": peak_mb, "ok": django_seconds <= 2 * sql_seconds and peak_mb < 150}
    print(json.dumps(result, ensure_ascii=False))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--what", default="lookup,queue,dashboard,sweep")
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        raise SystemExit("bench/run.py measures PostgreSQL: set DATABASE_URL=postgres://...")

    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from demo.reference import load_reference_data
    from demo.users import load_demo_users

    call_command("collectstatic", interactive=False, verbosity=0)
    load_reference_data()
    load_demo_users()
    ensure_data(args.tickets)
    what = set(args.what.split(","))
    if "lookup" in what:
        bench_lookup(args.rounds)
    if "queue" in what:
        bench_queue(max(20, args.rounds // 5))
    if "dashboard" in what:
        bench_dashboard(max(10, args.rounds // 10))
    if "sweep" in what:
        bench_sweep(timezone.now())


if __name__ == "__main__":
    main()
