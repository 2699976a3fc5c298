from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Avg, Count, F, Q
from django.utils import timezone

from .models import Call


@dataclass(frozen=True, slots=True)
class DayStats:
    offered: int
    answered: int
    abandoned: int
    answered_in_20s: int
    avg_answer_seconds: float | None

    @property
    def service_level(self) -> float | None:
        # Answered within 20 s over offered; the wallboard prints this definition beside it.
        return self.answered_in_20s / self.offered if self.offered else None


def local_day_start(now: datetime | None = None) -> datetime:
    now = timezone.localtime(now or timezone.now())
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def get_hotline_day_stats(hotline_ids: list[int], since: datetime | None = None) -> dict[int, DayStats]:
    since = since or local_day_start()
    until = datetime.combine(since.date(), time.max, since.tzinfo) if since.tzinfo else since + timedelta(days=1)
    rows = (
        Call.objects.filter(hotline_id__in=hotline_ids, offered_at__gte=since, offered_at__lte=until)
        .values("hotline_id")
        .annotate(
            offered=Count("id"),
            answered=Count("id", filter=Q(answered_at__isnull=False)),
            abandoned=Count("id", filter=Q(outcome=Call.Outcome.ABANDONED)),
            answered_in_20s=Count(
                "id", filter=Q(answered_at__isnull=False, answered_at__lte=F("offered_at") + timedelta(seconds=20))
            ),
            avg_answer=Avg(F("answered_at") - F("offered_at"), filter=Q(answered_at__isnull=False)),
        )
    )
    result: dict[int, DayStats] = {}
    for row in rows:
        avg = row["avg_answer"]
        result[row["hotline_id"]] = DayStats(
            offered=row["offered"],
            answered=row["answered"],
            abandoned=row["abandoned"],
            answered_in_20s=row["answered_in_20s"],
            avg_answer_seconds=avg.total_seconds() if avg is not None else None,
        )
    return result
