"""Spec versions and the client's approval (R-HL-2)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calldesk.domain.hotlines import (
    SpecVersion,
    VersionRefused,
    VersionState,
    VersionStatus,
    calculate_approval,
    calculate_edit,
    calculate_new_draft,
    calculate_proposal,
    calculate_rejection,
    calculate_version_state,
    choose_effective_version,
    choose_latest_proposal,
)

from .builders import sample_spec

T0 = datetime(2025, 3, 1, 9, tzinfo=UTC)
HOUR = timedelta(hours=1)


def draft(number: int = 1) -> SpecVersion:
    return SpecVersion(number=number, spec=sample_spec())


def proposed(number: int, at: datetime) -> SpecVersion:
    return calculate_proposal(draft(number), at=at)


def approved(number: int, effective_from: datetime) -> SpecVersion:
    """Approved long ago (before any proposal the tests make), effective from ``effective_from``."""
    long_ago = T0 - 100 * HOUR + number * timedelta(minutes=1)
    return SpecVersion(
        number=number,
        spec=sample_spec(),
        status=VersionStatus.APPROVED,
        proposed_at=long_ago,
        decided_at=long_ago,
        effective_from=effective_from,
    )


# R-HL-2: new drafts are numbered after every existing version.
def test_new_draft_takes_the_next_number() -> None:
    assert calculate_new_draft([], sample_spec()).number == 1
    v = calculate_new_draft([draft(1), approved(4, T0), draft(2)], sample_spec())
    assert (v.number, v.status) == (5, VersionStatus.DRAFT)


# R-HL-2: only a draft may be edited.
def test_only_a_draft_can_be_edited() -> None:
    new_spec = sample_spec(planned_operators=9)
    assert calculate_edit(draft(), new_spec).spec == new_spec
    for version in (proposed(1, T0), approved(1, T0)):
        with pytest.raises(VersionRefused) as caught:
            calculate_edit(version, new_spec)
        assert caught.value.code == "NOT_DRAFT"
        assert caught.value.params["status"] == version.status.value
        assert "only a draft can be changed" in caught.value.message


# R-HL-2: draft -> proposed, stamped with the time.
def test_proposing_a_draft() -> None:
    v = calculate_proposal(draft(), at=T0)
    assert (v.status, v.proposed_at) == (VersionStatus.PROPOSED, T0)
    with pytest.raises(VersionRefused) as caught:
        calculate_proposal(v, at=T0)
    assert caught.value.code == "NOT_DRAFT"


# R-HL-2: a draft that is not ready is refused with its problems.
def test_proposing_an_incomplete_spec_is_refused_with_its_errors() -> None:
    incomplete = SpecVersion(number=3, spec=sample_spec(topics=()))
    with pytest.raises(VersionRefused) as caught:
        calculate_proposal(incomplete, at=T0)
    assert caught.value.code == "SPEC_INVALID"
    assert caught.value.params == {"number": 3, "count": 1}
    assert [e.code for e in caught.value.errors] == ["NO_TOPICS"]


# R-HL-2: the latest proposal is approved, effective now by default.
def test_approving_the_latest_proposal() -> None:
    v = proposed(1, T0)
    ok = calculate_approval(v, [v], at=T0 + HOUR, comment=" fine ")
    assert ok.status is VersionStatus.APPROVED
    assert ok.decided_at == ok.effective_from == T0 + HOUR
    assert ok.comment == "fine"


# R-HL-2: an approval can be scheduled for later.
def test_approval_with_a_future_effective_time() -> None:
    v = proposed(1, T0)
    ok = calculate_approval(v, [v], at=T0 + HOUR, effective_from=T0 + 24 * HOUR)
    assert ok.effective_from == T0 + 24 * HOUR
    assert calculate_version_state(ok, [ok], T0 + 2 * HOUR) is VersionState.SCHEDULED
    assert calculate_version_state(ok, [ok], T0 + 24 * HOUR) is VersionState.EFFECTIVE


# R-HL-2: approving a version that is no longer the latest proposal is refused with a reason.
def test_approving_an_older_proposal_is_refused() -> None:
    older, newer = proposed(1, T0), proposed(2, T0 + HOUR)
    with pytest.raises(VersionRefused) as caught:
        calculate_approval(older, [older, newer], at=T0 + 2 * HOUR)
    assert caught.value.code == "NOT_LATEST_PROPOSAL"
    assert caught.value.params == {"number": 1, "latest": 2}
    assert "version 2 was proposed after it" in caught.value.message


# R-HL-2: a later proposal replaces an earlier one even when the later one gets rejected.
def test_rejected_later_proposal_still_replaces_the_earlier() -> None:
    older = proposed(1, T0)
    newer = calculate_rejection(proposed(2, T0 + HOUR), at=T0 + 2 * HOUR, comment="no")
    with pytest.raises(VersionRefused) as caught:
        calculate_approval(older, [older, newer], at=T0 + 3 * HOUR)
    assert caught.value.code == "NOT_LATEST_PROPOSAL"
    assert calculate_version_state(older, [older, newer], T0) is VersionState.OUTDATED


# R-HL-2: "latest" is by proposal time, so an older draft proposed last is the one to decide.
def test_latest_proposal_is_by_time_not_number() -> None:
    v3 = proposed(3, T0)
    v2 = proposed(2, T0 + HOUR)
    assert choose_latest_proposal([v3, v2]) == v2
    assert calculate_approval(v2, [v3, v2], at=T0 + 2 * HOUR).status is VersionStatus.APPROVED
    assert choose_latest_proposal([draft(1)]) is None


# R-HL-2: only a proposed version can be decided.
@pytest.mark.parametrize(
    "status", [VersionStatus.DRAFT, VersionStatus.APPROVED, VersionStatus.REJECTED]
)
def test_only_proposals_can_be_decided(status: VersionStatus) -> None:
    v = replace(proposed(1, T0), status=status)
    with pytest.raises(VersionRefused) as approve:
        calculate_approval(v, [v], at=T0 + HOUR)
    with pytest.raises(VersionRefused) as reject:
        calculate_rejection(v, at=T0 + HOUR, comment="why")
    assert approve.value.code == reject.value.code == "NOT_PROPOSED"


# R-HL-2: rejecting needs a comment.
@pytest.mark.parametrize("comment", ["", "   \n"])
def test_rejecting_needs_a_comment(comment: str) -> None:
    with pytest.raises(VersionRefused) as caught:
        calculate_rejection(proposed(1, T0), at=T0 + HOUR, comment=comment)
    assert caught.value.code == "COMMENT_REQUIRED"


# R-HL-2
def test_rejecting_with_a_comment() -> None:
    v = calculate_rejection(proposed(1, T0), at=T0 + HOUR, comment=" Wrong hours ")
    assert (v.status, v.comment, v.decided_at) == (VersionStatus.REJECTED, "Wrong hours", T0 + HOUR)
    assert calculate_version_state(v, [v], T0 + HOUR) is VersionState.REJECTED


# R-HL-2: approvals cannot be backdated.
def test_effective_time_cannot_be_in_the_past() -> None:
    v = proposed(1, T0)
    with pytest.raises(VersionRefused) as caught:
        calculate_approval(v, [v], at=T0 + HOUR, effective_from=T0)
    assert caught.value.code == "EFFECTIVE_IN_PAST"


# R-HL-2: a new approval may not take effect before an approval already scheduled, or the
# older approval would silently take over again later.
def test_approval_cannot_take_effect_before_a_scheduled_one() -> None:
    scheduled = approved(2, T0 + 48 * HOUR)
    v = proposed(3, T0)
    with pytest.raises(VersionRefused) as caught:
        calculate_approval(v, [scheduled, v], at=T0 + HOUR, effective_from=T0 + 24 * HOUR)
    assert caught.value.code == "EFFECTIVE_BEFORE_SCHEDULED"
    assert caught.value.params["other"] == 2
    same_time = calculate_approval(v, [scheduled, v], at=T0 + HOUR, effective_from=T0 + 48 * HOUR)
    assert choose_effective_version([scheduled, same_time], T0 + 48 * HOUR) == same_time


# R-HL-2: a lower-numbered version approved later cannot tie with a higher-numbered one.
def test_lower_number_cannot_tie_with_an_approved_higher_number() -> None:
    scheduled = approved(5, T0 + 48 * HOUR)
    v = proposed(4, T0)
    with pytest.raises(VersionRefused) as caught:
        calculate_approval(v, [scheduled, v], at=T0 + HOUR, effective_from=T0 + 48 * HOUR)
    assert caught.value.code == "EFFECTIVE_BEFORE_SCHEDULED"


# R-HL-2: the effective version is the approved one with the greatest effective_from <= at.
def test_choose_effective_version() -> None:
    v1 = approved(1, T0)
    v2 = approved(2, T0 + 10 * HOUR)
    v3 = proposed(3, T0 + 11 * HOUR)
    v4 = approved(4, T0 + 20 * HOUR)
    versions = [v4, v3, v1, v2]
    assert choose_effective_version(versions, T0 - HOUR) is None
    assert choose_effective_version(versions, T0) == v1
    assert choose_effective_version(versions, T0 + 10 * HOUR - timedelta(microseconds=1)) == v1
    assert choose_effective_version(versions, T0 + 15 * HOUR) == v2
    assert choose_effective_version(versions, T0 + 99 * HOUR) == v4
    assert choose_effective_version([], T0) is None


# R-HL-2: ties on effective_from go to the higher version number.
def test_effective_ties_go_to_the_higher_number() -> None:
    v1, v2 = approved(1, T0), approved(2, T0)
    assert choose_effective_version([v2, v1], T0) == v2
    assert choose_effective_version([v1, v2], T0) == v2


# R-HL-2: effective times in different zones are compared as instants.
def test_effective_times_compare_as_instants() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    first = approved(1, datetime(2024, 10, 27, 2, 30, tzinfo=berlin))  # CEST, 00:30 UTC
    second = approved(2, datetime(2024, 10, 27, 2, 10, fold=1, tzinfo=berlin))  # CET, 01:10 UTC
    assert (
        choose_effective_version([first, second], datetime(2024, 10, 27, 1, 0, tzinfo=UTC)) == first
    )
    assert (
        choose_effective_version([first, second], datetime(2024, 10, 27, 1, 10, tzinfo=UTC))
        == second
    )


# R-HL-2: states over time: scheduled -> effective -> superseded.
def test_version_states_over_time() -> None:
    v1, v2 = approved(1, T0), approved(2, T0 + 10 * HOUR)
    d = draft(3)
    p = proposed(4, T0)
    versions = [v1, v2, d, p]
    assert calculate_version_state(v2, versions, T0 + HOUR) is VersionState.SCHEDULED
    assert calculate_version_state(v1, versions, T0 + HOUR) is VersionState.EFFECTIVE
    assert calculate_version_state(v1, versions, T0 + 10 * HOUR) is VersionState.SUPERSEDED
    assert calculate_version_state(v2, versions, T0 + 10 * HOUR) is VersionState.EFFECTIVE
    assert calculate_version_state(d, versions, T0) is VersionState.DRAFT
    assert calculate_version_state(p, versions, T0) is VersionState.PROPOSED


# R-HL-2: naive moments are refused.
def test_naive_times_are_refused() -> None:
    naive = datetime(2025, 3, 1, 9)
    with pytest.raises(ValueError, match="aware"):
        calculate_proposal(draft(), at=naive)
    with pytest.raises(ValueError, match="aware"):
        choose_effective_version([], naive)
    v = proposed(1, T0)
    with pytest.raises(ValueError, match="aware"):
        calculate_approval(v, [v], at=T0 + HOUR, effective_from=naive)


# R-HL-2: whatever sequence of approvals the rules allow, at any moment exactly one approved
# version (or none before the first) is effective, and it is the last approved by then.
@settings(max_examples=60, deadline=None)
@given(
    steps=st.lists(
        st.tuples(st.integers(1, 30), st.integers(0, 30), st.booleans()), min_size=1, max_size=8
    ),
    probe=st.integers(0, 400),
)
def test_effective_version_follows_the_approval_order(
    steps: list[tuple[int, int, bool]], probe: int
) -> None:
    versions: list[SpecVersion] = []
    now = T0
    for gap, delay, reject in steps:
        now += gap * HOUR
        v = calculate_proposal(calculate_new_draft(versions, sample_spec()), at=now)
        versions.append(v)
        if reject:
            decided = calculate_rejection(v, at=now, comment="no")
        else:
            try:
                decided = calculate_approval(v, versions, at=now, effective_from=now + delay * HOUR)
            except VersionRefused as refused:
                assert refused.code == "EFFECTIVE_BEFORE_SCHEDULED"
                continue
        versions[-1] = decided
    at = T0 + probe * HOUR
    effective = choose_effective_version(versions, at)
    live = [
        v
        for v in versions
        if v.status is VersionStatus.APPROVED
        and v.effective_from is not None
        and v.effective_from <= at
    ]
    if not live:
        assert effective is None
    else:
        assert effective == max(live, key=lambda v: v.number)
        states = [calculate_version_state(v, versions, at) for v in versions]
        assert states.count(VersionState.EFFECTIVE) == 1
