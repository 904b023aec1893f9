"""The deadlines of a case: its step's, the Điều 30 time limit of an accepted denunciation, and the notices
it owes. The rules are shared by the desk (what is due now) and the half-year report (what was late).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from .. import register
from .clock import add_days, local_date
from .settings import Settings
from .vocabulary import OPEN_STATUSES, notice_label


@dataclass(frozen=True)
class Due:
    """A deadline that applies to a case now."""

    case: register.Case
    what: str  # a step name (a status), "resolve" (Điều 30), "notify" (a named reporter) or "notice"
    label: str
    due_on: date
    basis: str
    notice: register.Notice | None = None  # for "notice": which notice, to whom

    def days_left(self, on: date) -> int:
        return (self.due_on - on).days

    @property
    def statutory(self) -> bool:
        """Whether it runs under Luật Tố cáo (then its basis says to check the text as amended)."""
        return self.what == "resolve" or (self.notice is not None and self.notice.about == "accepted")


def resolve_deadline(case: register.Case, settings: Settings) -> date | None:
    """Điều 30: the accepted denunciation's time limit, from the thụ lý date, with its extensions."""
    if case.track != "denunciation" or not case.accepted_at:
        return None
    return resolve_due(case.accepted_at, case.extensions, settings)


# The rules of each deadline, shared by the desk (what is due now) and the half-year report (what was late).


def step_due(step: str, started_at: str, extensions: int, settings: Settings) -> date | None:
    """The Board's deadline of a step begun at ``started_at`` (None for a step without one)."""
    rule = settings.deadlines.get(step)
    if rule is None:
        return None
    due = add_days(local_date(started_at), rule.days, rule.kind, settings)
    if step == "handling" and extensions:
        due = add_days(due, extensions * rule.extension_days, "calendar", settings)
    return due


def resolve_due(accepted_at: str, extensions: int, settings: Settings) -> date:
    """Điều 30: the time limit from the thụ lý decision, with its extensions."""
    limit = settings.denunciation
    due = add_days(local_date(accepted_at), limit.days, limit.kind, settings)
    return add_days(due, extensions * limit.extension_days, "calendar", settings)


def notice_rule(notice: register.Notice, settings: Settings):
    """Điều 29 for the notices of an acceptance; the Board's choice for the others."""
    return settings.notify if notice.about == "accepted" else settings.notices


def notice_due(notice: register.Notice, settings: Settings) -> date:
    rule = notice_rule(notice, settings)
    return add_days(local_date(notice.decided_at), rule.days, rule.kind, settings)


def report_notice_due(case: register.Case, settings: Settings) -> date | None:
    """The Board's notice to a named reporter: from the first assignment or forwarding."""
    started = [t for t in (case.assigned_at, case.forwarded_at) if t]
    if not started:
        return None
    notice = settings.report_notice
    return add_days(local_date(min(started)), notice.days, notice.kind, settings)


def deadlines(case: register.Case, settings: Settings, owed: Sequence[register.Notice] = ()) -> list[Due]:
    """The deadlines open for a case: its step's, and the notices it owes.

    On the phản ánh track every deadline is the Board's choice. On the tố cáo track the Điều 30
    limit runs from the thụ lý date and takes the place of the Board's handling and following
    deadlines. ``owed`` are the case's notices not yet given (``register.owed_notices``).
    """
    out = []
    denunciation = case.track == "denunciation" and case.accepted_at
    step = settings.deadlines.get(case.status)
    if step is not None and not (denunciation and case.status in ("handling", "following")):
        due = step_due(case.status, case.step_started_at, case.extensions, settings)
        out.append(Due(case, case.status, step.label, due, step.basis))
    if denunciation and case.status in OPEN_STATUSES:
        limit = settings.denunciation
        out.append(Due(case, "resolve", limit.label, resolve_deadline(case, settings), limit.basis))
    # The denouncer is the reporter: a notice owed to them under the law is the one to send.
    if report_notice_pending(case, settings) and not any(n.recipient == "denouncer" for n in owed):
        notice = settings.report_notice
        out.append(Due(case, "notify", notice.label, report_notice_due(case, settings), notice.basis))
    for item in owed:
        rule = notice_rule(item, settings)
        if not rule.enabled or item.given_at:
            continue
        out.append(Due(case, "notice", notice_label(item), notice_due(item, settings), rule.basis, item))
    return out


def report_notice_pending(case: register.Case, settings: Settings) -> bool:
    """A named reporter on the phản ánh track not yet told how the report is handled (the Board's choice)."""
    return (
        settings.report_notice.enabled
        and case.track == "report"
        and not case.anonymous
        and not case.notified_at
        and bool(case.assigned_at or case.forwarded_at)
        and case.status in OPEN_STATUSES
    )


def current_deadline(case: register.Case, settings: Settings, found: Sequence[Due] | None = None) -> Due | None:
    """The deadline of the case's own progress: its step's, or Điều 30 on the tố cáo track.

    ``found``: the case's deadlines when already computed (``deadlines``), so that a long list counts them once.
    """
    found = [d for d in (deadlines(case, settings) if found is None else found) if d.what in (case.status, "resolve")]
    return min(found, key=lambda d: d.due_on) if found else None
