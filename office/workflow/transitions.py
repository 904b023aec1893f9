"""The workflow's transitions: which action may start from which status, what each one changes, and the
audit entry that records it in the same transaction; flags, and the record that someone was told.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from .. import register
from ..register import audit, steps
from .clock import local_date, local_time, now_iso
from .settings import Settings
from .time_limits import deadlines
from .vocabulary import FLAGS, NOTICE_TO, OPEN_STATUSES, next_step, notice_label, status_label


class WorkflowError(ValueError):
    """A step that the workflow does not allow from the case's status; the message says what to do."""


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
    if action == "assign" and case.competence != "within":
        raise WorkflowError(
            f"hồ sơ {case.number} không thuộc thẩm quyền của Ban / is outside the Board's competence: "
            f'office forward {case.number} --to "...", hoặc sửa phân loại / or correct the classification: '
            f'office classify {case.number} --again --competence within --note "..."'
        )
    if action == "forward" and case.competence != "outside":
        raise WorkflowError(
            f"hồ sơ {case.number} thuộc thẩm quyền của Ban / is within the Board's competence: "
            f'office assign {case.number} --unit "...", hoặc sửa phân loại / or correct the classification: '
            f'office classify {case.number} --again --competence outside --note "..."'
        )
    return target


def possible(case: register.Case, action: str, **values: Any) -> bool:
    """Whether the workflow allows ``action`` on the case as it is (the window offers only these)."""
    try:
        _check(case, action, values)
    except WorkflowError:
        return False
    return True


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
