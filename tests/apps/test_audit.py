"""The audit log is append-only for the application and for the database (R-OPS-5)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from calldesk.apps.accounts.roles import Role
from calldesk.apps.audit.models import AppendOnlyError, AuditEvent
from calldesk.apps.audit.services import record


def test_record_keeps_who_what_when_and_where(users, customer):
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="pytest")
    request.user = users[Role.FINANCE]
    event = record(action="customer.credit_limit", target=customer, data={"before": "1", "after": "2"}, request=request)
    event.refresh_from_db()
    assert event.actor == users[Role.FINANCE]
    assert event.ip_address == "10.1.2.3"
    assert event.target_type == "customers.customer" and event.target_id == str(customer.pk)
    assert event.at.tzinfo is not None and event.at.utcoffset().total_seconds() == 0
    assert event.data == {"before": "1", "after": "2"}


def test_model_refuses_change_and_delete(users):
    event = record(action="x", actor=users[Role.ADMIN])
    event.action = "y"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_database_refuses_update_and_delete_behind_the_models_back(users):
    event = record(action="x", actor=users[Role.ADMIN])
    table = AuditEvent._meta.db_table
    for sql in (f"UPDATE {table} SET action = 'y' WHERE id = %s", f"DELETE FROM {table} WHERE id = %s"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    event.refresh_from_db()
    assert event.action == "x"


def test_queryset_update_is_refused_by_the_database(users):
    record(action="x", actor=users[Role.ADMIN])
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.update(action="z")
