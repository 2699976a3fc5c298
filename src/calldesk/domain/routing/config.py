"""Routing configuration as plain data (R-ORD-3, R-ORD-4, R-ORD-10, R-HL-5).

Customer types, intents and departments are strings chosen per hotline; the code knows none
of them. `parse_routing_config` builds the frozen structures from JSON-like mappings so the
rules can live in a database or a file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

Strategy = Literal["longest_idle", "fewest_calls", "skill_level"]
STRATEGIES: tuple[str, ...] = ("longest_idle", "fewest_calls", "skill_level")
TargetKind = Literal["agent", "agent_attr", "directory", "skill", "queue"]
ConditionOp = Literal["eq", "in", "not_in", "present", "absent"]


class ConfigError(ValueError):
    """The routing configuration is invalid; the message names the offending item."""


@dataclass(frozen=True, slots=True)
class Caller:
    """Who is calling, as data: `attributes` holds e.g. type, manager, department, intent."""

    number: str = ""
    attributes: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, number: str = "", **attributes: str) -> Caller:
        return cls(number=number, attributes=tuple(sorted(attributes.items())))

    def get(self, key: str) -> str | None:
        for name, value in self.attributes:
            if name == key:
                return value
        return None


@dataclass(frozen=True, slots=True)
class Condition:
    field: str
    op: ConditionOp
    values: tuple[str, ...] = ()

    def matches(self, caller: Caller) -> bool:
        value = caller.get(self.field)
        if self.op == "present":
            return value is not None and value != ""
        if self.op == "absent":
            return value is None or value == ""
        if value is None:
            # A missing field satisfies no comparison, not even "not_in".
            return False
        if self.op == "not_in":
            return value not in self.values
        return value in self.values


@dataclass(frozen=True, slots=True)
class Target:
    """Whom a route step rings.

    kind "agent": value is an agent id; "agent_attr": value names a caller attribute holding
    an agent id (the customer's own manager); "directory": value names a directory, looked
    up with `key` or with the caller attribute `key_attr` (department heads); "skill": any
    agent with the skill `value` at `min_level`, chosen by `strategy`, except the agent named
    by caller attribute `exclude_attr`; "queue": the configured queue `value`.
    """

    kind: TargetKind
    value: str
    key: str = ""
    key_attr: str = ""
    min_level: int = 1
    strategy: Strategy = "longest_idle"
    exclude_attr: str = ""


@dataclass(frozen=True, slots=True)
class RouteStep:
    """One link of a routing chain.

    `wait_s` is how long the call waits for this target when nobody suitable is free
    (0: move on at once; None: wait without limit). A ring that is not answered within
    `ring_timeout_s` (None: the queue's or hotline's) moves on once the wait is over.
    """

    target: Target
    ring_timeout_s: float | None = None
    wait_s: float | None = 0.0
    priority: int = 0


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    when: tuple[Condition, ...]
    steps: tuple[RouteStep, ...]
    # Blocked customers must not fall back to order-taking operators: such rules say False.
    fallback_to_default_queue: bool = True

    def matches(self, caller: Caller) -> bool:
        return all(condition.matches(caller) for condition in self.when)


@dataclass(frozen=True, slots=True)
class Overflow:
    after_s: float
    queue: str


@dataclass(frozen=True, slots=True)
class QueueConfig:
    name: str
    skill: str
    min_level: int = 1
    strategy: Strategy = "longest_idle"
    priority: int = 0
    wrap_up_s: float | None = None
    ring_timeout_s: float | None = None
    overflow: tuple[Overflow, ...] = ()
    aht_estimate_s: float = 180.0
    announce_every_s: float | None = None
    max_wait_s: float | None = None


@dataclass(frozen=True, slots=True)
class OpeningHours:
    """Weekly opening in the hotline's local time; `weekly` empty means always open.

    Each window is (weekday 0=Monday, start minute, end minute) with start < end <= 1440.
    Holidays are ISO dates (local) on which the hotline is closed all day.
    """

    timezone: str = "UTC"
    weekly: tuple[tuple[int, int, int], ...] = ()
    holidays: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Hotline:
    name: str
    default_queue: str = ""
    rules: tuple[Rule, ...] = ()
    hours: OpeningHours = field(default_factory=OpeningHours)
    closed_message: str = "closed"
    no_agent_message: str = "no_agent"
    # What the caller may do after the message; a single option is applied without asking.
    options: tuple[str, ...] = ("voicemail", "callback")
    voicemail_box: str = ""
    wrap_up_s: float = 0.0
    ring_timeout_s: float = 20.0


@dataclass(frozen=True, slots=True)
class AgentProfile:
    agent_id: str
    skills: tuple[tuple[str, int], ...] = ()
    name: str = ""


@dataclass(frozen=True, slots=True)
class RoutingConfig:
    hotlines: tuple[Hotline, ...] = ()
    queues: tuple[QueueConfig, ...] = ()
    agents: tuple[AgentProfile, ...] = ()
    directories: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()

    def hotline(self, name: str) -> Hotline | None:
        for hotline in self.hotlines:
            if hotline.name == name:
                return hotline
        return None

    def queue(self, name: str) -> QueueConfig | None:
        for queue in self.queues:
            if queue.name == name:
                return queue
        return None

    def lookup(self, directory: str, key: str) -> str | None:
        for name, entries in self.directories:
            if name == directory:
                for entry_key, agent_id in entries:
                    if entry_key == key:
                        return agent_id
        return None


OPTIONS: tuple[str, ...] = ("voicemail", "callback")


def check_routing_config(config: RoutingConfig) -> None:
    """Raise ConfigError when names do not resolve or values are out of range."""
    queue_names = {queue.name for queue in config.queues}
    directory_names = {name for name, _ in config.directories}
    if len(queue_names) != len(config.queues):
        raise ConfigError("queue names must be unique")
    if len({h.name for h in config.hotlines}) != len(config.hotlines):
        raise ConfigError("hotline names must be unique")
    if len({a.agent_id for a in config.agents}) != len(config.agents):
        raise ConfigError("agent ids must be unique")
    for queue in config.queues:
        _check_strategy(queue.strategy, f"queue {queue.name}")
        for overflow in queue.overflow:
            if overflow.queue not in queue_names:
                raise ConfigError(f"queue {queue.name}: overflow to unknown queue {overflow.queue}")
            if overflow.after_s < 0:
                raise ConfigError(f"queue {queue.name}: overflow after must be >= 0")
        if queue.aht_estimate_s <= 0:
            raise ConfigError(f"queue {queue.name}: aht_estimate_s must be > 0")
    for hotline in config.hotlines:
        where = f"hotline {hotline.name}"
        if hotline.default_queue and hotline.default_queue not in queue_names:
            raise ConfigError(f"{where}: unknown default queue {hotline.default_queue}")
        for option in hotline.options:
            if option not in OPTIONS:
                raise ConfigError(f"{where}: unknown option {option!r}; use {OPTIONS}")
        if hotline.ring_timeout_s <= 0:
            raise ConfigError(f"{where}: ring_timeout_s must be > 0")
        try:
            ZoneInfo(hotline.hours.timezone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ConfigError(f"{where}: unknown timezone {hotline.hours.timezone!r}") from error
        for window in hotline.hours.weekly:
            day, start, end = window
            if not (0 <= day <= 6 and 0 <= start < end <= 1440):
                raise ConfigError(f"{where}: bad opening window {window}")
        for rule in hotline.rules:
            for step in rule.steps:
                target = step.target
                label = f"{where} rule {rule.name}"
                if target.kind == "queue" and target.value not in queue_names:
                    raise ConfigError(f"{label}: unknown queue {target.value}")
                if target.kind == "directory" and target.value not in directory_names:
                    raise ConfigError(f"{label}: unknown directory {target.value}")
                if target.kind == "directory" and not (target.key or target.key_attr):
                    raise ConfigError(f"{label}: directory step needs key or key_attr")
                if step.wait_s is not None and step.wait_s < 0:
                    raise ConfigError(f"{label}: wait_s must be >= 0")
                _check_strategy(target.strategy, label)


def _check_strategy(strategy: str, where: str) -> None:
    if strategy not in STRATEGIES:
        raise ConfigError(f"{where}: unknown strategy {strategy!r}; use one of {STRATEGIES}")


# --- parsing from JSON-like data ---------------------------------------------------------


def parse_routing_config(data: Mapping[str, Any]) -> RoutingConfig:
    """Build and check a RoutingConfig from plain data (as loaded from JSON or a DB)."""
    try:
        config = RoutingConfig(
            hotlines=tuple(_parse_hotline(h) for h in data.get("hotlines", ())),
            queues=tuple(_parse_queue(q) for q in data.get("queues", ())),
            agents=tuple(
                AgentProfile(
                    agent_id=str(a["id"]),
                    skills=tuple((str(k), int(v)) for k, v in dict(a.get("skills", {})).items()),
                    name=str(a.get("name", "")),
                )
                for a in data.get("agents", ())
            ),
            directories=tuple(
                (str(name), tuple((str(k), str(v)) for k, v in dict(entries).items()))
                for name, entries in dict(data.get("directories", {})).items()
            ),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise ConfigError(f"invalid routing config: {error}") from error
    check_routing_config(config)
    return config


def _parse_queue(data: Mapping[str, Any]) -> QueueConfig:
    return QueueConfig(
        name=str(data["name"]),
        skill=str(data["skill"]),
        min_level=int(data.get("min_level", 1)),
        strategy=data.get("strategy", "longest_idle"),
        priority=int(data.get("priority", 0)),
        wrap_up_s=_opt_float(data.get("wrap_up_s")),
        ring_timeout_s=_opt_float(data.get("ring_timeout_s")),
        overflow=tuple(
            Overflow(after_s=float(o["after_s"]), queue=str(o["queue"]))
            for o in data.get("overflow", ())
        ),
        aht_estimate_s=float(data.get("aht_estimate_s", 180.0)),
        announce_every_s=_opt_float(data.get("announce_every_s")),
        max_wait_s=_opt_float(data.get("max_wait_s")),
    )


def _parse_hotline(data: Mapping[str, Any]) -> Hotline:
    hours = data.get("hours", {})
    return Hotline(
        name=str(data["name"]),
        default_queue=str(data.get("default_queue", "")),
        rules=tuple(_parse_rule(r) for r in data.get("rules", ())),
        hours=OpeningHours(
            timezone=str(hours.get("timezone", "UTC")),
            weekly=tuple(_parse_window(w) for w in hours.get("weekly", ())),
            holidays=tuple(str(d) for d in hours.get("holidays", ())),
        ),
        closed_message=str(data.get("closed_message", "closed")),
        no_agent_message=str(data.get("no_agent_message", "no_agent")),
        options=tuple(str(o) for o in data.get("options", OPTIONS)),
        voicemail_box=str(data.get("voicemail_box", "")),
        wrap_up_s=float(data.get("wrap_up_s", 0.0)),
        ring_timeout_s=float(data.get("ring_timeout_s", 20.0)),
    )


def _parse_window(data: Any) -> tuple[int, int, int]:
    """Accept [day, "08:00", "17:30"] or [day, start_minute, end_minute]."""
    day, start, end = data
    return int(day), _minutes(start), _minutes(end)


def _minutes(value: Any) -> int:
    if isinstance(value, str):
        hours, minutes = value.split(":")
        return int(hours) * 60 + int(minutes)
    return int(value)


def _parse_rule(data: Mapping[str, Any]) -> Rule:
    return Rule(
        name=str(data.get("name", "")),
        when=tuple(_parse_condition(k, v) for k, v in dict(data.get("when", {})).items()),
        steps=tuple(_parse_step(s) for s in data["steps"]),
        fallback_to_default_queue=bool(data.get("fallback_to_default_queue", True)),
    )


def _parse_condition(name: str, spec: Any) -> Condition:
    if isinstance(spec, str | bool | int):
        return Condition(name, "eq", (_text(spec),))
    if isinstance(spec, Sequence):
        return Condition(name, "in", tuple(_text(v) for v in spec))
    if isinstance(spec, Mapping) and len(spec) == 1:
        ((op, values),) = spec.items()
        if op in ("in", "not_in"):
            return Condition(name, op, tuple(_text(v) for v in values))
        if op == "present":
            return Condition(name, "present" if values else "absent")
    raise ConfigError(f"condition on {name!r}: use a value, a list, {{'in': [...]}}, "
                      f"{{'not_in': [...]}} or {{'present': true|false}}")


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


_TARGET_KEYS: tuple[TargetKind, ...] = ("agent", "agent_attr", "directory", "skill", "queue")


def _parse_step(data: Mapping[str, Any]) -> RouteStep:
    kinds = [kind for kind in _TARGET_KEYS if kind in data]
    if len(kinds) != 1:
        raise ConfigError(f"route step {dict(data)} needs exactly one of {_TARGET_KEYS}")
    kind = kinds[0]
    target = Target(
        kind=kind,
        value=str(data[kind]),
        key=str(data.get("key", "")),
        key_attr=str(data.get("key_attr", "")),
        min_level=int(data.get("min_level", 1)),
        strategy=data.get("strategy", "longest_idle"),
        exclude_attr=str(data.get("exclude_attr", "")),
    )
    default_wait: float | None = None if kind == "queue" else 0.0
    wait = data.get("wait_s", default_wait)
    return RouteStep(
        target=target,
        ring_timeout_s=_opt_float(data.get("ring_timeout_s")),
        wait_s=_opt_float(wait),
        priority=int(data.get("priority", 0)),
    )


def _opt_float(value: Any) -> float | None:
    return None if value is None else float(value)
