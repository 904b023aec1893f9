"""Making the register, once and on purpose; binding it to its store; writing and reading the settings.

No other operation makes a register: every other one refuses a folder without one
(``operation.open_desk_at``). So a command run in the wrong folder says so instead
of starting a second register that numbers from 0001 and empties the store (see
``identity`` for the store's marker).
"""

from __future__ import annotations

from pathlib import Path

from intake_function import envelope
from intake_function.store import Store, StoreError

from .. import layout, register
from ..keys.recipients import (
    RecipientsError,
    change,
    names_in,
    note_names,
    one_key_warning,
    read_recipients,
    stored_recipients,
)
from ..operation import DeskError, Done, locked, open_desk_at, settings_of
from ..reports.half_year import describe_periods
from ..workflow import settings as settings_module
from ..workflow.clock import today
from . import audit, identity
from . import desk as desk_module
from .desk import Desk


def make_register(
    data: Path,
    recipients: str | None,
    remote: Store | None,
    *,
    who: str,
    identities: list[envelope.Identity] = (),
) -> Done:
    """A new register at ``data`` with the Office's keys, bound to ``remote`` if given; nothing made on refusal.

    ``Done.value`` is the opened desk.
    """
    if not recipients:
        raise DeskError(
            "lập sổ cần khóa công khai của Văn phòng Ban, khóa chính và khóa dự phòng (như INTAKE_RECIPIENTS của "
            "cổng): --recipients office-recipients.txt hoặc biến OFFICE_RECIPIENTS / a new register needs the "
            "Office's public keys, primary and backup (as the portal's INTAKE_RECIPIENTS): --recipients or "
            "OFFICE_RECIPIENTS"
        )
    try:
        keys = read_recipients(recipients)
    except RecipientsError as exc:
        raise DeskError(str(exc)) from None
    strangers = [str(i.to_public()) for i in identities if str(i.to_public()) not in keys]
    if strangers:
        raise DeskError(
            f"tệp khóa ({envelope.fingerprint(strangers[0])}) không thuộc các khóa đã khai báo: có thể dùng nhầm tệp "
            "khóa hoặc tệp khóa công khai; chưa lập sổ / the identity file is not one of the public keys given: the "
            "key file may be the wrong one; no register was made"
        )
    if remote is not None:
        try:
            marker = identity.read_marker(remote)
        except identity.StoreOfAnotherRegister as exc:
            raise DeskError(str(exc)) from None
        if marker is not None:
            raise DeskError(
                f"kho {remote.url} đã cấp phản ánh cho sổ lập tại {marker.where()}; không lập sổ thứ hai: dùng thư "
                f"mục đó (OFFICE_DATA) / the store already feeds the register made at {marker.where()}; a second "
                "register is not made: use that folder (OFFICE_DATA)"
            )
    desk = desk_module.create_desk(data)
    with register.transaction(desk.db):
        change(desk.db, replace=keys)
        names = names_in(recipients)
        note_names(desk.db, names)
        audit.append(
            desk.db,
            "init",
            who=who,
            reason="lập sổ theo dõi",
            details={"register": identity.register_id(desk.db), "recipients": [envelope.fingerprint(k) for k in keys]},
        )
    done = Done(value=desk).say(f"Đã lập sổ theo dõi / register made: {desk.root}")
    done.say(
        *(f"  khóa / key {envelope.fingerprint(key)}" + (f" ({names[key]})" if key in names else "") for key in keys)
    )
    if warning := one_key_warning(keys):
        done.say(warning)
    if remote is not None:
        done.say(*bind(desk, remote, who=who))
    return done


def bind(desk: Desk, remote: Store, *, who: str) -> list[str]:
    """Mark ``remote`` as the store that feeds this register (refused if it feeds another)."""
    try:
        with locked(desk):
            identity.check_store(desk.db, desk.root, remote, claim=True, who=who)
    except (identity.StoreOfAnotherRegister, identity.UnboundStore) as exc:
        raise DeskError(str(exc)) from None
    except StoreError as exc:
        raise DeskError(f"{exc}. Chưa gắn kho; chạy lại sau / the store is not bound yet; run again later.") from None
    return [f"Kho / store {remote.url}: gắn với sổ này / bound to this register"]


def init(data: Path, recipients: str | None, remote: Store | None, *, who: str) -> Done:
    """``office init``: make the register; on an existing one, only bind the store given."""
    if not desk_module.exists(data):
        return make_register(data, recipients, remote, who=who).next("office settings --init, rồi / then office pull")
    desk = open_desk_at(data)
    done = Done(value=desk)
    try:
        given = sorted(read_recipients(recipients)) if recipients else None
    except RecipientsError as exc:
        raise DeskError(str(exc)) from None
    if given is not None and given != sorted(stored_recipients(desk.db)):
        done.say(
            "Khóa của sổ không đổi: thay khóa bằng office recipients / the register's keys are unchanged: "
            "change them with office recipients"
        )
    if remote is not None:
        done.say(*bind(desk, remote, who=who))
    return done.say(f"Đã có sổ theo dõi / a register is already here: {desk.root}")


# --- the settings ---------------------------------------------------------------------------------------------


def write_settings(desk: Desk, *, who: str) -> Done:
    """Write settings.toml with the documented defaults; never over the Office's edits."""
    try:
        path = settings_module.write_defaults(desk.root)
    except settings_module.SettingsError as exc:
        raise DeskError(str(exc)) from None
    audit.record(desk.db, "settings", who=who, reason="tạo tệp cài đặt mặc định")
    return Done(value=path).say(f"Đã tạo / written: {path}").next(f"sửa tệp / edit {path}, rồi / then: office settings")


def describe_settings(desk: Desk) -> list[str]:
    """The settings in force, as ``office settings`` prints them: deadlines with their basis, periods, units."""
    s = settings_of(desk)
    lines = [
        f"Tệp / file: {s.path or '(mặc định, chưa có tệp / defaults, no file: office settings --init)'}",
        f"Sắp đến hạn / due soon: {s.due_soon_days} ngày / days",
        "Phản ánh, kiến nghị (thời hạn do Ban chọn) / reports (the Board's deadlines):",
    ]
    tracks = [
        *s.deadlines.items(),
        ("report_notice", s.report_notice),
        ("Tố cáo đã thụ lý, từ ngày thụ lý / accepted denunciations, from acceptance:", None),
        ("denunciation", s.denunciation),
        ("notify", s.notify),
        ("notices", s.notices),
    ]
    for step, d in tracks:
        if d is None:
            lines.append(step)
            continue
        kind = "ngày làm việc / working days" if d.kind == "working" else "ngày / calendar days"
        lines.append(f"[{step}] {d.label}: {d.days} {kind}" + ("" if d.enabled else " (tắt / off)"))
        lines.append(f"    căn cứ / basis: {d.basis}")
    if s.outdated:
        lines.append(
            "Lưu ý / note: tệp cài đặt còn giữ giá trị mặc định của phiên bản trước (tính thời hạn Luật Tố cáo từ "
            "khi giao đơn vị); đang dùng giá trị mặc định mới / the file holds a previous release's defaults, "
            f"today's are used instead: {', '.join(s.outdated)}. Xóa các dòng đó khỏi tệp / delete those lines."
        )
    lines.append(describe_periods(s.periods))
    lines.append(f"Ngày nghỉ / holidays: {len(s.holidays)}")
    lines += document_header(s.report)
    lines.append("Đơn vị và người đứng đầu / units and their heads ([units]):")
    lines += [f"    {unit}: {head}" for unit, head in s.units.items()] or ["    - (chưa có / none yet)"]
    return lines


def document_header(report: dict) -> list[str]:
    """The header, numbers and signer every document of the Board carries (settings [report]), as they will read."""
    dated = layout.undated_line(report["place"], today().year)
    head = layout.header_layout(report["superior_body"], report["issuing_body"], report["number"], dated)
    signature = layout.signature_of(report)
    return [
        "Phần đầu văn bản của Ban / the Board's document header ([report]):",
        *(f"    {line}" for line in (*head.superior, *head.issuing)),
        f"    Báo cáo / report: {report['number']}",
        f"    Thông báo / notices: {layout.number_for(report, 'notice')}",
        f"    Hồ sơ chuyển / exports: {layout.number_for(report, 'transfer')}",
        f"    {dated}",
        f"    Người ký / signer: {' / '.join(signature.lines) or '-'}: {signature.signer}",
        f"    Nơi nhận / recipients: {' '.join(signature.recipients)}",
    ]
