"""Settings come from the environment; a bad value stops the process with one line naming it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROBE = ("import django, json; django.setup(); from django.conf import settings as s; "
         "print(json.dumps([s.TIME_ZONE, s.LANGUAGE_CODE, s.DATABASES['default']['ENGINE'], "
         "s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_BROKER_URL, s.DEBUG]))")
MANAGED = ["DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "TIME_ZONE", "LANGUAGE_CODE",
           "WORKDAY_START", "WORKDAY_END", "SLA_SWEEP_DAILY_AT", "SLA_SWEEP_EVERY_MINUTES", "LOG_LEVEL",
           "TMF_CALLBACK_ALLOWED_NETWORKS"]


def run(tmp_path, **env):
    clean = {k: v for k, v in os.environ.items() if k not in MANAGED}
    clean.update(DJANGO_SETTINGS_MODULE="config.settings", DATA_DIR=str(tmp_path), PYTHONPATH=str(ROOT), **env)
    return subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=clean, capture_output=True, text=True,
                          timeout=60)


def test_defaults_run_embedded(tmp_path):
    result = run(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        '["Asia/Shanghai", "zh-hans", "django.db.backends.sqlite3", true, "memory://", true]')


def test_database_and_redis_urls_switch_to_postgresql_and_a_real_broker(tmp_path):
    result = run(tmp_path, DATABASE_URL="postgres://postgres@127.0.0.1:5432/x", REDIS_URL="redis://127.0.0.1:6379/3")
    assert result.returncode == 0, result.stderr
    assert ('"django.db.backends.postgresql", false, "redis://127.0.0.1:6379/3"') in result.stdout


@pytest.mark.parametrize(("env", "named"), [
    ({"DEBUG": "maybe"}, "DEBUG"),
    ({"DEBUG": "0"}, "SECRET_KEY"),
    ({"DEBUG": "0", "SECRET_KEY": "short", "ALLOWED_HOSTS": "x"}, "SECRET_KEY"),
    ({"DEBUG": "0", "SECRET_KEY": "k" * 40}, "ALLOWED_HOSTS"),
    ({"DATABASE_URL": "mysql://root@localhost/x"}, "DATABASE_URL"),
    ({"REDIS_URL": "http://127.0.0.1:6379"}, "REDIS_URL"),
    ({"TIME_ZONE": "Mars/Olympus"}, "TIME_ZONE"),
    ({"LANGUAGE_CODE": "fr"}, "LANGUAGE_CODE"),
    ({"WORKDAY_START": "25:00"}, "WORKDAY_START"),
    ({"WORKDAY_START": "18:00", "WORKDAY_END": "09:00"}, "WORKDAY_END"),
    ({"SLA_SWEEP_EVERY_MINUTES": "often"}, "SLA_SWEEP_EVERY_MINUTES"),
    ({"SLA_SWEEP_EVERY_MINUTES": "0"}, "SLA_SWEEP_EVERY_MINUTES"),
    ({"DATABASE_URL": "postgres://u@db:notaport/x"}, "DATABASE_URL"),
    ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
    ({"TMF_CALLBACK_ALLOWED_NETWORKS": "10.0.0.0/8,intranet"}, "TMF_CALLBACK_ALLOWED_NETWORKS"),
])
def test_a_bad_value_stops_with_one_line_naming_the_variable(tmp_path, env, named):
    result = run(tmp_path, **env)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Configuration error:") and named in lines[0], result.stderr
