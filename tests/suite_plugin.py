"""pytest plugin for the whole suite (loaded with -p in pyproject).

- Transactional tests empty the database between tests with DELETE/TRUNCATE, which the audit
  trail's append-only guard refuses; the guard is lifted for that flush only.
- Passwords are hashed with a fast hasher: the demo users are created in many tests.
- Tests marked `postgres` run only in the PostgreSQL pass (DATABASE_URL set); elsewhere they are
  deselected, not skipped.
"""

from __future__ import annotations

from contextlib import ExitStack

import pytest


@pytest.hookimpl(trylast=True)
def pytest_configure(config):
    from django.conf import settings
    from django.test import testcases

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

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

    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        return
    deselected = [item for item in items if item.get_closest_marker("postgres")]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker("postgres")]
