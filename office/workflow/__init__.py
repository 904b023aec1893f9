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

import difflib
import sqlite3
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from .. import register
from ..register import audit, steps
from .clock import add_days, local_date, local_time, now_iso
from .settings import Settings

STATUSES: dict[str, tuple[str, str]] = {
    "received": ("Đã tiếp nhận", "Received"),
    "classified": ("Đã phân loại", "Classified"),
    "handling": ("Đang xử lý", "Being handled by a unit"),
    "forwarded": ("Đã chuyển cơ quan có thẩm quyền", "Forwarded to the competent authority"),
    "following": ("Đang theo dõi kết quả", "Following the result"),
    "concluded": ("Đã kết thúc", "Concluded"),
    "rejected": ("Không xem xét, xử lý", "Not taken up"),
}

TRACKS: dict[str, tuple[str, str]] = {
    "report": ("Phản ánh, kiến nghị", "report"),
    "denunciation": ("Tố cáo đã thụ lý", "accepted denunciation"),
}

# The notices owed after a decision on a denunciation (register.Notice.about, .recipient).
NOTICE_ABOUT: dict[str, tuple[str, str]] = {
    "accepted": ("Thông báo thụ lý tố cáo", "notice of acceptance"),
    "not-accepted": ("Thông báo không thụ lý tố cáo", "notice of non-acceptance"),
    "transferred": ("Thông báo chuyển tố cáo", "notice of transfer"),
    "extended": ("Thông báo gia hạn giải quyết tố cáo", "notice of extension"),
    "concluded": ("Thông báo kết luận nội dung tố cáo", "notice of the conclusion"),
    # To the reporter of a phản ánh (the Board's own notices).
    "handling": ("Thông báo về việc xử lý", "notice of how it is handled"),
    "result": ("Thông báo kết quả xử lý", "notice of the result"),
    "other": ("Thông báo khác", "another notice"),
}
NOTICE_TO: dict[str, tuple[str, str]] = {
    "reporter": ("người phản ánh", "the reporter"),
    "denouncer": ("người tố cáo", "the denouncer"),
    "denounced": ("người bị tố cáo", "the person denounced"),
}
# What the clerk confirms before recording a thụ lý decision: the conditions of LEGAL_FACTS §3.5
# (Luật Tố cáo 2018 Điều 29), and that the denouncer is named (Điều 25). The tool does not check them.
ACCEPTANCE_CONDITIONS: tuple[tuple[str, str], ...] = (
    (
        "Người tố cáo nêu rõ họ tên, địa chỉ (tố cáo không ẩn danh, không mạo danh)",
        "the denouncer gave their name and address (not anonymous, not in another's name)",
    ),
    (
        "Tố cáo được thực hiện theo quy định tại Điều 23 (đơn tố cáo hoặc tố cáo trực tiếp, đủ nội dung)",
        "the denunciation was made as Article 23 provides (a letter, or in person, with the content listed)",
    ),
    ("Người tố cáo có đủ năng lực hành vi dân sự", "the denouncer has full civil act capacity"),
    (
        "Vụ việc thuộc thẩm quyền giải quyết tố cáo của Ban",
        "the matter is within the Board's competence to resolve denunciations",
    ),
    (
        "Nội dung tố cáo có cơ sở để xác định người vi phạm, hành vi vi phạm pháp luật",
        "the content gives grounds to identify the violator and the violation",
    ),
)
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
    # A report of retaliation against a reporter (task 5): set when such a case is classified, so that
    # the leaders are told and protection is considered (``office protect``).
    "retaliation": ("Trù dập người phản ánh, tố giác", "retaliation against a reporter"),
}

CHANNELS: dict[str, tuple[str, str]] = {
    "online": ("Trực tuyến (cổng)", "online (portal)"),
    "hotline": ("Đường dây nóng", "hotline"),
    "email": ("Thư điện tử", "e-mail"),
    "letter": ("Thư gửi qua bưu điện", "postal letter"),
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


def next_step(case: register.Case) -> str:
    """What to do next with a case, for its status and its track."""
    n = case.number
    if case.track == "denunciation" and case.status == "classified":
        return f'office assign {n} --unit "..." (tố cáo đã thụ lý / accepted denunciation)'
    text = NEXT_STEP[case.status].format(n=n)
    if case.status == "classified" and not case.anonymous and case.track == "report":
        text += (
            f'; tố cáo có danh tính / a named denunciation: office accept {n} --decision "..." '
            f'hoặc / or office decline {n} --reason "..."'
        )
    return text


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


def fold(name: str) -> str:
    """A unit's name without case, tone marks or extra spaces: "Doanh nghiep" and "Doanh nghiệp" fold alike."""
    text = unicodedata.normalize("NFD", name.casefold().replace("đ", "d"))
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).split())


def similar_units(name: str, known: set[str]) -> list[str]:
    """Units already in use whose names are close to ``name``: a typo must not start a second unit."""
    folded = {fold(k): k for k in sorted(known)}
    if fold(name) in folded:
        return [folded[fold(name)]]
    return [folded[f] for f in difflib.get_close_matches(fold(name), list(folded), n=3, cutoff=0.85)]


# Words that start many units' names ("Phòng Quản lý Quy hoạch và Xây dựng"): a report may name the unit without them.
_GENERIC = ("phong ", "ban ", "van phong ", "trung tam ", "chi cuc ", "to ")
NAMED_FIELDS = ("persons_involved", "description", "place")


def named_in(document: dict[str, Any], unit: str, head: str | None) -> list[str]:
    """The unit or its head as the report names them ("Người, đơn vị liên quan", the description, the place).

    Handing a report to the unit it is about is what exposed the hotline caller of desk trial 2 (M3): the
    assignment then needs a reason, recorded in the audit trail. Names are compared without case or tone
    marks; a unit is also found by its name without its first word ("Quản lý Quy hoạch và Xây dựng").
    """
    text = f" {fold(' '.join(str(document.get(name) or '') for name in NAMED_FIELDS))} "
    found = []
    folded = fold(unit)
    short = next((folded[len(word) :] for word in _GENERIC if folded.startswith(word)), None)
    for label, needle in ((unit, folded), (unit, short), (head, fold(head or ""))):
        if label and needle and len(needle.split()) >= 2 and f" {needle} " in text and label not in found:
            found.append(label)
    return found


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


def notice_label(notice: register.Notice) -> str:
    vi, en = NOTICE_ABOUT[notice.about]
    to_vi, to_en = NOTICE_TO[notice.recipient]
    if notice.about == "accepted" and notice.recipient == "denounced":
        vi, en = "Thông báo nội dung tố cáo", "notice of the content"
    return f"{vi} cho {to_vi} / {en} to {to_en}"


def current_deadline(case: register.Case, settings: Settings) -> Due | None:
    """The deadline of the case's own progress: its step's, or Điều 30 on the tố cáo track."""
    found = [d for d in deadlines(case, settings) if d.what in (case.status, "resolve")]
    return min(found, key=lambda d: d.due_on) if found else None


# --- transitions ------------------------------------------------------------------------------

# action -> (statuses it may start from, the status it leads to or None to stay)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None]] = {
    # Classified once; a classification is corrected only with ``again`` (see _starts).
    "classify": (("received",), "classified"),
    "assign": (("classified", "handling"), "handling"),
    "forward": (("classified", "forwarded"), "forwarded"),
    "follow": (("handling", "forwarded", "following"), "following"),
    "conclude": (("handling", "following"), "concluded"),
    "reject": (("received", "classified"), "rejected"),
    "extend": (("handling",), None),
    # New information on a closed case: it starts again from classification; the audit
    # trail keeps the earlier result.
    "reopen": (("concluded", "rejected"), "received"),
    # Decisions on a named denunciation; the status (the Board's plan) does not change.
    "accept": (("classified", "handling"), None),
    "decline": (("received", "classified", "handling"), None),
}


def _starts(case: register.Case, action: str, values: dict[str, Any]) -> tuple[str, ...]:
    starts, _ = TRANSITIONS[action]
    if action == "classify" and values.get("again"):
        return ("classified",)
    if action == "extend" and case.track == "denunciation":
        return ("classified", "handling", "following")  # Điều 30 runs from acceptance, whatever the step
    return starts


# What a denunciation must give of its author before it is accepted (Luật Tố cáo Điều 23, 25): field -> (vi, en).
REPORTER_NAMES = {"name": ("họ tên", "name"), "address": ("địa chỉ", "address")}


def refusal(case: register.Case, action: str, values: dict[str, Any] | None = None) -> str | None:
    """Why ``action`` cannot be taken on the case now, before anything is asked (None: it can)."""
    try:
        _check(case, action, values or {})
    except WorkflowError as exc:
        return str(exc)
    return None


def _check(case: register.Case, action: str, values: dict[str, Any]) -> str | None:
    _, target = TRANSITIONS[action]
    if case.status not in _starts(case, action, values):
        hint = next_step(case)
        if action == "classify" and case.status == "classified":
            hint = (
                f'office classify {case.number} --again --competence ... --note "lý do / why" '
                "(phân loại lại / correct the classification)"
            )
        raise WorkflowError(
            f"hồ sơ {case.number} đang ở bước '{status_label(case.status)}', chưa thể '{action}' / case "
            f"{case.number} is '{status_label(case.status, 'en')}': '{action}' is not possible now. "
            f"Tiếp theo / next: {hint}"
        )
    if case.track == "denunciation" and action in ("reject", "decline", "classify"):
        raise WorkflowError(
            f"hồ sơ {case.number} là tố cáo đã thụ lý ngày {local_time(case.accepted_at)[:10]}: kết thúc bằng kết "
            f"luận nội dung tố cáo, không dùng '{action}': office conclude {case.number} --result '...' / "
            f"case {case.number} is an accepted denunciation: it is concluded with office conclude, not '{action}'"
        )
    if action in ("accept", "decline") and case.anonymous:
        raise WorkflowError(
            f"hồ sơ {case.number} là phản ánh ẩn danh: không có họ tên, địa chỉ người tố cáo thì không được xử lý "
            "theo thủ tục tố cáo (Luật Tố cáo 2018 Điều 25); xử lý hồ sơ như phản ánh, kiến nghị (office assign, "
            f"office forward hoặc office reject) / case {case.number} is anonymous: without the denouncer's name "
            "and address it is not handled as a denunciation; handle it as a report"
        )
    if action == "accept" and values.get("reporter_missing"):
        missing = values["reporter_missing"]
        vi = ", ".join(REPORTER_NAMES[name][0] for name in missing)
        en = " and ".join(REPORTER_NAMES[name][1] for name in missing)
        raise WorkflowError(
            f"hồ sơ {case.number}: phản ánh không ghi {vi} của người tố cáo; tố cáo phải nêu rõ họ tên, địa chỉ "
            "(Luật Tố cáo, Điều 23, 25): bổ sung khi người tố cáo đến trình bày, hoặc xử lý như phản ánh / the "
            f"report does not give the denouncer's {en}: a denunciation names them"
        )
    if action == "accept":
        if case.track == "denunciation":
            raise WorkflowError(
                f"hồ sơ {case.number} đã thụ lý ngày {local_time(case.accepted_at)[:10]} (quyết định "
                f"{case.acceptance_ref}); không ghi nhận thụ lý lần hai / case {case.number} was already accepted"
            )
        if case.competence != "within":
            raise WorkflowError(
                f"hồ sơ {case.number} được phân loại không thuộc thẩm quyền của Ban: tố cáo ngoài thẩm quyền được "
                f'chuyển, không thụ lý: office forward {case.number} --to "..." --denunciation / case '
                f"{case.number} is outside the Board's competence: a denunciation the Board cannot resolve is "
                "transferred, not accepted"
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

    ``values`` are the action's own: competence, category and again (classify), unit
    and head (assign), authority and denunciation (forward), note (follow), result
    (conclude), reason (reject, extend, reopen, decline), decision (accept, decline,
    extend, forward: the reference of the written decision), conditions (accept: the
    conditions the clerk confirmed). ``at`` is when the step really happened, for a
    step recorded after the fact (the audit entry keeps the time of recording).
    """
    with register.transaction(db):
        case = register.case_by_id(db, case.id)  # re-read inside the transaction
        target = _check(case, action, values)
        now = at or now_iso()
        if now > now_iso():
            raise WorkflowError("ngày thực hiện ở tương lai / the date of a step cannot be in the future")
        # A decision that does not move the case is dated from its arrival; a step from the current one.
        earliest = case.received_at if action in ("accept", "decline") else case.step_started_at
        if now < earliest:
            raise WorkflowError(
                f"hồ sơ {case.number}: bước này không thể trước bước hiện tại ({local_time(earliest)}) / "
                "the step cannot happen before the current one began"
            )
        fields: dict[str, Any] = {}
        history: dict[str, Any] = {}  # what the step history and the audit trail keep beside the case's columns
        notices: list[tuple[str, str]] = []  # (about, recipient) owed from now on
        decision = (values.get("decision") or "").strip() or None
        if action == "classify":
            fields["competence"] = values["competence"]
            if values.get("category"):
                fields["category"] = values["category"]
            if (values.get("category") or case.category) == "retaliation" and "retaliation" not in case.flag_set:
                # Retaliation against a reporter: the leaders are told, protection is considered (task 5).
                fields.update(flags=",".join(sorted(case.flag_set | {"retaliation"})), leaders_informed_at=None)
        elif action == "assign":
            if case.competence != "within":
                raise WorkflowError(
                    f"hồ sơ {case.number} không thuộc thẩm quyền của Ban / is outside the Board's competence: "
                    f'office forward {case.number} --to "...", hoặc sửa phân loại / or correct the classification: '
                    f'office classify {case.number} --again --competence within --note "..."'
                )
            named = list(values.get("named") or ())
            if named and not (values.get("named_reason") or "").strip():
                raise NamedInCase(
                    f"phản ánh nêu tên {', '.join(named)}: giao cho chính đơn vị, người bị phản ánh có thể làm lộ "
                    'người phản ánh; nêu lý do vẫn giao (--named-reason "...", ghi vào nhật ký) hoặc chọn đơn vị khác '
                    "/ the report names "
                    f"{', '.join(named)}: handing it to them may expose the reporter; give the reason to assign it "
                    "anyway (audited), or choose another unit",
                    named,
                )
            if named:
                history.update(named_in_case=named, named_reason=values["named_reason"].strip())
            fields.update(unit=values["unit"], unit_head=values.get("head"))
            if case.assigned_at is None:
                fields["assigned_at"] = now
        elif action == "forward":
            if case.competence != "outside":
                raise WorkflowError(
                    f"hồ sơ {case.number} thuộc thẩm quyền của Ban / is within the Board's competence: "
                    f'office assign {case.number} --unit "...", hoặc sửa phân loại / or correct the classification: '
                    f'office classify {case.number} --again --competence outside --note "..."'
                )
            if values.get("denunciation"):
                if case.anonymous:
                    raise WorkflowError(
                        f"hồ sơ {case.number} là phản ánh ẩn danh, không phải tố cáo (Luật Tố cáo 2018 Điều 25): "
                        f"chuyển như phản ánh, bỏ --denunciation / case {case.number} is anonymous: it is forwarded "
                        "as a report, without --denunciation"
                    )
                notices.append(("transferred", "denouncer"))
            fields.update(forwarded_to=values["authority"], forwarded_at=now)
        elif action == "conclude":
            fields.update(outcome=values["result"], closed_at=now)
            if case.track == "denunciation":  # the kết luận is notified to the denouncer and sent to the denounced
                notices += [("concluded", "denouncer"), ("concluded", "denounced")]
        elif action == "follow" and values.get("result_received"):
            if not (case.forwarded_to and case.status in ("forwarded", "following")):
                raise WorkflowError(
                    f"hồ sơ {case.number} không chuyển cơ quan khác: kết quả do đơn vị của Ban báo cáo, không dùng "
                    f"--result-received / case {case.number} was not forwarded: --result-received is for the result "
                    "of the authority a case was forwarded to"
                )
            history["result_received_at"] = now
        elif action == "reject":
            fields.update(outcome=values["reason"], closed_at=now)
        elif action == "reopen":
            fields.update(closed_at=None, competence=None)
            if case.track == "denunciation":  # new information is a new decision; the trail keeps the old one
                fields.update(track="report", accepted_at=None, acceptance_ref=None, extensions=0)
        elif action == "extend":
            step = settings.denunciation if case.track == "denunciation" else settings.deadlines["handling"]
            if case.extensions >= step.max_extensions:
                key = "denunciation" if case.track == "denunciation" else "handling"
                raise WorkflowError(
                    f"hồ sơ {case.number} đã gia hạn {case.extensions} lần, tối đa theo cài đặt / was already "
                    f"extended the most the settings allow (deadlines.{key}.max_extensions = {step.max_extensions})"
                )
            fields["extensions"] = case.extensions + 1
            fields["flags"] = ",".join(sorted(case.flag_set | {"complex"}))
            if "complex" not in case.flag_set:
                fields["leaders_informed_at"] = None  # newly complex: the leaders must be told
            if case.track == "denunciation":
                notices += [("extended", "denouncer"), ("extended", "denounced")]
        elif action == "accept":
            if not decision:
                raise WorkflowError(
                    'ghi số quyết định thụ lý: --decision "..." / give the reference of the acceptance decision'
                )
            fields.update(track="denunciation", accepted_at=now, acceptance_ref=decision, extensions=0)
            notices += [("accepted", "denouncer"), ("accepted", "denounced")]
        elif action == "decline":
            notices.append(("not-accepted", "denouncer"))
        if target and target != case.status:
            # Late: the step ended after its deadline; a denunciation concluded after its Điều 30 limit.
            ends = (case.status, "resolve") if target == "concluded" else (case.status,)
            if any(d.what in ends and d.due_on < local_date(now) for d in deadlines(case, settings)):
                fields["was_late"] = 1
            fields.update(status=target, status_changed_at=now)
        if fields:
            register.update_case(db, case.id, **fields)
        if fields or history:
            steps.record_change(db, case.id, action=action, before=case.status, fields={**fields, **history}, at=now)
        for about, recipient in notices:
            register.add_notice(
                db,
                case.id,
                about=about,
                recipient=recipient,
                decided_at=now,
                decision_ref=decision,
                reason=values.get("reason") if about == "not-accepted" else None,
            )
        details = {"action": action, **fields, **history, **({"effective": now} if at else {})}
        if action == "follow":
            details["note"] = values["note"]
        if action == "classify" and values.get("again"):
            details["again"] = True
        if action in ("decline", "forward", "extend", "conclude") and decision:
            details["decision"] = decision
        if action == "accept":
            details["conditions_confirmed"] = list(values.get("conditions") or ())
        if notices:
            details["notices_owed"] = [f"{about}:{recipient}" for about, recipient in notices]
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
        if leaders_informed and not flags:
            raise WorkflowError(
                f"hồ sơ {case.number} chưa có dấu nào để báo cáo Lãnh đạo Ban: đánh dấu và ghi nhận cùng lúc, ví dụ "
                f"office flag {case.number} --set complex --leaders-informed / case {case.number} has no flag to "
                "report: set one and record the report together"
            )
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


class NamedInCase(WorkflowError):
    """``assign`` to a unit or person the report names, without a reason; ``named`` lists who was found."""

    def __init__(self, message: str, named: list[str]) -> None:
        super().__init__(message)
        self.named = named


class NoticeChoice(WorkflowError):
    """``notify`` cannot tell which notice was given; the message lists the owed ones."""


def record_notice(
    db: sqlite3.Connection,
    case: register.Case,
    *,
    how: str,
    who: str,
    to: str | None = None,
    about: str | None = None,
    at: str | None = None,
) -> tuple[register.Case, str]:
    """Record that someone was told, ``at`` or now, as a record of its own; return the case and what was recorded.

    ``to``: "reporter" (a phản ánh's reporter: how it is handled, its result, or another notice:
    each a new record; the first one given is the Board's notice) or "denouncer" / "denounced" (a
    notice the law asks for, owed since a decision: the oldest such one, or the one ``about``
    names). Without ``to``: the reporter, unless the case owes a notice to a denouncer or a person
    denounced, which must then be named. A notice already given is never changed.
    """
    when = _past_moment(at)
    with register.transaction(db):
        case = register.case_by_id(db, case.id)
        notices = register.notices_of(db, case.id)
        owed = [n for n in notices if n.given_at is None]
        if to is None:
            if owed:
                raise NoticeChoice(
                    f"hồ sơ {case.number} còn thông báo phải gửi theo Luật Tố cáo; nêu thông báo nào đã gửi / "
                    "the case owes notices under the Law on Denunciations; say which one was given: "
                    + "; ".join(f"{notice_label(n)}: --to {n.recipient} --about {n.about}" for n in owed)
                )
            to = "reporter"
        if to == "reporter":
            about = about or reporter_notice_about(case, notices)
            if about not in register.notices.TO_REPORTER:
                raise WorkflowError(
                    f"thông báo cho người phản ánh là một trong / a notice to a reporter is one of: "
                    f"{', '.join(register.notices.TO_REPORTER)}"
                )
            if case.anonymous:
                raise WorkflowError(
                    f"hồ sơ {case.number} là phản ánh ẩn danh: không có người phản ánh để thông báo; trả lời qua mã "
                    f"tra cứu: office reply {case.number} / case {case.number} is anonymous: there is no one to "
                    "notify; answer through the receipt code"
                )
            register.add_given(
                db, case.id, about=about, recipient="reporter", at=when, how=how, by=who, recorded_at=now_iso()
            )
            if not case.notified_at or when < case.notified_at:
                register.update_case(db, case.id, notified_at=when)  # the first notice: the Board's own
            details: dict[str, Any] = {"action": "notify", "to": "reporter", "about": about}
            said = notice_label(register.Notice(0, case.id, about, "reporter", when, None, None, when, how))
        else:
            matching = [n for n in owed if n.recipient == to and (about is None or n.about == about)]
            if not matching:
                which = f" ({about})" if about else ""
                raise WorkflowError(
                    f"hồ sơ {case.number} không có thông báo nào phải gửi cho {NOTICE_TO[to][0]}{which}; xem "
                    f"office show {case.number} / case {case.number} owes no notice to {NOTICE_TO[to][1]}{which}"
                )
            notice = matching[0]
            if when < notice.decided_at:
                raise WorkflowError(
                    "ngày thông báo không thể trước ngày ra quyết định / a notice cannot be given before its decision"
                )
            register.give_notice(db, notice.id, at=when, how=how, by=who)
            if to == "denouncer" and not case.notified_at:
                register.update_case(db, case.id, notified_at=when)  # the reporter has been told, too
            details = {"action": "notify", "to": to, "about": notice.about}
            said = notice_label(notice)
        if at:
            details["effective"] = when
        audit.append(db, "reply", who=who, reason=how, case_number=case.number, details=details)
        return register.case_by_id(db, case.id), said


def reporter_notice_about(case: register.Case, notices: Sequence[register.Notice]) -> str:
    """What a notice to a reporter is about when the clerk does not say: the Board's notice first, then the
    result of a closed case, else another notice."""
    if register.notices.first_to_reporter(notices) is None:
        return "handling"
    return "result" if case.status in ("concluded", "rejected") else "other"


def _past_moment(at: str | None) -> str:
    """``at`` (a step recorded after the fact) or now; never in the future."""
    now = now_iso()
    if at and at > now:
        raise WorkflowError("ngày thực hiện ở tương lai / the date of a step cannot be in the future")
    return at or now


def needs_leaders(case: register.Case) -> bool:
    """Flagged, still open, and the leaders not yet told (the plan: report such cases to them)."""
    return bool(case.flag_set) and case.leaders_informed_at is None and case.status in OPEN_STATUSES
