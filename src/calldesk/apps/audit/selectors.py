from django.db.models import QuerySet

from .models import AuditEvent


def get_events(*, action: str = "", target_type: str = "", actor: str = "") -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.all()
    if action:
        events = events.filter(action__startswith=action)
    if target_type:
        events = events.filter(target_type=target_type)
    if actor:
        events = events.filter(actor_name__icontains=actor)
    return events
