"""Which steps of a case were late, and whose they were: the lateness figures of the half-year report.

The desk trial found the report blaming units for the Office's own delays, a case counted late
that its list of late cases did not show, and a case counted late before its deadline: it kept
one "late" flag per case. Here lateness belongs to a step, and a step to one owner:

* the Office (``office``, "Văn phòng Ban"): classifying a case (received), assigning or
  forwarding it (classified), following a forwarded case (forwarded, and its following), the
  Board's notice to a named reporter (notify) and the notices owed under Luật Tố cáo (notice);
* the unit that held the case: its handling, and the following of what it handled;
* the time limit of an accepted denunciation (resolve): the person resolving the denunciation
  (người giải quyết tố cáo), who is neither the Office nor the unit that handles the file;
* nobody's at all: the time a forwarded case waits on the authority's result (``Step.waits_on``),
  which is that authority's, not the Board's.

A notice is a record of its own (``register.notices``): the Board's notice to a named reporter
ends at the first notice given to them, whatever came after it.

A step is late when it ended on a day after its deadline, or had not ended by the day the
figures are counted (``on``) and that day is after its deadline: nothing is late before its
deadline has passed, and what happened after ``on`` is not known yet. The deadlines are the
desk's own rules (``workflow.step_due`` and its siblings), counted from the step history
(``register.steps``) and the notices (``register.Notice``).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from .. import register, workflow
from ..register.notices import first_to_reporter
from ..register.steps import RESOLVE, Step
from ..workflow import clock
from ..workflow.settings import Settings

# The same instants are read again and again (a step's end is the next one's start): read each once.
local_date = functools.lru_cache(maxsize=1 << 16)(clock.local_date)

# The order of steps in a table: the case's own progress, then the notices.
ORDER = ("received", "classified", "handling", "forwarded", "following", "resolve", "notify", "notice")
# Who answers for a late Điều 30 time limit (L14 of the content review): the resolver, by role.
RESOLVER = "Người giải quyết tố cáo"


@dataclass(frozen=True)
class Late:
    """One late step of one case."""

    number: str
    what: str  # one of ORDER
    label: str  # what the step is, in Vietnamese
    owner: str  # the unit's name, or the Office's
    by_office: bool
    due_on: date
    done_on: date | None  # None: not done by the day the figures are counted
    days_late: int
    ended_on: date | None = None  # done, or lapsed: a notice to a reporter whose case was closed without it
    owner_kind: str = "office"  # "office", "unit" or "resolver"

    @property
    def open(self) -> bool:
        """Still owed on the day the figures are counted (overdue)."""
        return self.ended_on is None

    @property
    def sort_key(self) -> tuple[int, str, int]:
        return (-self.days_late, self.number, ORDER.index(self.what))


def late_steps(
    case: register.Case,
    history: Sequence[Step],
    notices: Sequence[register.Notice],
    settings: Settings,
    on: date,
    office: str,
    since: date | None = None,
) -> list[Late]:
    """The late steps of a case as of the end of day ``on``; with ``since``, only those still open or done since."""
    reckon = _Reckoning(case, settings, on, since)
    waiting = [row for row in history if row.step != RESOLVE]
    resolving = [row for row in history if row.step == RESOLVE]
    for run in _runs(waiting):
        first, last = run[0], run[-1]
        rule = settings.deadlines.get(first.step)
        if rule is None or reckon.finished_before(last.ended_at):
            continue
        if first.waits_on:
            continue  # the authority's time, not the Board's
        if first.step in ("handling", "following") and any(_overlap(first, last, r) for r in resolving):
            continue  # on the tố cáo track, Điều 30 takes the place of the Board's deadlines
        due = workflow.step_due(first.step, first.started_at, last.extensions, settings)
        holder = _holder_on(run, due)
        kind = "office" if holder.unit is None else "unit"
        reckon.check(first.step, rule.label, holder.unit or office, kind, due, last.ended_at)
    for row in resolving:
        if reckon.finished_before(row.ended_at):
            continue
        due = workflow.resolve_due(row.started_at, row.extensions, settings)
        reckon.check(RESOLVE, settings.denunciation.label, RESOLVER, "resolver", due, row.ended_at)
    if _owes_report_notice(case, notices, settings):
        # Owed while the case is open, as the desk reminds it: closed without it, the notice lapsed.
        told = first_to_reporter(notices) or case.notified_at
        lapsed = case.closed_at if case.status not in workflow.OPEN_STATUSES and not told else None
        ended = told or lapsed
        due = workflow.report_notice_due(case, settings)
        if due is not None and not reckon.finished_before(ended):
            reckon.check("notify", settings.report_notice.label, office, "office", due, ended, done=not lapsed)
    for notice in notices:
        if not notice.legal:
            continue  # a notice to a reporter: counted above, as the step it was given for
        if workflow.notice_rule(notice, settings).enabled and not reckon.finished_before(notice.given_at):
            due = workflow.notice_due(notice, settings)
            reckon.check("notice", workflow.notice_label(notice), office, "office", due, notice.given_at)
    return reckon.late


class _Reckoning:
    """Collects the late steps of one case as of a day."""

    def __init__(self, case: register.Case, settings: Settings, on: date, since: date | None) -> None:
        self.case, self.settings, self.on, self.since = case, settings, on, since
        self.late: list[Late] = []

    def finished_before(self, ended_at: str | None) -> bool:
        """Done before the days that matter (``since``): no need to work out its deadline."""
        return self.since is not None and ended_at is not None and local_date(ended_at) < self.since

    def check(
        self, what: str, label: str, owner: str, kind: str, due: date, ended_at: str | None, done: bool = True
    ) -> None:
        """Note the step if it ended after its deadline, or was still open after it on the day of reckoning."""
        ended = local_date(ended_at) if ended_at else None
        if ended is not None and ended > self.on:
            ended = None  # ended after the day of reckoning: still open on that day
        last = ended if ended is not None else self.on
        if last <= due:
            return
        if self.since is not None and ended is not None and ended < self.since:
            return
        vi = label.split(" / ")[0]
        done_on = ended if done else None
        late = Late(self.case.number, what, vi, owner, kind == "office", due, done_on, (last - due).days, ended, kind)
        self.late.append(late)


def _runs(rows: list[Step]) -> list[list[Step]]:
    """Rows of one step in a row, passed from hand to hand (same step, same start), grouped."""
    runs: list[list[Step]] = []
    for row in rows:
        if runs and runs[-1][-1].step == row.step and runs[-1][-1].started_at == row.started_at:
            runs[-1].append(row)
        else:
            runs.append([row])
    return runs


def _holder_on(rows: Sequence[Step], due: date) -> Step:
    """Who held the step when its deadline passed: the row held at the end of the deadline's day (the run's
    last row if its deadline passed after every row was let go: it had not passed while it was held)."""
    for row in rows:
        if local_date(row.held_from) > due:
            break
        if row.ended_at is None or local_date(row.ended_at) > due:
            return row
    return rows[-1]


def _overlap(first: Step, last: Step, resolve: Step) -> bool:
    """Whether the Điều 30 time limit ran during a step (ISO instants compare as text)."""
    ends = last.ended_at or "9999"
    return resolve.started_at < ends and (resolve.ended_at or "9999") > first.held_from


def _owes_report_notice(case: register.Case, notices: Sequence[register.Notice], settings: Settings) -> bool:
    """A named reporter is told how the report is handled (the Board's choice), unless the law's notices to a
    denouncer take its place."""
    return (
        settings.report_notice.enabled
        and not case.anonymous
        and bool(case.assigned_at or case.forwarded_at)
        and not any(n.recipient == "denouncer" for n in notices)
    )
