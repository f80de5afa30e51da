"""pytest plugin (loaded with -p in pyproject): transactional tests empty the database between
tests with DELETE/TRUNCATE, which the audit trail's append-only guard refuses; lift it for that
flush only."""

from __future__ import annotations

from contextlib import ExitStack

import pytest


@pytest.hookimpl(trylast=True)
def pytest_configure(config):
    from django.test import testcases

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
