"""The case register: an embedded SQLite database in the Office's data folder.

It holds what the Office needs to list, follow and count cases in clear (dates,
channel, category, status, handling unit, deadlines, flags) and points at the
encrypted report kept beside it. The report itself, and with it the reporter's
identity, stays an age envelope at rest: only ``office show``, ``reveal``,
``extract`` and ``export`` decrypt it, in memory.

Two tracks (issue 11): ``cases.track`` is "report" (phản ánh, kiến nghị: every case,
handled under the Board's plan) unless the Office recorded a thụ lý decision on a
named denunciation ("denunciation"; ``accepted_at`` is the decision's date,
``acceptance_ref`` its reference). ``assigned_at`` is when a unit was first
assigned, which is not acceptance. Every notice is a row of ``notices`` (see
``office/register/notices.py``): the ones the law asks for after a decision on a
denunciation (to the denouncer, to the person denounced), owed until given, and
every notice given to the reporter of a phản ánh; ``notified_at`` is the date of
the first of those, the Board's own notice to a named reporter.

Each case's steps, with when they began and ended and who held them, are kept in ``steps``
(see ``office/register/steps.py``), so that a late step is counted against whoever owned it.

Besides the cases it keeps the audit trail (``audit``, see ``office/register/audit.py``),
recorded confidentiality incidents (``incidents``), the activities of the plan that are not cases
(``activities``, see ``office/register/activities.py``) and a few settings that must
not live in an editable text file (``meta``: the Office's public keys).

Its modules: ``database`` (the schema, its named steps, connections and
transactions), ``cases``, ``followups`` (follow-up by receipt code, answers, and
follow-ups that match no case yet), ``notices``, ``steps``, ``audit``,
``activities``, ``identity`` (which register this is) and ``desk`` (the data
folder). This package gives the names most of the desk uses from the first four.
"""

from __future__ import annotations

import sqlite3

from .cases import (
    AttachmentRow,
    Case,
    CaseNotFound,
    add_case,
    all_cases,
    attachment_counts,
    attachments_of,
    case_by_id,
    case_by_source,
    case_from_row,
    find_case,
    next_number,
    note_dropped,
    note_quarantine,
    quarantined,
)
from .database import (
    MIGRATIONS,
    connect,
    meta_get,
    meta_set,
    transaction,
)
from .followups import (
    Followup,
    ReplyRow,
    UnmatchedFollowup,
    add_followup,
    add_reply,
    add_unmatched_followup,
    attachment_owner,
    case_by_lookup,
    cases_by_lookup,
    followup_by_source,
    followup_reference,
    followups_of,
    join_followup,
    mark_followups_read,
    mark_unverified,
    note_marked,
    replies_of,
    set_reply_recipient,
    unmarked_lookups,
    unmatched_attachments_of,
    unmatched_by_reference,
    unmatched_by_source,
    unmatched_followups,
    unread_followups,
)
from .notices import (
    Notice,
    add_given,
    add_notice,
    give_notice,
    notices_by_case,
    notices_of,
    owed_notices,
)

__all__ = [
    "MIGRATIONS",
    "MUTABLE_COLUMNS",
    "AttachmentRow",
    "Case",
    "CaseNotFound",
    "Followup",
    "Notice",
    "ReplyRow",
    "UnmatchedFollowup",
    "add_case",
    "add_followup",
    "add_given",
    "add_notice",
    "add_reply",
    "add_unmatched_followup",
    "all_cases",
    "attachment_counts",
    "attachment_owner",
    "attachments_of",
    "case_by_id",
    "case_by_lookup",
    "case_by_source",
    "case_from_row",
    "cases_by_lookup",
    "connect",
    "find_case",
    "followup_by_source",
    "followup_reference",
    "followups_of",
    "give_notice",
    "join_followup",
    "mark_followups_read",
    "mark_unverified",
    "meta_get",
    "meta_set",
    "next_number",
    "note_dropped",
    "note_marked",
    "note_quarantine",
    "notices_by_case",
    "notices_of",
    "owed_notices",
    "quarantined",
    "replies_of",
    "set_reply_recipient",
    "transaction",
    "unmarked_lookups",
    "unmatched_attachments_of",
    "unmatched_by_reference",
    "unmatched_by_source",
    "unmatched_followups",
    "unread_followups",
    "update_case",
]


# Columns of ``cases`` that workflow commands may change: ``update_case``, the one door through which the
# workflow changes a case, refuses any other name.
MUTABLE_COLUMNS = frozenset(
    {
        "category",
        "status",
        "competence",
        "unit",
        "unit_head",
        "forwarded_to",
        "forwarded_at",
        "outcome",
        "flags",
        "leaders_informed_at",
        "status_changed_at",
        "accepted_at",
        "acceptance_ref",
        "assigned_at",
        "track",
        "extensions",
        "notified_at",
        "closed_at",
        "was_late",
    }
)


def update_case(db: sqlite3.Connection, case_id: int, **fields: object) -> None:
    """Change workflow columns of one case (inside a transaction)."""
    unknown = set(fields) - MUTABLE_COLUMNS
    if unknown:
        raise ValueError(f"not a workflow column: {', '.join(sorted(unknown))}")
    assignments = ", ".join(f"{name} = ?" for name in fields)  # names checked against MUTABLE_COLUMNS
    db.execute(f"UPDATE cases SET {assignments} WHERE id = ?", (*fields.values(), case_id))  # noqa: S608
