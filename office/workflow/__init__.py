"""The Board's plan as a workflow: the statuses a case goes through, its flags and its deadlines.

The plan (Kế hoạch, II.2 and II.3) asks the Office to receive reports, classify
them, handle them or propose forwarding those beyond the Board's competence to
the competent authority, follow the result, and report to the Board's leaders
the cases that are complex, prolonged, or show signs of complaints by many
people or going over levels. Hence:

    received ──classify──> classified ──assign──> handling ──follow──> following ──conclude──> concluded
        │                      │   └──forward──> forwarded ──follow──┘       (handling ──conclude──> concluded)
        └──────reject──────────┴──> rejected (not taken up, with a reason)

Two tracks run through these statuses (LEGAL_FACTS §3.4, §3.5). Every case is a
phản ánh, kiến nghị (track "report"), handled under the Board's plan with the
Board's own deadlines, and no statutory acceptance: assigning a unit is not
acceptance. A case moves to the tố cáo track ("denunciation") only when the
Office records a thụ lý decision (``accept``: date, reference, the law's
conditions confirmed by the clerk) on a named denunciation within the Board's
competence. Only then do Luật Tố cáo's Điều 29 notices (to the denouncer and,
of the content, to the person denounced) and Điều 30 time limit run, from the
decision's date. A named denunciation that is not accepted (``decline``) or is
transferred (``forward --denunciation``) owes the denouncer a notice.

Each step has a deadline from the settings; ``transition`` enforces the
order, so that the statistics of the half-year report mean what they say.
Every change is written to the audit trail in the same transaction.
"""

from __future__ import annotations

from .time_limits import (
    Due,
    current_deadline,
    deadlines,
    notice_due,
    notice_rule,
    report_notice_due,
    report_notice_pending,
    resolve_deadline,
    resolve_due,
    step_due,
)
from .transitions import (
    REPORTER_NAMES,
    TRANSITIONS,
    NamedInCase,
    NoticeChoice,
    WorkflowError,
    needs_leaders,
    possible,
    record_notice,
    refusal,
    reporter_notice_about,
    set_flags,
    transition,
)
from .vocabulary import (
    ACCEPTANCE_CONDITIONS,
    CHANNELS,
    COMPETENCE,
    FLAGS,
    NAMED_FIELDS,
    NEXT_STEP,
    NOTICE_ABOUT,
    NOTICE_TO,
    OPEN_STATUSES,
    STATUSES,
    TRACKS,
    bilingual,
    days,
    fold,
    named_in,
    next_step,
    notice_label,
    reply_status,
    similar_units,
    status_label,
)

__all__ = [
    "ACCEPTANCE_CONDITIONS",
    "CHANNELS",
    "COMPETENCE",
    "FLAGS",
    "NAMED_FIELDS",
    "NEXT_STEP",
    "NOTICE_ABOUT",
    "NOTICE_TO",
    "OPEN_STATUSES",
    "REPORTER_NAMES",
    "STATUSES",
    "TRACKS",
    "TRANSITIONS",
    "Due",
    "NamedInCase",
    "NoticeChoice",
    "WorkflowError",
    "bilingual",
    "current_deadline",
    "days",
    "deadlines",
    "fold",
    "named_in",
    "needs_leaders",
    "next_step",
    "notice_due",
    "notice_label",
    "notice_rule",
    "possible",
    "record_notice",
    "refusal",
    "reply_status",
    "report_notice_due",
    "report_notice_pending",
    "reporter_notice_about",
    "resolve_deadline",
    "resolve_due",
    "set_flags",
    "similar_units",
    "status_label",
    "step_due",
    "transition",
]
