"""Use cases of the customer records: remarks routed to departments, audited credit limits."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from calldesk.apps.audit.services import record

from .models import Customer, Department, Remark


def create_remark(customer: Customer, *, department: Department, kind: str, text: str, actor: Any) -> Remark:
    """R-ORD-11: the remark lands in the chosen department's list and mailbox."""
    remark = Remark.objects.create(customer=customer, department=department, kind=kind, text=text.strip(), author=actor)
    recipients = [a for a in {department.email, getattr(department.head, "email", "")} if a]
    if recipients:
        subject = _("%(kind)s from %(customer)s") % {"kind": remark.get_kind_display(), "customer": customer.legal_name}
        transaction.on_commit(lambda: EmailMessage(subject, remark.text, to=sorted(recipients)).send(fail_silently=True))
    return remark


def handle_remark(remark_id: int, *, response: str, actor: Any) -> Remark:
    with transaction.atomic():
        remark = Remark.objects.select_for_update(of=("self",)).get(pk=remark_id)
        remark.status = Remark.Status.DONE
        remark.response = response.strip()
        remark.handled_by = actor
        remark.handled_at = timezone.now()
        remark.save()
    return remark


def change_credit_limit(customer: Customer, new_limit: Decimal, *, actor: Any, source: str = "") -> bool:
    """Every change of a credit limit is audited with before and after (R-OPS-5)."""
    before = Decimal(customer.credit_limit)
    if before == new_limit:
        return False
    customer.credit_limit = new_limit
    Customer.objects.filter(pk=customer.pk).update(credit_limit=new_limit)
    record(action="customer.credit_limit", actor=actor, target=customer,
           data={"before": str(before), "after": str(new_limit), "source": source})
    return True
