"""What the Office should see first: what is due, what waits, and whether the site is the release.

``due`` is the list of ``office due``: every deadline passed or coming within the
horizon (the settings' ``due_soon_days`` by default), each with whose step it is,
and the flagged cases the Board's leaders have not been told of. ``overview`` is
the window's first page: reports waiting in the store, cases by status, the steps
late or due soon, the follow-ups nobody has read or that match no case, the next
half-year report's date (05/6, 05/12) and the verdict of the last site check.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from intake_function.store import Store, StoreError

from .. import register, workflow
from ..intake.pull import pending
from ..operation import DATE, NUMBER, DeskError, Field, settings_of
from ..release.check import VERDICT_WORDS
from ..reports import half_year
from ..safe_text import for_terminal
from ..workflow import settings as settings_module
from ..workflow.clock import parse_day, today, vn_date
from ..workflow.settings import Settings
from . import audit, steps
from .desk import Desk

DUE = (
    Field(
        "within",
        "Sắp đến hạn trong N ngày",
        "due within N days",
        kind=NUMBER,
        hint="(mặc định / default: deadlines.due_soon_days)",
    ),
    Field("on", "Tính đến ngày", "as of this date", kind=DATE, hint="(dd/mm/yyyy)", option="--today"),
)


@dataclass(frozen=True)
class DueItem:
    left: int  # days left (negative: late)
    due: workflow.Due
    owner: str  # whose step it is: the unit that holds the case, or the Office

    @property
    def late(self) -> bool:
        return self.left < 0


@dataclass(frozen=True)
class DueList:
    on: date
    horizon: int
    items: list[DueItem]  # late first, then by days left
    leaders: list[register.Case]  # flagged, still open, the Board's leaders not yet told


def due(desk: Desk, *, within: int | None = None, on: str | None = None) -> DueList:
    """The deadlines passed or due within ``within`` days of ``on`` (dd/mm/yyyy; today by default)."""
    settings = settings_of(desk)
    try:
        day = parse_day(on) if on else today()
    except ValueError as exc:
        raise DeskError(str(exc)) from None
    horizon = settings.due_soon_days if within is None else within
    cases = register.all_cases(desk.db)
    return DueList(day, horizon, _due_items(desk, settings, cases, day, horizon), _leaders(cases))


def due_record(found: DueList) -> dict:
    """The list as data for other tools (``office due --format json``)."""
    return {
        "deadlines": [
            {
                "number": d.case.number,
                "status": d.case.status,
                "step": d.what,
                "due_on": d.due_on.isoformat(),
                "days_left": item.left,
                "late": item.late,
                "unit": d.case.unit,
                "owner": item.owner,
                "track": d.case.track,
                "notice": {"about": d.notice.about, "to": d.notice.recipient} if d.notice else None,
                "statutory": d.statutory,
            }
            for item in found.items
            for d in (item.due,)
        ],
        "report_to_leaders": [{"number": c.number, "flags": sorted(c.flag_set)} for c in found.leaders],
    }


def due_lines(found: DueList, clean: Callable[..., str] = for_terminal) -> list[str]:
    """The list as ``office due`` prints it: late first, the statutory ones marked, then the leaders to tell.

    ``clean`` makes a unit's name safe where it is shown (``clean(text, single_line=True)``), as in ``case_text``.
    """
    lines = [
        f"Tính đến / as of {vn_date(found.on)}; sắp đến hạn / due soon: trong {found.horizon} ngày / "
        f"within {workflow.days(found.horizon)}"
    ]
    if not found.items:
        lines.append("Không có hồ sơ quá hạn hay sắp đến hạn / nothing late or due soon.")
    for item in found.items:
        d, left = item.due, item.left
        state = (
            f"QUÁ HẠN {-left} ngày / LATE {workflow.days(-left)}"
            if left < 0
            else f"còn {left} ngày / {workflow.days(left)} left"
        )
        unit = f"  [{clean(d.case.unit, single_line=True)}]" if d.case.unit else ""
        mark = " (*)" if d.statutory else ""
        lines.append(f"{d.case.number}  {vn_date(d.due_on)}  {state}  {d.label}{mark}{unit}")
    if any(item.due.statutory for item in found.items):
        lines.append(
            f"(*) Luật Tố cáo 2018, tố cáo đã thụ lý: {settings_module.AMENDMENT_NOTE} / the 2018 text: check it as "
            "amended by Law 136/2025/QH15 (in force 1 July 2026)"
        )
    if any(item.due.notice and item.due.notice.about == "accepted" for item in found.items):
        lines.append(
            "Điều 29: thông báo cho cả người tố cáo và người bị tố cáo / tell both the denouncer and the person "
            "denounced (office notify ID --to denouncer|denounced --how ...)"
        )
    if found.leaders:
        lines.append("Cần báo cáo Lãnh đạo Ban / to report to the Board's leaders:")
        for case in found.leaders:
            flags = ", ".join(workflow.bilingual(workflow.FLAGS, f) for f in sorted(case.flag_set))
            lines.append(f"{case.number}  {flags}  -> office flag {case.number} --leaders-informed")
    return lines


def _due_items(desk: Desk, settings: Settings, cases: list[register.Case], day: date, horizon: int) -> list[DueItem]:
    owed = register.owed_notices(desk.db)
    holders = steps.holders(desk.db)
    office = settings.report["compiled_by"]
    items = []
    for case in cases:
        for deadline in workflow.deadlines(case, settings, owed.get(case.id, ())):
            left = deadline.days_left(day)
            if left <= horizon:
                # A notice is the Office's to give; a step is whoever holds the case (the Office if no unit).
                holder = None if deadline.what in ("notify", "notice") else holders.get(case.id)
                items.append(DueItem(left, deadline, holder or office))
    return sorted(items, key=lambda item: (item.left, item.due.case.number))


def _leaders(cases: list[register.Case]) -> list[register.Case]:
    return [c for c in cases if workflow.needs_leaders(c)]


# --- the overview ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoreState:
    waiting: int | None  # reports waiting to be pulled; None when the store could not be read
    problem: str | None = None  # why it could not be read, in the person's words


@dataclass(frozen=True)
class SiteVerdict:
    """The last ``office check-site``, as the audit trail recorded it."""

    at: str
    url: str
    verdict: str  # "ok", "differs", "unreachable" or "cannot-verify" (not everything in time)
    findings: int

    @property
    def label(self) -> str:
        return VERDICTS[self.verdict]


# What each verdict means, in the overview's one line; the verdict's own words are check-site's.
_MEANINGS = {
    "ok": ("trang phục vụ đúng bản phát hành", "the site serves the release"),
    "differs": ("trang có điểm khác bản phát hành", "the site differs from the release"),
    "unreachable": ("trang không trả lời", "the site did not answer"),
    "cannot-verify": ("trang không gửi hết trong thời hạn", "not everything arrived in time"),
}
VERDICTS = {
    verdict: f"{VERDICT_WORDS[verdict][0]}: {vi} / {VERDICT_WORDS[verdict][1]}: {en}"
    for verdict, (vi, en) in _MEANINGS.items()
}


@dataclass(frozen=True)
class NextReport:
    period: half_year.Period  # the half-year whose report is due next
    deadline: date  # the plan's deadline for it (05/6, 05/12 by default)


@dataclass(frozen=True)
class Overview:
    on: date
    store: StoreState | None  # None when no store was named (an offline computer)
    by_status: dict[str, int]  # every status, in the workflow's order
    late: list[DueItem]
    due_soon: list[DueItem]
    leaders: list[register.Case]
    unread: list[tuple[register.Case, int]]  # cases with follow-ups nobody has read, and how many
    unmatched: int  # follow-ups kept because no case has their receipt code
    next_report: NextReport
    site: SiteVerdict | None  # None: the register records no site check

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


def overview(desk: Desk, store: Store | None = None, *, on: date | None = None) -> Overview:
    """The desk at a glance; ``store`` is read only to count the reports waiting in it."""
    settings = settings_of(desk)
    day = on or today()
    cases = register.all_cases(desk.db)
    by_status = dict.fromkeys(workflow.STATUSES, 0)
    for case in cases:
        by_status[case.status] = by_status.get(case.status, 0) + 1
    items = _due_items(desk, settings, cases, day, settings.due_soon_days)
    unread = register.unread_followups(desk.db)
    return Overview(
        on=day,
        store=waiting_in(store) if store is not None else None,
        by_status=by_status,
        late=[item for item in items if item.late],
        due_soon=[item for item in items if not item.late],
        leaders=_leaders(cases),
        unread=[(register.case_by_id(desk.db, case_id), count) for case_id, count in sorted(unread.items())],
        unmatched=len(register.unmatched_followups(desk.db)),
        next_report=next_report(settings, day),
        site=last_site_check(desk),
    )


def waiting_in(store: Store) -> StoreState:
    try:
        return StoreState(len(pending(store)))
    except StoreError as exc:
        return StoreState(None, f"{exc}. Chưa đọc được kho; thử lại sau / the store cannot be read now")


def next_report(settings: Settings, day: date) -> NextReport:
    """The half-year report due next: the first whose deadline is today or later."""
    periods = [half_year.half_year(f"{year}-H{half}", settings) for year in (day.year, day.year + 1) for half in (1, 2)]
    period = min((p for p in periods if p.deadline >= day), key=lambda p: p.deadline)
    return NextReport(period, period.deadline)


def last_site_check(desk: Desk) -> SiteVerdict | None:
    entry = audit.last(desk.db, "site-check")
    if entry is None:
        return None
    details = entry.details
    findings = details.get("findings") or []
    if details.get("ok"):
        verdict = "ok"
    elif details.get("unreachable") or (findings and all(f.startswith("unreachable") for f in findings)):
        verdict = "unreachable"
    elif details.get("verified") is False:
        verdict = "cannot-verify"
    else:
        verdict = "differs"
    return SiteVerdict(entry.at, str(details.get("url", "")), verdict, len(findings))
