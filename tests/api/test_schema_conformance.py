"""Schemathesis against the running app: every operation of /api/v1/schema/, with the demo data and the
demo CRM's token, must never answer 5xx and must answer only what the schema documents.

Bounded for CI (it runs in both the SQLite and the PostgreSQL pass): few examples per operation, a
fixed seed, one worker, a time budget.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from demo.reference import load_reference_data
from demo.scenarios import load_demo_complaints
from demo.users import load_demo_users, system_token

pytestmark = pytest.mark.django_db(transaction=True)

CHECKS = ",".join([
    "not_a_server_error", "status_code_conformance", "content_type_conformance", "response_headers_conformance",
    "response_schema_conformance", "negative_data_rejection", "missing_required_header", "unsupported_method",
    "ignored_auth",
])


def test_every_operation_conforms_to_the_schema(live_server, evidence_dir, tmp_path):
    load_reference_data()
    load_demo_complaints(load_demo_users())
    command = [
        str(Path(sys.executable).parent / "schemathesis"), "run", f"{live_server.url}/api/v1/schema/",
        "--checks", CHECKS, "--header", f"Authorization: Token {system_token()}",
        "--max-examples", "10", "--seed", "20261129", "--workers", "1",
        "--phases", "coverage,fuzzing", "--max-time", "70", "--no-color", "--request-timeout", "10",
        "--report", "junit", "--report-dir", str(tmp_path),
    ]
    run = subprocess.run(command, capture_output=True, text=True, timeout=150, cwd=tmp_path)
    print(run.stdout[-6000:])
    assert run.returncode == 0, run.stdout[-12000:] + run.stderr[-3000:]
