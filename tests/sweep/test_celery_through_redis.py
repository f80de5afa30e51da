"""With REDIS_URL set, tasks travel through the real Redis broker to a real Celery worker."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from celery.contrib.testing.worker import start_worker

from complaints.lifecycle import ClockEvent
from complaints.models import Event
from config.celery import app
from followup.tasks import sla_sweep_task
from tests.sweep.test_sla_sweep import FRIDAY, important_complaint

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def real_broker():
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield app
    finally:
        app.conf.task_always_eager = True


def test_the_sweep_task_runs_on_a_worker_through_redis(real_broker, time_machine):
    from demo.reference import load_reference_data
    from demo.users import load_demo_users

    load_reference_data()
    users = load_demo_users()
    important_complaint(users)
    time_machine.move_to(FRIDAY + dt.timedelta(days=1, hours=1))
    assert real_broker.conf.broker_url.startswith("redis://")
    sla_sweep_task.apply_async()
    for _ in range(100):  # the worker thread commits within a moment
        if Event.objects.filter(kind=ClockEvent.ORDER_BREACHED).exists():
            break
        time.sleep(0.1)
    assert Event.objects.filter(kind=ClockEvent.ORDER_BREACHED).count() == 1
