"""The OpenAPI schema generates without a warning and validates against the OpenAPI 3 specification."""

from __future__ import annotations

from django.core.management import call_command


def test_the_schema_validates_with_no_warning(db, tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text(encoding="utf-8")
    assert "openapi: 3" in text and "/api/v1/complaints/{id}/dispatch/" in text
