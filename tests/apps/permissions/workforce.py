"""Pages of workforce planning (R-WFM-1, R-REP-2): heads plan, administrators read,
finance reads man-hours.

The plan pages answer 200 even for a hotline without history (they say so); the schedule
build and history import answer POST only (the hotline comes in the form).
"""

from .common import R

PLANNERS = {R.CC_HEAD, R.ADMIN}
MAN_HOURS_READERS = {R.CC_HEAD, R.FINANCE, R.ADMIN}


def _hotline(f):
    return {"hotline_id": f["hotline_a"].pk}


RULES = {
    "workforce:plan": (PLANNERS, None),
    "workforce:plan_check": (PLANNERS, _hotline),
    "workforce:plan_export": (PLANNERS, _hotline),
    "workforce:schedule_build": ({R.CC_HEAD}, None, "post"),
    "workforce:history_import": ({R.CC_HEAD}, None, "post"),
    "workforce:man_hours": (MAN_HOURS_READERS, None),
    "workforce:man_hours_export": (MAN_HOURS_READERS, None),
}
