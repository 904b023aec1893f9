"""The workflow's actions on a case, as the Office takes them: classify, assign, forward, follow, conclude,
reject, reopen, extend, accept or decline a denunciation, flag, and record that someone was told.

Each action checks what the command checked, moves the case through ``workflow.transition``
(which records it in the audit trail), and returns what the Office reads after it: the new
status, the deadlines now running, the leaders to report to, the notices owed and the next
step (``changed``). Each one's inputs are declared once (the tuples of ``Field`` below): the
commands build their options from them, the window its forms.
"""

from __future__ import annotations

from collections.abc import Sequence

from intake_function import report

from .. import register, workflow
from ..operation import (
    CHOICE,
    DATE,
    FLAG,
    LONG_TEXT,
    DeskError,
    Done,
    Field,
    Unlock,
    decrypt_case,
    find_case,
    settings_of,
    when,
)
from ..register import units
from ..register.desk import Desk
from ..workflow.clock import local_time, vn_date

NOTE = Field("note", "Ghi chú", "why", kind=LONG_TEXT, default="")
ON = Field(
    "on",
    "Ngày thực hiện nếu không phải hôm nay",
    "when it happened, if not now",
    kind=DATE,
    hint="(dd/mm/yyyy [hh:mm])",
)
CATEGORIES = {code: (labels["vi"], labels["en"]) for code, labels in report.categories().items()}

CLASSIFY = (
    Field(
        "competence", "Thẩm quyền", "competence", kind=CHOICE, choices=workflow.COMPETENCE, required=True, spell=True
    ),
    Field("category", "Sửa loại nội dung", "correct the category", kind=CHOICE, choices=CATEGORIES),
    Field(
        "again",
        "Phân loại lại hồ sơ đã phân loại, trước khi giao hay chuyển (cần --note)",
        "correct the classification of a classified case, before it is assigned or forwarded (needs --note)",
        kind=FLAG,
    ),
    NOTE,
    ON,
)
NAMED_REASON = Field(
    "named_reason",
    "Lý do vẫn giao khi phản ánh nêu tên chính đơn vị hoặc người đứng đầu đó (ghi vào nhật ký)",
    "why the case goes to a unit or head the report names (audited)",
    kind=LONG_TEXT,
)
ASSIGN = (
    Field("unit", "Phòng, đơn vị xử lý", "the unit that handles it", required=True),
    Field("head", "Người đứng đầu đơn vị (chịu trách nhiệm)", "its head, responsible under the plan"),
    NOTE,
    NAMED_REASON,
    ON,
)
FORWARD = (
    Field("authority", "Cơ quan có thẩm quyền", "the competent authority", required=True, option="--to"),
    Field("note", "Ghi chú, số văn bản chuyển", "note, reference of the letter", kind=LONG_TEXT, default=""),
    Field(
        "denunciation",
        "Chuyển một tố cáo có danh tính (người tố cáo được thông báo)",
        "a named denunciation is transferred (the denouncer is to be told)",
        kind=FLAG,
    ),
    Field("decision", "Số văn bản chuyển tố cáo", "reference of the transfer letter"),
    ON,
)
FOLLOW = (
    Field("note", "Kết quả đã biết, đôn đốc...", "what is known of the result", kind=LONG_TEXT, required=True),
    Field(
        "result_received",
        "Hồ sơ đã chuyển: đã nhận kết quả của cơ quan được chuyển (từ đó tính hạn kết thúc hồ sơ)",
        "a forwarded case: the authority's result arrived (the Office's deadline to close it runs from then)",
        kind=FLAG,
    ),
    ON,
)
CONCLUDE = (
    Field("result", "Kết quả, kết luận", "the result", kind=LONG_TEXT, required=True),
    Field("decision", "Số kết luận nội dung tố cáo (tố cáo đã thụ lý)", "the conclusion's reference"),
    ON,
)
REJECT = (Field("reason", "Lý do không xem xét, xử lý", "why it is not taken up", kind=LONG_TEXT, required=True), ON)
REOPEN = (
    Field("reason", "Lý do mở lại (thông tin mới...)", "why (new information...)", kind=LONG_TEXT, required=True),
    ON,
)
EXTEND = (
    Field("reason", "Lý do gia hạn (vụ việc phức tạp)", "why (a complex case)", kind=LONG_TEXT, required=True),
    Field("decision", "Số quyết định gia hạn (tố cáo)", "reference of the extension decision"),
    ON,
)
CONDITIONS = {str(n): condition for n, condition in enumerate(workflow.ACCEPTANCE_CONDITIONS, start=1)}
ACCEPT = (
    Field("decision", "Số quyết định thụ lý", "the thụ lý decision's reference", required=True),
    # The window asks for each condition; the command asks for them one by one, or takes --conditions-met.
    Field(
        "conditions",
        "Các điều kiện thụ lý đã kiểm tra",
        "the conditions checked",
        kind=CHOICE,
        choices=CONDITIONS,
        multiple=True,
    ),
    NOTE,
    Field("on", "Ngày ra quyết định thụ lý", "the decision's date", kind=DATE, hint="(dd/mm/yyyy; mặc định: hôm nay)"),
)
CONDITIONS_MET = Field(
    "conditions_met",
    "Xác nhận đã kiểm tra đủ các điều kiện thụ lý (không hỏi lại)",
    "confirm the conditions were checked",
    kind=FLAG,
)
DECLINE = (
    Field(
        "reason",
        "Lý do không thụ lý, viết để thông báo cho người tố cáo",
        "why, in words for the denouncer",
        kind=LONG_TEXT,
        required=True,
    ),
    Field("decision", "Số văn bản (nếu có)", "reference of the written decision, if any"),
    ON,
)
FLAG_FIELDS = (
    Field("add", "Đánh dấu", "set", kind=CHOICE, choices=workflow.FLAGS, multiple=True, option="--set", spell=True),
    Field("remove", "Bỏ dấu", "clear", kind=CHOICE, choices=workflow.FLAGS, multiple=True, option="--clear"),
    Field("leaders_informed", "Đã báo cáo Lãnh đạo Ban", "the Board's leaders were told", kind=FLAG),
    NOTE,
    ON,
)
NOTIFY = (
    Field("how", "Đã thông báo thế nào", "how the reporter was told (gọi điện, thư...)", required=True),
    Field("to", "Người được thông báo", "who was told", kind=CHOICE, choices=workflow.NOTICE_TO, spell=True),
    Field(
        "about",
        "Thông báo về việc gì (khi có nhiều thông báo chờ gửi)",
        "which notice, when several are owed",
        kind=CHOICE,
        choices=workflow.NOTICE_ABOUT,
    ),
    ON,
)


# --- what the Office reads after an action -------------------------------------------------------------


def changed(desk: Desk, case: register.Case, done: Done | None = None) -> Done:
    """The case's status, its deadlines, the leaders and the notices it waits for, and the next step."""
    done = done or Done()
    done.case = case
    done.say(f"{case.number}: {workflow.bilingual(workflow.STATUSES, case.status)}")
    if case.track == "denunciation":
        done.say(
            f"  Tố cáo đã thụ lý ngày {local_time(case.accepted_at)[:10]}, quyết định {case.acceptance_ref} / "
            "accepted denunciation"
        )
    settings = settings_of(desk)
    owed = [n for n in register.notices_of(desk.db, case.id) if n.given_at is None]
    found = workflow.deadlines(case, settings, owed)
    for due in found:
        done.say(f"  Hạn / deadline: {due.label}: {vn_date(due.due_on)}")
    # The legal basis of the statutory ones, each said once (desk trial 2, M11: it drowned the useful line).
    for basis in dict.fromkeys(due.basis for due in found if due.statutory):
        done.say(f"    căn cứ / basis: {basis}")
    if workflow.needs_leaders(case):
        done.say(
            "  Cần báo cáo Lãnh đạo Ban (vụ việc được đánh dấu) / report this case to the Board's leaders, then: "
            f"office flag {case.number} --leaders-informed"
        )
    for notice in owed:
        done.say(
            f"  Khi đã thông báo / once told: office notify {case.number} --to {notice.recipient} --about "
            f'{notice.about} --how "..."'
        )
    return done.next(workflow.next_step(case))


def _apply(desk: Desk, reference: str, action: str, who: str, why: str, on: str | None, **values) -> Done:
    case = find_case(desk, reference)
    try:
        at = when(on)
        case = workflow.transition(desk.db, case, action, settings_of(desk), who=who, why=why, at=at, **values)
    except workflow.WorkflowError as exc:
        raise DeskError(str(exc)) from None
    return changed(desk, case)


# --- the actions --------------------------------------------------------------------------------------------


def classify(
    desk: Desk,
    reference: str,
    *,
    competence: str,
    category: str | None = None,
    again: bool = False,
    note: str = "",
    on: str | None = None,
    who: str,
) -> Done:
    """Within the Board's competence or not; once, or again with a reason before the case moves on."""
    if again and not note.strip():
        raise DeskError('phải nêu lý do phân loại lại: --note "..." / say why the classification changes: --note "..."')
    why = note or "phân loại"
    return _apply(desk, reference, "classify", who, why, on, competence=competence, category=category, again=again)


def known_units(desk: Desk) -> list[str]:
    """The units the Office assigns cases to: settings.toml [units], and every unit already in the register."""
    return sorted(units.known(desk.db, settings_of(desk).units, activities_too=False))


def head_of(desk: Desk, unit: str) -> str | None:
    """The head of a unit under settings.toml [units]."""
    return settings_of(desk).units.get(unit)


UNCHECKED_NAMES = (
    "Lưu ý / note: chưa có tệp khóa (OFFICE_IDENTITY): không kiểm tra được phản ánh có nêu tên đơn vị này không / no "
    "identity file: whether the report names this unit was not checked"
)


def assign(
    desk: Desk,
    reference: str,
    unlock: Unlock | None = None,
    *,
    unit: str,
    head: str | None = None,
    note: str = "",
    named_reason: str | None = None,
    on: str | None = None,
    who: str,
) -> Done:
    """Give a case within the Board's competence to a unit; a name close to a known unit's is taken for a typo.

    With ``unlock`` the report is read: if it names that unit or its head (``workflow.named_in``), handing it to
    them may expose the reporter (desk trial 2, M3), and the assignment needs ``named_reason``, audited; refused
    without it (``DeskError.field`` is "named_reason": the command asks, the window shows the input). Without
    ``unlock`` (no key file) the check is not made, and the lines say so.
    """
    known = set(known_units(desk))
    if unit not in known and (near := workflow.similar_units(unit, known)):
        raise DeskError(
            f"chưa có đơn vị {unit!r}; ý bạn là {' hoặc '.join(repr(n) for n in near)}? Đơn vị mới thì thêm vào "
            f"mục [units] của settings.toml / no unit {unit!r} yet; did you mean {' or '.join(repr(n) for n in near)}? "
            "A new unit goes under [units] in settings.toml first"
        )
    head = head or head_of(desk, unit)
    if not head:
        raise DeskError(
            f'chưa rõ người đứng đầu {unit!r}: dùng --head "Họ và tên", hoặc thêm vào mục [units] của settings.toml / '
            f'who heads {unit!r}? give --head "Full name", or add it under [units] in settings.toml'
        )
    case = find_case(desk, reference)
    done = Done()
    named: list[str] = []
    if refused := workflow.refusal(case, "assign"):
        raise DeskError(refused)  # before the passphrase is asked
    if unlock is None:
        done.say(UNCHECKED_NAMES)
    else:
        named = workflow.named_in(report.parse(decrypt_case(desk, case, unlock())), unit, head)
    try:
        at = when(on)
        case = workflow.transition(
            desk.db,
            case,
            "assign",
            settings_of(desk),
            who=who,
            why=note or f"giao {unit}",
            at=at,
            unit=unit,
            head=head,
            named=named,
            named_reason=named_reason,
        )
    except workflow.NamedInCase as exc:
        names = ", ".join(exc.named)
        warning = f"CẢNH BÁO / WARNING: phản ánh nêu tên {names} / the report names {names}"
        raise DeskError(str(exc), lines=[*done.lines, warning], field="named_reason") from None
    except workflow.WorkflowError as exc:
        raise DeskError(str(exc), lines=done.lines) from None
    if named:
        done.say(f"Lý do giao đơn vị được nêu tên đã ghi vào nhật ký / the reason was recorded: {', '.join(named)}")
    return changed(desk, case, done)


def forward(
    desk: Desk,
    reference: str,
    *,
    authority: str,
    note: str = "",
    denunciation: bool = False,
    decision: str | None = None,
    on: str | None = None,
    who: str,
) -> Done:
    """Send a case outside the Board's competence to the competent authority (a named denunciation: transfer)."""
    why = note or f"chuyển {authority}"
    done = _apply(
        desk, reference, "forward", who, why, on, authority=authority, denunciation=denunciation, decision=decision
    )
    return done.next(
        f"office export {done.case.number} --out FOLDER (hồ sơ không có danh tính để chuyển / package to send)"
    )


def follow(
    desk: Desk, reference: str, *, note: str, result_received: bool = False, on: str | None = None, who: str
) -> Done:
    """Record what is known of the result of a case handled or forwarded; ``result_received``: a forwarded case's
    result arrived from the authority (the time it waited on them was theirs; the Office's own step runs now)."""
    return _apply(desk, reference, "follow", who, note, on, note=note, result_received=result_received)


def conclude(
    desk: Desk, reference: str, *, result: str, decision: str | None = None, on: str | None = None, who: str
) -> Done:
    """Close a case with its result; an accepted denunciation then owes its conclusion to the denouncer and to
    the person denounced (reminded until recorded as given)."""
    done = _apply(desk, reference, "conclude", who, result, on, result=result, decision=decision)
    if done.case is not None and done.case.track == "denunciation":
        done.say(
            "  Nhắc / reminder: thông báo kết luận nội dung tố cáo cho người tố cáo và gửi kết luận cho người bị tố "
            "cáo / tell the denouncer the conclusion and send it to the person denounced. Dự thảo / draft: "
            f"office notice {done.case.number} --kind concluded --out FILE.docx (--to denounced)"
        )
    return done


def reject(desk: Desk, reference: str, *, reason: str, on: str | None = None, who: str) -> Done:
    return _apply(desk, reference, "reject", who, reason, on, reason=reason)


def reopen(desk: Desk, reference: str, *, reason: str, on: str | None = None, who: str) -> Done:
    return _apply(desk, reference, "reopen", who, reason, on)


def extend(
    desk: Desk, reference: str, *, reason: str, decision: str | None = None, on: str | None = None, who: str
) -> Done:
    return _apply(desk, reference, "extend", who, reason, on, reason=reason, decision=decision)


UNCHECKED_DENOUNCER = (
    "Lưu ý / note: chưa có tệp khóa (OFFICE_IDENTITY): không kiểm tra được phản ánh có ghi họ tên, địa chỉ người tố "
    "cáo / no identity file: the denouncer's name and address were not checked"
)


def acceptance_check(desk: Desk, reference: str, unlock: Unlock | None = None, *, decision: str = "") -> list[str]:
    """Refuse, before the conditions are asked, a case that cannot be accepted now: its step, its track, its
    competence, and (with ``unlock``) a report that does not give the denouncer's name and address (Điều 23, 25).
    Returns what the Office should know first (``acceptance_notes``, and that the names were not checked)."""
    case = find_case(desk, reference)
    if refused := workflow.refusal(case, "accept", {"decision": decision}):
        raise DeskError(refused)
    notes = []
    if unlock is None:
        notes.append(UNCHECKED_DENOUNCER)
    else:
        missing = _missing_names(desk, case, unlock)
        if missing:
            raise DeskError(workflow.refusal(case, "accept", {"reporter_missing": missing}) or "")
    return notes + acceptance_notes(desk, reference)


def _missing_names(desk: Desk, case: register.Case, unlock: Unlock) -> list[str]:
    reporter = report.parse(decrypt_case(desk, case, unlock())).get("reporter") or {}
    return [name for name in workflow.REPORTER_NAMES if not str(reporter.get(name) or "").strip()]


def acceptance_notes(desk: Desk, reference: str) -> list[str]:
    """What the Office should know before recording a thụ lý decision on this case (shown before the conditions)."""
    case = find_case(desk, reference)
    if case.channel not in ("online", "hotline", "email"):
        return []
    channel = workflow.bilingual(workflow.CHANNELS, case.channel)
    return [
        f"Lưu ý / note: phản ánh nhận qua kênh {channel} không tự nó là tố cáo theo hình thức của Điều 22-23 "
        "(đơn, hoặc trình bày trực tiếp); việc kênh này có được coi là một hình thức tố cáo hay không CHƯA được "
        "kiểm chứng. / A report received this way is not by itself a denunciation in the form the law sets."
    ]


def conditions_confirmed() -> list[str]:
    """The conditions, as the Office confirmed them all at once (``--conditions-met``)."""
    lines = ["Điều kiện thụ lý đã được xác nhận / conditions confirmed:"]
    return lines + [f"  {number}. {vi} / {en}" for number, (vi, en) in CONDITIONS.items()]


def _check_conditions(confirmed: Sequence[str | int] | None) -> list[int]:
    """All the conditions, or a refusal naming the first one not confirmed (None: no one was asked)."""
    if confirmed is None:
        raise DeskError(
            "chưa xác nhận các điều kiện thụ lý: kiểm tra từng điều kiện, rồi chạy lại với --conditions-met "
            "(hoặc chạy lệnh tại bàn phím để trả lời từng câu hỏi); chưa ghi nhận gì / the conditions for "
            "acceptance are not confirmed: check them, then run again with --conditions-met; nothing was "
            "recorded: " + "; ".join(f"{number}. {vi}" for number, (vi, _) in CONDITIONS.items())
        )
    given = {str(c) for c in confirmed}
    for number in CONDITIONS:
        if number not in given:
            raise DeskError(
                f"không đủ điều kiện thụ lý (điều kiện {number}); chưa ghi nhận gì. Ghi nhận không thụ lý bằng "
                'office decline ID --reason "...", hoặc xử lý hồ sơ như phản ánh / condition '
                f"{number} is not met: the denunciation is not accepted; record it with office decline, or handle "
                "the case as a report"
            )
    return [int(number) for number in CONDITIONS]


def accept(
    desk: Desk,
    reference: str,
    unlock: Unlock | None = None,
    *,
    decision: str,
    conditions: Sequence[str | int] | None,
    note: str = "",
    on: str | None = None,
    who: str,
) -> Done:
    """Record the thụ lý decision on a named denunciation; ``conditions`` are those the Office confirmed (all of
    ``CONDITIONS``; None when no one was asked). With ``unlock`` the report must give the denouncer's name and
    address (``acceptance_check``, which the command calls before asking the conditions)."""
    case = find_case(desk, reference)
    if refused := workflow.refusal(case, "accept", {"decision": decision}):
        raise DeskError(refused)
    missing = _missing_names(desk, case, unlock) if unlock is not None else []
    if missing:
        raise DeskError(workflow.refusal(case, "accept", {"reporter_missing": missing}) or "")
    confirmed = _check_conditions(conditions)
    why = note or f"thụ lý tố cáo, quyết định {decision}"
    done = _apply(
        desk, reference, "accept", who, why, on, decision=decision, conditions=confirmed, reporter_missing=missing
    )
    return done.say(
        "  Nhắc / reminder: thông báo thụ lý cho người tố cáo VÀ thông báo nội dung tố cáo cho người bị tố cáo "
        "trong 05 ngày làm việc (Điều 29) / tell the denouncer AND the person denounced within 05 working days. "
        f"Dự thảo / draft: office notice {done.case.number} --kind accepted --out FILE.docx"
    )


def decline(
    desk: Desk, reference: str, *, reason: str, decision: str | None = None, on: str | None = None, who: str
) -> Done:
    """Record that a named denunciation is not accepted: the denouncer is owed a notice of it."""
    done = _apply(desk, reference, "decline", who, reason, on, reason=reason, decision=decision)
    return done.say(
        f"  Dự thảo thông báo / draft the notice: office notice {done.case.number} --kind not-accepted --out FILE.docx"
    )


def flag(
    desk: Desk,
    reference: str,
    *,
    add: Sequence[str] = (),
    remove: Sequence[str] = (),
    leaders_informed: bool = False,
    note: str = "",
    on: str | None = None,
    who: str,
) -> Done:
    """Set or clear the flags the plan says to report to the leaders, or record that they were told."""
    if not (add or remove or leaders_informed):
        raise DeskError("nêu việc cần đổi / say what to change: --set FLAG, --clear FLAG or --leaders-informed")
    case = find_case(desk, reference)
    try:
        case = workflow.set_flags(
            desk.db,
            case,
            add=list(add),
            remove=list(remove),
            leaders_informed=leaders_informed,
            who=who,
            reason=note or "đánh dấu",
            at=when(on),
        )
    except workflow.WorkflowError as exc:
        raise DeskError(str(exc)) from None
    flags = ", ".join(workflow.bilingual(workflow.FLAGS, f) for f in sorted(case.flag_set)) or "-"
    return changed(desk, case, Done().say(f"{case.number}: {flags}"))


def notify(
    desk: Desk,
    reference: str,
    *,
    how: str,
    to: str | None = None,
    about: str | None = None,
    on: str | None = None,
    who: str,
) -> Done:
    """Record that the reporter, the denouncer or the person denounced was told (a notice owed, given)."""
    try:
        at = when(on)
        case, said = workflow.record_notice(
            desk.db, find_case(desk, reference), how=how, who=who, to=to, about=about, at=at
        )
    except workflow.WorkflowError as exc:
        raise DeskError(str(exc)) from None
    return changed(desk, case, Done().say(f"{case.number}: đã ghi nhận / recorded: {said}"))
