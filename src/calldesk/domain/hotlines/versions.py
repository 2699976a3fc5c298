"""Spec versions and the client's approval workflow (R-HL-2).

Stored status: draft -> proposed -> approved | rejected. Whether an approved version is
scheduled, effective or superseded depends on the moment, so it is calculated
(``calculate_version_state``), never stored. Transitions are pure: each ``calculate_*`` returns
the new version or raises ``VersionRefused`` with a code, params and English default text.

Approvals keep the timeline ordered: a new approval must take effect no earlier than every
approval before it, so an older approval can never take over again later.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum

from .checks import check_spec_for_proposal
from .codes import MessageParams, SpecError, default_message
from .spec import HotlineSpec

__all__ = [
    "SpecVersion",
    "VersionRefused",
    "VersionState",
    "VersionStatus",
    "calculate_approval",
    "calculate_edit",
    "calculate_new_draft",
    "calculate_proposal",
    "calculate_rejection",
    "calculate_version_state",
    "choose_effective_version",
    "choose_latest_proposal",
]


class VersionStatus(StrEnum):
    DRAFT = "draft"
    PROPOSED = "proposed"
    APPROVED = "approved"
    REJECTED = "rejected"


class VersionState(StrEnum):
    """The status as seen at a moment."""

    DRAFT = "draft"
    PROPOSED = "proposed"
    OUTDATED = "outdated"  # proposed, but a later proposal replaced it
    REJECTED = "rejected"
    SCHEDULED = "scheduled"  # approved, effective_from still ahead
    EFFECTIVE = "effective"
    SUPERSEDED = "superseded"


@dataclass(frozen=True, slots=True)
class SpecVersion:
    number: int
    spec: HotlineSpec
    status: VersionStatus = VersionStatus.DRAFT
    proposed_at: datetime | None = None
    decided_at: datetime | None = None
    comment: str = ""
    effective_from: datetime | None = None


class VersionRefused(Exception):
    """A transition the rules do not allow; ``errors`` lists spec problems for SPEC_INVALID."""

    def __init__(self, code: str, params: MessageParams, errors: Sequence[SpecError] = ()) -> None:
        self.code = code
        self.params = params
        self.errors = tuple(errors)
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return default_message(self.code, self.params)


def calculate_new_draft(versions: Sequence[SpecVersion], spec: HotlineSpec) -> SpecVersion:
    """A draft numbered after every existing version (usually a copy of the effective spec)."""
    return SpecVersion(number=max((v.number for v in versions), default=0) + 1, spec=spec)


def calculate_edit(version: SpecVersion, spec: HotlineSpec) -> SpecVersion:
    _require_status(version, VersionStatus.DRAFT, "NOT_DRAFT")
    return replace(version, spec=spec)


def calculate_proposal(version: SpecVersion, *, at: datetime) -> SpecVersion:
    """Send a draft to the client; refused with the spec's problems when it is not ready."""
    _require_aware(at)
    _require_status(version, VersionStatus.DRAFT, "NOT_DRAFT")
    errors = check_spec_for_proposal(version.spec)
    if errors:
        raise VersionRefused(
            "SPEC_INVALID", {"number": version.number, "count": len(errors)}, errors
        )
    return replace(version, status=VersionStatus.PROPOSED, proposed_at=at)


def calculate_approval(
    version: SpecVersion,
    versions: Sequence[SpecVersion],
    *,
    at: datetime,
    effective_from: datetime | None = None,
    comment: str = "",
) -> SpecVersion:
    """Approve the hotline's latest proposal, effective from ``effective_from`` (default ``at``).

    ``versions`` are all versions of the hotline (this one may be among them).
    """
    _require_aware(at)
    effective = at if effective_from is None else effective_from
    _require_aware(effective)
    _require_status(version, VersionStatus.PROPOSED, "NOT_PROPOSED")
    latest = choose_latest_proposal([*versions, version])
    if latest is not None and latest.number != version.number:
        raise VersionRefused(
            "NOT_LATEST_PROPOSAL", {"number": version.number, "latest": latest.number}
        )
    if _utc(effective) < _utc(at):
        raise VersionRefused(
            "EFFECTIVE_IN_PAST",
            {"effective_from": _iso(effective), "now": _iso(at)},
        )
    later = [
        v
        for v in versions
        if v.number != version.number
        and v.status is VersionStatus.APPROVED
        and v.effective_from is not None
        and _timeline_key(v) > (effective.astimezone(UTC), version.number)
    ]
    if later:
        blocking = max(later, key=_timeline_key)
        assert blocking.effective_from is not None
        raise VersionRefused(
            "EFFECTIVE_BEFORE_SCHEDULED",
            {
                "number": version.number,
                "effective_from": _iso(effective),
                "other": blocking.number,
                "other_effective_from": _iso(blocking.effective_from),
            },
        )
    return replace(
        version,
        status=VersionStatus.APPROVED,
        decided_at=at,
        comment=comment.strip(),
        effective_from=effective,
    )


def calculate_rejection(version: SpecVersion, *, at: datetime, comment: str) -> SpecVersion:
    _require_aware(at)
    _require_status(version, VersionStatus.PROPOSED, "NOT_PROPOSED")
    if not comment.strip():
        raise VersionRefused("COMMENT_REQUIRED", {"number": version.number})
    return replace(version, status=VersionStatus.REJECTED, decided_at=at, comment=comment.strip())


def choose_latest_proposal(versions: Sequence[SpecVersion]) -> SpecVersion | None:
    """The version proposed last, whatever became of it; a later proposal replaces earlier ones."""
    proposed = [v for v in versions if v.proposed_at is not None]
    if not proposed:
        return None
    return max(proposed, key=lambda v: (_utc(v.proposed_at), v.number))


def choose_effective_version(versions: Sequence[SpecVersion], at: datetime) -> SpecVersion | None:
    """The approved version with the greatest ``effective_from <= at`` (ties: higher number)."""
    _require_aware(at)
    candidates = [
        v
        for v in versions
        if v.status is VersionStatus.APPROVED
        and v.effective_from is not None
        and _utc(v.effective_from) <= _utc(at)
    ]
    return max(candidates, key=_timeline_key, default=None)


def calculate_version_state(
    version: SpecVersion, versions: Sequence[SpecVersion], at: datetime
) -> VersionState:
    _require_aware(at)
    if version.status is VersionStatus.DRAFT:
        return VersionState.DRAFT
    if version.status is VersionStatus.REJECTED:
        return VersionState.REJECTED
    if version.status is VersionStatus.PROPOSED:
        latest = choose_latest_proposal([*versions, version])
        is_latest = latest is not None and latest.number == version.number
        return VersionState.PROPOSED if is_latest else VersionState.OUTDATED
    if version.effective_from is None or _utc(version.effective_from) > _utc(at):
        return VersionState.SCHEDULED
    others = [v for v in versions if v.number != version.number]
    effective = choose_effective_version([*others, version], at)
    if effective is not None and effective.number == version.number:
        return VersionState.EFFECTIVE
    return VersionState.SUPERSEDED


def _timeline_key(version: SpecVersion) -> tuple[datetime, int]:
    return (_utc(version.effective_from), version.number)


def _utc(moment: datetime | None) -> datetime:
    # Same-tzinfo aware datetimes compare by wall time, so compare in UTC.
    assert moment is not None
    return moment.astimezone(UTC)


def _iso(moment: datetime) -> str:
    return moment.isoformat()


def _require_status(version: SpecVersion, status: VersionStatus, code: str) -> None:
    if version.status is not status:
        raise VersionRefused(code, {"number": version.number, "status": version.status.value})


def _require_aware(at: datetime) -> None:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("an aware datetime is required")
