"""pytest plugin for the whole suite (loaded with -p in pyproject).

- Transactional tests empty the database between tests with DELETE/TRUNCATE, which the audit
  trail's append-only guard refuses; the guard is lifted for that flush only.
- Passwords are hashed with a fast hasher: the demo users are created in many tests.
- Tests marked `postgres` run only in the PostgreSQL pass (DATABASE_URL set), tests marked `redis`
  only when REDIS_URL is set; elsewhere they are deselected, not skipped.
- Celery tasks run in process (eager) so a test sees its side effects; the `redis` tests send
  tasks through the real broker to a real worker.
"""

from __future__ import annotations

from contextlib import ExitStack

import pytest


@pytest.hookimpl(trylast=True)
def pytest_configure(config):
    from django.conf import settings
    from django.test import testcases

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from config.celery import app as celery_app

    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True

    original = testcases.TransactionTestCase._fixture_teardown
    if getattr(original, "lifts_audit_guard", False):
        return

    def _fixture_teardown(self):
        from django.db import connections

        from complaints.audit_guard import suspended_guard

        with ExitStack() as stack:
            for alias in self._databases_names(include_mirrors=False):
                stack.enter_context(suspended_guard(connections[alias]))
            original(self)

    _fixture_teardown.lifts_audit_guard = True
    testcases.TransactionTestCase._fixture_teardown = _fixture_teardown


def pytest_collection_modifyitems(config, items):
    import os

    missing = set()
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        missing.add("postgres")
    if not os.environ.get("REDIS_URL", "").startswith(("redis://", "rediss://")):
        missing.add("redis")
    deselected = [item for item in items if any(item.get_closest_marker(m) for m in missing)]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if item not in deselected]
