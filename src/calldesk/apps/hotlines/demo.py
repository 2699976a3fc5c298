"""Demo specs for the client hotlines (R-HL-1, R-HL-2): an approved, effective spec with topics,
fields, hours, messages and a Russian knowledge base for each non-distributor hotline, and a
proposal on the launching hotline waiting for its client's approval.

Called by the demo loader after hotlines exist: `load_hotline_demo(rng, today)`.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from calldesk.domain.hotlines import (
    CallOptions,
    FieldType,
    FormField,
    HotlineSpec,
    Message,
    MessageKind,
    ReportFrequency,
    ReportSubscription,
    Topic,
    WorkingHours,
    spec_to_dict,
    weekly_ranges,
)

from . import knowledge
from .models import Hotline, KnowledgeEntry, SpecVersion

KB = [
    ("Как оформить доставку?", "Доставка курьером по городу — 1–2 дня, стоимость 300 ₽, от 5000 ₽ бесплатно."),
    ("Какие способы оплаты?", "Картой на сайте, наличными или картой курьеру, по счёту для организаций."),
    ("Как вернуть товар?", "Возврат в течение 14 дней с чеком; заявление принимает оператор или сайт."),
    ("Где ближайший сервисный центр?", "Адреса центров — на сайте в разделе «Сервис»; оператор называет ближайший по адресу."),
    ("Какой срок гарантии?", "Гарантия 12 месяцев с даты покупки, на котлы — 24 месяца."),
    ("Как записаться на приём?", "Запись по телефону горячей линии или на сайте; подтверждение приходит SMS."),
]


def _spec(rng: random.Random, operators: int) -> HotlineSpec:
    day = [(time(9), time(13)), (time(14), time(20))]
    return HotlineSpec(
        hours=WorkingHours(
            time_zone="Europe/Moscow",
            weekly=weekly_ranges(mon=day, tue=day, wed=day, thu=day, fri=day, sat=[(time(10), time(16))]),
            holidays=(date(2027, 1, 1), date(2027, 1, 7)),
        ),
        topics=(Topic("info", "Справка"), Topic("service", "Сервис"), Topic("complaint", "Жалоба")),
        fields=(
            FormField("name", "Имя звонящего", FieldType.TEXT, required=True, order=1),
            FormField("phone", "Телефон для связи", FieldType.PHONE, order=2),
            FormField("city", "Город", FieldType.CHOICE, required=True, choices=("Москва", "Санкт-Петербург", "Казань", "Другой"), order=3),
            FormField("callback", "Нужен обратный звонок", FieldType.YESNO, order=4),
        ),
        messages=(
            Message(MessageKind.GREETING, "ru", "Здравствуйте! Вы позвонили на горячую линию."),
            Message(MessageKind.CLOSED, "ru", "Линия работает по будням с 9 до 20 и в субботу с 10 до 16."),
            Message(MessageKind.QUEUE, "ru", "Все операторы заняты, пожалуйста, оставайтесь на линии."),
            Message(MessageKind.VOICEMAIL, "ru", "Оставьте сообщение после сигнала."),
        ),
        options=CallOptions(voicemail=True, callback=True),
        planned_operators=operators,
        reports=(ReportSubscription("calls", ReportFrequency.WEEKLY, ("reports@example.com",)),),
    )


def load_hotline_demo(rng: random.Random, today: date) -> None:
    start = datetime.combine(today - timedelta(days=30), time(6), tzinfo=UTC)
    hotlines = Hotline.objects.exclude(kind=Hotline.Kind.ORDER_DESK).order_by("pk")
    for hotline in hotlines:
        spec = _spec(rng, max(hotline.planned_operators, 1))
        SpecVersion.objects.create(
            hotline=hotline, number=1, status=SpecVersion.Status.APPROVED, spec=spec_to_dict(spec),
            proposed_at=start, decided_at=start + timedelta(days=1), effective_from=start + timedelta(days=2),
            comment="Согласовано",
        )
        for question, answer in rng.sample(KB, k=len(KB)):
            knowledge.index_entry(KnowledgeEntry.objects.create(hotline=hotline, question=question, answer=answer))
        if hotline.status == Hotline.Status.LAUNCHING:
            proposal = replace(spec, topics=(*spec.topics, Topic("promo", "Акция «Здоровье»")))
            SpecVersion.objects.create(
                hotline=hotline, number=2, status=SpecVersion.Status.PROPOSED, spec=spec_to_dict(proposal),
                proposed_at=datetime.combine(today, time(7), tzinfo=UTC) - timedelta(days=1),
            )
