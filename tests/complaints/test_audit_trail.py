"""The audit trail is append-only: the ORM refuses to change an event, and so does the database itself."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, ProgrammingError, connection, transaction

from complaints.lifecycle import Action, Status
from complaints.models import AppendOnly, Event


@pytest.fixture
def event(story):
    story.at(Status.RECEIVED)
    return Event.objects.get(kind=Action.CONFIRM_READ_BACK)


def refused_by_the_database(operation: str):
    """The guard's error: SQLite's RAISE(ABORT) is a constraint failure; PostgreSQL raises
    insufficient_privilege (SQLSTATE 42501), which Django reports as a ProgrammingError."""
    expected = ProgrammingError if connection.vendor == "postgresql" else IntegrityError
    return pytest.raises(expected, match=f"append-only: {operation} is not allowed")


def as_stored(event: Event) -> tuple:
    return Event.objects.filter(pk=event.pk).values_list("kind", "actor_id", "at", "from_status", "to_status",
                                                         "data").get()


def test_the_orm_refuses_to_save_an_existing_event(event):
    stored = as_stored(event)
    event.kind = Action.VOID
    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(ValidationError):
        event.full_clean()
    assert as_stored(event) == stored


def test_the_orm_refuses_to_delete_an_event(event):
    with pytest.raises(AppendOnly):
        event.delete()
    assert Event.objects.filter(pk=event.pk).exists()


def test_the_database_refuses_a_queryset_update(event):
    stored = as_stored(event)
    with refused_by_the_database("UPDATE"), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(kind=Action.VOID)
    assert as_stored(event) == stored


def test_the_database_refuses_a_queryset_delete(event):
    count = Event.objects.count()
    with refused_by_the_database("DELETE"), transaction.atomic():
        Event.objects.filter(complaint=event.complaint).delete()
    assert Event.objects.count() == count


@pytest.mark.parametrize("sql", ["UPDATE complaints_event SET kind = 'void'", "DELETE FROM complaints_event"])
def test_the_database_refuses_raw_sql_changes(event, sql):
    count, stored = Event.objects.count(), as_stored(event)
    with refused_by_the_database(sql.split()[0]), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert Event.objects.count() == count and as_stored(event) == stored


@pytest.mark.postgres
def test_postgres_refuses_truncating_the_audit_trail(event):
    count = Event.objects.count()
    with connection.cursor() as cursor:
        # The test's own inserts have deferred foreign key checks pending, which TRUNCATE would trip on first.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with refused_by_the_database("TRUNCATE"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE complaints_event CASCADE")
    assert Event.objects.count() == count


@pytest.mark.postgres
@pytest.mark.parametrize("sql", ["UPDATE complaints_event SET data = '{}'::jsonb WHERE id = %s",
                                 "DELETE FROM complaints_event WHERE id = %s"])
def test_postgres_refuses_row_changes_whatever_the_statement(event, sql):
    with refused_by_the_database(sql.split()[0]), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [event.pk])
    assert Event.objects.filter(pk=event.pk).exists()


def test_new_events_are_still_appended_after_a_refusal(story, event, people):
    with refused_by_the_database("DELETE"), transaction.atomic():
        Event.objects.filter(pk=event.pk).delete()
    story.perform(Action.CHECK, story.at(Status.RECEIVED))
    assert Event.objects.filter(kind=Action.CHECK).count() == 1
