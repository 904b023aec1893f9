"""The Board's plan as a workflow: the statuses a case goes through, its flags and its deadlines.

The plan (Kế hoạch, II.2 and II.3) asks the Office to receive reports, classify
them, handle them or propose forwarding those beyond the Board's competence to
the competent authority, follow the result, and report to the Board's leaders
the cases that are complex, prolonged, or show signs of complaints by many
people or going over levels. Hence:

    received ──classify──> classified ──assign──> handling ──follow──> following ──conclude──> concluded
        │                      │   └──forward──> forwarded ──follow──┘       (handling ──conclude──> concluded)
        └──────reject──────────┴──> rejected (not accepted, with a reason)

Each step has a deadline from the settings; ``transition`` enforces the
order, so that the statistics of the half-year report mean what they say.
Every change is written to the audit trail in the same transaction.
"""

from __future__ import annotations

import difflib
import sqlite3
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

from .. import register
from ..register import audit
from .clock import add_days, local_date, local_time, now_iso
from .settings import Settings

STATUSES: dict[str, tuple[str, str]] = {
    "received": ("Đã tiếp nhận", "Received"),
    "classified": ("Đã phân loại", "Classified"),
    "handling": ("Đang xử lý", "Being handled by a unit"),
    "forwarded": ("Đã chuyển cơ quan có thẩm quyền", "Forwarded to the competent authority"),
    "following": ("Đang theo dõi kết quả", "Following the result"),
    "concluded": ("Đã kết thúc", "Concluded"),
    "rejected": ("Không xem xét, xử lý", "Not accepted"),
}
OPEN_STATUSES = ("received", "classified", "handling", "forwarded", "following")

COMPETENCE: dict[str, tuple[str, str]] = {
    "within": ("Thuộc thẩm quyền của Ban", "within the Board's competence"),
    "outside": ("Không thuộc thẩm quyền của Ban", "outside the Board's competence"),
}

# The plan: "Kịp thời báo cáo Lãnh đạo Ban đối với các vụ việc phức tạp, kéo dài hoặc có dấu hiệu
# phát sinh khiếu nại, tố cáo đông người, vượt cấp."
FLAGS: dict[str, tuple[str, str]] = {
    "complex": ("Phức tạp", "complex"),
    "prolonged": ("Kéo dài", "prolonged"),
    "many-people": ("Đông người", "many people"),
    "over-levels": ("Vượt cấp", "over levels"),
}

CHANNELS: dict[str, tuple[str, str]] = {
    "online": ("Trực tuyến (cổng)", "online (portal)"),
    "hotline": ("Đường dây nóng", "hotline"),
    "email": ("Thư điện tử", "e-mail"),
    "mailbox": ("Hòm thư góp ý", "comment mailbox"),
    "reception": ("Tiếp công dân", "citizen reception"),
    "forwarded": ("Cơ quan khác chuyển đến", "forwarded by another body"),
}

# What to do next from each status, shown after every command.
NEXT_STEP: dict[str, str] = {
    "received": "office classify {n} --competence within|outside",
    "classified": 'office assign {n} --unit "..." (thuộc thẩm quyền / within) hoặc / or '
    'office forward {n} --to "..." (không thuộc thẩm quyền / outside); office reject {n} --reason "..."',
    "handling": 'office follow {n} --note "..." hoặc / or office conclude {n} --result "..."',
    "forwarded": 'office follow {n} --note "kết quả / result ..."',
    "following": 'office conclude {n} --result "..."',
    "concluded": '(đã xong / done; có thông tin mới / new information: office reopen {n} --reason "...")',
    "rejected": '(đã xong / done; có thông tin mới / new information: office reopen {n} --reason "...")',
}


def reply_status(case) -> str:
    """What the reporter is told (a ``reply/1`` status) for the case's place in the workflow.

    The reporter sees fewer steps than the Office keeps: a classified case is still
    "being classified" until a unit takes it or it goes to another authority, and
    following the result is "being handled" or "forwarded", whichever it was.
    """
    if case.status == "following":
        return "forwarded" if case.forwarded_to else "handling"
    return {
        "received": "received",
        "classified": "classifying",
        "handling": "handling",
        "forwarded": "forwarded",
        "concluded": "concluded",
        "rejected": "not_accepted",
    }[case.status]


def _fold(name: str) -> str:
    """A unit's name without case, tone marks or extra spaces: "Doanh nghiep" and "Doanh nghiệp" fold alike."""
    text = unicodedata.normalize("NFD", name.casefold().replace("đ", "d"))
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).split())


def similar_units(name: str, known: set[str]) -> list[str]:
    """Units already in use whose names are close to ``name``: a typo must not start a second unit."""
    folded = {_fold(k): k for k in sorted(known)}
    if _fold(name) in folded:
        return [folded[_fold(name)]]
    return [folded[f] for f in difflib.get_close_matches(_fold(name), list(folded), n=3, cutoff=0.85)]


def days(count: int) -> str:
    """ "1 day", "2 days": English counts its days (Vietnamese writes "1 ngày", "2 ngày" alike)."""
    return f"{count} day" if count == 1 else f"{count} days"


def status_label(status: str, language: str = "vi") -> str:
    vi, en = STATUSES.get(status, (status, status))
    return vi if language == "vi" else en


def bilingual(table: dict[str, tuple[str, str]], code: str | None) -> str:
    if not code:
        return "-"
    vi, en = table.get(code, (code, code))
    return f"{vi} / {en}"


class WorkflowError(ValueError):
    """A step that the workflow does not allow from the case's status; the message says what to do."""


@dataclass(frozen=True)
class Due:
    """A deadline that applies to a case now."""

    case: register.Case
    what: str  # a step name (a status) or "notify"
    label: str
    due_on: date
    basis: str

    def days_left(self, on: date) -> int:
        return (self.due_on - on).days


def deadlines(case: register.Case, settings: Settings) -> list[Due]:
    """The deadlines open for a case: its current step's and, if due, the notice to a named reporter."""
    out = []
    step = settings.deadlines.get(case.status)
    if step is not None:
        due = add_days(local_date(case.step_started_at), step.days, step.kind, settings)
        if case.status == "handling" and case.extensions:
            due = add_days(due, case.extensions * step.extension_days, "calendar", settings)
        out.append(Due(case, case.status, step.label, due, step.basis))
    notify = settings.notify
    if (
        notify.enabled
        and case.accepted_at
        and not case.anonymous
        and not case.notified_at
        and (case.status not in ("concluded", "rejected"))
    ):
        due = add_days(local_date(case.accepted_at), notify.days, notify.kind, settings)
        out.append(Due(case, "notify", notify.label, due, notify.basis))
    return out


def overdue_on(case: register.Case, settings: Settings, on: date) -> Due | None:
    """The first deadline of a case that has passed on a given day, if any."""
    late = [d for d in deadlines(case, settings) if d.due_on < on]
    return min(late, key=lambda d: d.due_on) if late else None


# --- transitions ------------------------------------------------------------------------------

# action -> (statuses it may start from, the status it leads to or None to stay)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "classify": (("received", "classified"), "classified"),
    "assign": (("classified", "handling"), "handling"),
    "forward": (("classified", "forwarded"), "forwarded"),
    "follow": (("handling", "forwarded", "following"), "following"),
    "conclude": (("handling", "following"), "concluded"),
    "reject": (("received", "classified"), "rejected"),
    "extend": (("handling",), None),
    # New information on a closed case: it starts again from classification; the audit
    # trail keeps the earlier result.
    "reopen": (("concluded", "rejected"), "received"),
}


def _check(case: register.Case, action: str) -> str | None:
    starts, target = TRANSITIONS[action]
    if case.status not in starts:
        raise WorkflowError(
            f"hồ sơ {case.number} đang ở bước '{status_label(case.status)}', chưa thể '{action}' / case "
            f"{case.number} is '{status_label(case.status, 'en')}': '{action}' is not possible now. "
            f"Tiếp theo / next: {NEXT_STEP[case.status].format(n=case.number)}"
        )
    return target


def transition(
    db: sqlite3.Connection,
    case: register.Case,
    action: str,
    settings: Settings,
    *,
    who: str,
    why: str,
    at: str | None = None,
    **values: Any,
) -> register.Case:
    """Apply one workflow action to a case and record it in the audit trail (who, why); return the new case.

    ``values`` are the action's own: competence and category (classify), unit
    and head (assign), authority (forward), note (follow), result (conclude),
    reason (reject, extend, reopen). ``at`` is when the step really happened, for a
    step recorded after the fact (the audit entry keeps the time of recording).
    """
    with register.transaction(db):
        case = register.case_by_id(db, case.id)  # re-read inside the transaction
        target = _check(case, action)
        now = at or now_iso()
        if now > now_iso():
            raise WorkflowError("ngày thực hiện ở tương lai / the date of a step cannot be in the future")
        if now < case.step_started_at:
            raise WorkflowError(
                f"hồ sơ {case.number}: bước này không thể trước bước hiện tại ({local_time(case.step_started_at)}) / "
                "the step cannot happen before the current one began"
            )
        fields: dict[str, Any] = {}
        if action == "classify":
            fields["competence"] = values["competence"]
            if values.get("category"):
                fields["category"] = values["category"]
        elif action == "assign":
            if case.competence != "within":
                raise WorkflowError(
                    f"hồ sơ {case.number} không thuộc thẩm quyền của Ban / is outside the Board's competence: "
                    f'office forward {case.number} --to "...", hoặc phân loại lại / or classify it again'
                )
            fields.update(unit=values["unit"], unit_head=values.get("head"))
            if case.accepted_at is None:
                fields["accepted_at"] = now
        elif action == "forward":
            if case.competence != "outside":
                raise WorkflowError(
                    f"hồ sơ {case.number} thuộc thẩm quyền của Ban / is within the Board's competence: "
                    f'office assign {case.number} --unit "...", hoặc phân loại lại / or classify it again'
                )
            fields.update(forwarded_to=values["authority"], forwarded_at=now)
        elif action == "conclude":
            fields.update(outcome=values["result"], closed_at=now)
        elif action == "reject":
            fields.update(outcome=values["reason"], closed_at=now)
        elif action == "reopen":
            fields.update(closed_at=None, competence=None)
        elif action == "extend":
            step = settings.deadlines["handling"]
            if case.extensions >= step.max_extensions:
                raise WorkflowError(
                    f"hồ sơ {case.number} đã gia hạn {case.extensions} lần, tối đa theo cài đặt / was already "
                    f"extended the most the settings allow (deadlines.handling.max_extensions = {step.max_extensions})"
                )
            fields["extensions"] = case.extensions + 1
            fields["flags"] = ",".join(sorted(case.flag_set | {"complex"}))
            if "complex" not in case.flag_set:
                fields["leaders_informed_at"] = None  # newly complex: the leaders must be told
        if target and target != case.status:
            if any(d.what == case.status and d.due_on < local_date(now) for d in deadlines(case, settings)):
                fields["was_late"] = 1
            fields.update(status=target, status_changed_at=now)
        register.update_case(db, case.id, **fields)
        details = {"action": action, **fields, **({"effective": now} if at else {})}
        if action == "follow":
            details["note"] = values["note"]
        audit.append(db, "change", who=who, reason=why, case_number=case.number, details=details)
        return register.case_by_id(db, case.id)


def set_flags(
    db: sqlite3.Connection,
    case: register.Case,
    *,
    add: list[str],
    remove: list[str],
    leaders_informed: bool,
    who: str,
    reason: str,
    at: str | None = None,
) -> register.Case:
    """Set or clear flags; ``leaders_informed`` records when the Board's leaders were told (``at``, or now).

    A flag that is new since the leaders were told asks for a new report to them.
    """
    unknown = {f for f in [*add, *remove] if f not in FLAGS}
    if unknown:
        raise WorkflowError(f"không có dấu / unknown flag {', '.join(sorted(unknown))}: {', '.join(FLAGS)}")
    when = _past_moment(at)
    with register.transaction(db):
        case = register.case_by_id(db, case.id)
        flags = (case.flag_set | set(add)) - set(remove)
        fields: dict[str, Any] = {"flags": ",".join(sorted(flags))}
        if leaders_informed:
            fields["leaders_informed_at"] = when
        elif flags - case.flag_set:
            fields["leaders_informed_at"] = None  # a new reason to report: the leaders must be told again
        register.update_case(db, case.id, **fields)
        audit.append(
            db,
            "change",
            who=who,
            reason=reason,
            case_number=case.number,
            details={"action": "flag", **fields},
        )
        return register.case_by_id(db, case.id)


def record_notice(
    db: sqlite3.Connection, case: register.Case, *, how: str, who: str, at: str | None = None
) -> register.Case:
    """Record that the reporter was told (that the case was accepted, forwarded, concluded...), ``at`` or now."""
    when = _past_moment(at)
    with register.transaction(db):
        register.update_case(db, case.id, notified_at=when)
        audit.append(db, "reply", who=who, reason=how, case_number=case.number, details={"action": "notify"})
        return register.case_by_id(db, case.id)


def _past_moment(at: str | None) -> str:
    """``at`` (a step recorded after the fact) or now; never in the future."""
    now = now_iso()
    if at and at > now:
        raise WorkflowError("the date of a step cannot be in the future (ngày thực hiện ở tương lai)")
    return at or now


def needs_leaders(case: register.Case) -> bool:
    """Flagged, still open, and the leaders not yet told (the plan: report such cases to them)."""
    return bool(case.flag_set) and case.leaders_informed_at is None and case.status in OPEN_STATUSES
