"""The actions the Office takes on a case, as both faces list them: their words, inputs and operation.

Each ``Action`` holds the help the command prints (its first line is the action's
title, Vietnamese / English), the inputs its form asks for (``Field``s of the
operation's module), whether it needs the key (the decrypted identities), when it
makes sense for a case (``available``) and how to run it from the values of a form
(``run(desk, reference, values, unlock, who) -> Done``: the values as
``operation.from_form`` gives them). The commands take their help from here
(``office/commands/``); the window walks ``ACTIONS`` (``actions_for(case)``) and
shows the same words.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .. import register, workflow
from ..export import forwarding
from ..operation import Done, Field, Unlock
from ..register import case_view, protection_records
from ..register.desk import Desk
from . import actions, answers, drafts

Run = Callable[[Desk, str, dict[str, Any], Unlock, str], Done]


def _text(help_text: str) -> str:
    """A help as click shows it: indentation and the last line's spaces removed."""
    return inspect.cleandoc(help_text).rstrip()


@dataclass(frozen=True)
class Action:
    name: str
    help: str  # the command's help; its first paragraph is the title
    fields: tuple[Field, ...]
    run: Run
    needs_key: bool
    available: Callable[[register.Case], bool]

    @property
    def title(self) -> str:
        """The first paragraph of the help: "Vietnamese / English"."""
        return " ".join(self.help.replace("\b", "").split("\n\n")[0].split())


def _simple(operation: Callable[..., Done]) -> Run:
    return lambda desk, reference, values, unlock, who: operation(desk, reference, who=who, **values)


def _keyed(operation: Callable[..., Done]) -> Run:
    return lambda desk, reference, values, unlock, who: operation(desk, reference, unlock, who=who, **values)


def _reply(desk: Desk, reference: str, values: dict[str, Any], unlock: Unlock, who: str) -> Done:
    """Draft and send at once (the window shows ``answers.draft(...).preview()`` first); ``values["store"]``: where."""
    values = dict(values)
    to = answers.target(values.pop("store", None))
    return answers.send(desk, answers.draft(desk, reference, unlock, **values), to, who=who)


def _attach(desk: Desk, reference: str, values: dict[str, Any], unlock: Unlock, who: str) -> Done:
    """``values["followup"]``: the id of the follow-up that matched no case."""
    values = dict(values)
    return answers.attach(desk, values.pop("followup"), reference, who=who, **values)


def _reveal(desk: Desk, reference: str, values: dict[str, Any], unlock: Unlock, who: str) -> Done:
    found = case_view.reveal(desk, reference, values["reason"], unlock, who=who)
    return Done(case=found.case, value=found, lines=found.lines())


def _extract(desk: Desk, reference: str, values: dict[str, Any], unlock: Unlock, who: str) -> Done:
    return case_view.extract(desk, reference, values["out"], unlock, who=who, reason=values.get("reason") or "")


def _workflow(action: str) -> Callable[[register.Case], bool]:
    return lambda case: workflow.possible(case, action)


def _classifiable(case: register.Case) -> bool:
    return workflow.possible(case, "classify") or workflow.possible(case, "classify", again=True)


def _open(case: register.Case) -> bool:
    return case.status in workflow.OPEN_STATUSES


def _named(case: register.Case) -> bool:
    return not case.anonymous


def _has_receipt_code(case: register.Case) -> bool:
    return bool(case.reply_lookup)


def _always(case: register.Case) -> bool:
    return True


ACTIONS: dict[str, Action] = {
    "classify": Action(
        "classify",
        _text(
            """\
        Phân loại, xác định thẩm quyền / Classify a case: within the Board's competence or not.

        Mỗi hồ sơ được phân loại một lần, từ bước "Đã tiếp nhận". Để sửa phân loại trước khi giao
        hay chuyển hồ sơ: dùng --again kèm --note nêu lý do.

        A case is classified once, from "Đã tiếp nhận". To correct the classification
        before the case is assigned or forwarded: --again with --note saying why.
        """
        ),
        actions.CLASSIFY,
        _simple(actions.classify),
        False,
        _classifiable,
    ),
    "assign": Action(
        "assign",
        _text(
            """\
        Giao đơn vị xử lý / Assign a case within the Board's competence to a unit.

        Người đứng đầu đơn vị lấy từ mục [units] của settings.toml, trừ khi có --head. Lệnh đọc phản
        ánh (tệp khóa): nếu phản ánh nêu tên chính đơn vị đó hoặc người đứng đầu, lệnh cảnh báo và
        cần lý do (--named-reason, hoặc trả lời khi được hỏi), ghi vào nhật ký.

        The unit's head comes from [units] in settings.toml unless --head is given.
        The command reads the report (the key file): if it names that unit or its
        head, it warns and needs the reason (--named-reason, or the answer when
        asked), recorded in the audit trail.
        """
        ),
        actions.ASSIGN,
        _keyed(actions.assign),
        True,
        _workflow("assign"),
    ),
    "forward": Action(
        "forward",
        _text(
            """\
        Chuyển cơ quan có thẩm quyền / Forward a case outside the Board's competence.

        Sau đó chuẩn bị hồ sơ để chuyển bằng `office export ID --out THƯ-MỤC` (không có danh tính
        người phản ánh, đã xóa siêu dữ liệu). Với --denunciation, người tố cáo phải được thông báo
        việc chuyển (Luật Tố cáo 2018 Điều 9): `office due` nhắc việc này và `office notice ID
        --kind transferred` lập dự thảo thông báo.

        Then prepare the package with `office export ID --out FOLDER` (no reporter identity, metadata stripped).
        With --denunciation the denouncer is owed a notice of the transfer (Luật Tố cáo 2018 Điều 9):
        `office due` reminds of it and `office notice ID --kind transferred` drafts it.
        """
        ),
        actions.FORWARD,
        _simple(actions.forward),
        False,
        _workflow("forward"),
    ),
    "follow": Action(
        "follow",
        _text(
            """\
        Theo dõi kết quả xử lý / Record a follow-up of the result (handled or forwarded).

        Hồ sơ đã chuyển cơ quan khác: sau lần theo dõi đầu tiên, thời gian chờ kết quả của cơ quan đó
        không tính là trễ hạn của Văn phòng Ban; khi nhận được kết quả, ghi --result-received: hạn kết
        thúc hồ sơ tính từ ngày đó.

        A forwarded case: after the first follow-up, the time it waits on the
        authority is not the Office's lateness; when its result arrives, record it
        with --result-received: the deadline to close the case runs from that day.
        """
        ),
        actions.FOLLOW,
        _simple(actions.follow),
        False,
        _workflow("follow"),
    ),
    "conclude": Action(
        "conclude",
        _text(
            """\
        Kết thúc hồ sơ / Conclude a case with its result.

        Tố cáo đã thụ lý: kết luận nội dung tố cáo phải được thông báo cho người tố cáo và gửi người bị
        tố cáo; hai thông báo này được nhắc trong office due và office show cho đến khi ghi nhận đã gửi.

        An accepted denunciation: the conclusion is owed to the denouncer and to
        the person denounced; both notices are reminded by office due and office
        show until they are recorded as given.
        """
        ),
        actions.CONCLUDE,
        _simple(actions.conclude),
        False,
        _workflow("conclude"),
    ),
    "reject": Action(
        "reject",
        _text(
            """\
        Không xem xét, xử lý (nêu lý do) / Do not take a case up, with the reason.

        Dùng cho phản ánh. Tố cáo có danh tính mà không thụ lý thì ghi nhận bằng office decline;
        người tố cáo phải được thông báo việc đó.

        For a report (phản ánh). A named denunciation that is not accepted is recorded
        with office decline (không thụ lý), which owes the denouncer a notice.
        """
        ),
        actions.REJECT,
        _simple(actions.reject),
        False,
        _workflow("reject"),
    ),
    "reopen": Action(
        "reopen",
        _text(
            """\
        Mở lại hồ sơ đã kết thúc / Reopen a concluded case, or one not taken up.

        Dùng khi có thông tin mới về hồ sơ đã kết thúc: hồ sơ trở về bước "Đã tiếp nhận" và được
        phân loại lại; kết quả trước vẫn lưu trong nhật ký. Tố cáo đã thụ lý trở về diện phản ánh:
        thông tin mới cần một quyết định mới (office accept).

        For new information on a closed case: it goes back to "received" and is
        classified again; the earlier result stays in the audit trail. An accepted
        denunciation goes back to the phản ánh track: new information needs a new
        decision (office accept).
        """
        ),
        actions.REOPEN,
        _simple(actions.reopen),
        False,
        _workflow("reopen"),
    ),
    "extend": Action(
        "extend",
        _text(
            """\
        Gia hạn giải quyết / Extend the deadline of a complex case.

        Phản ánh: cộng thêm deadlines.handling.extension_days (thời hạn do Ban chọn), tối đa
        max_extensions lần. Tố cáo đã thụ lý: gia hạn thời hạn theo Điều 30 thêm
        deadlines.denunciation.extension_days, và người tố cáo cùng người bị tố cáo phải được thông
        báo việc gia hạn. Hồ sơ được đánh dấu là phức tạp.

        A report: adds deadlines.handling.extension_days (the Board's choice), at most
        max_extensions times. An accepted denunciation: extends the Điều 30 limit by
        deadlines.denunciation.extension_days, and the denouncer and the person
        denounced are owed a notice of it. The case is flagged as complex.
        """
        ),
        actions.EXTEND,
        _simple(actions.extend),
        False,
        _workflow("extend"),
    ),
    "accept": Action(
        "accept",
        _text(
            """\
        Ghi nhận quyết định thụ lý tố cáo / Record the decision to accept a denunciation (thụ lý).

        \b
        Chỉ dùng cho tố cáo có danh tính, thuộc thẩm quyền của Ban, đã phân loại. Cán bộ
        xác nhận các điều kiện (công cụ không tự kiểm tra):
          - người tố cáo nêu rõ họ tên, địa chỉ (Luật Tố cáo 2018 Điều 25);
          - tố cáo theo Điều 23 (đơn, hoặc trực tiếp, đủ nội dung);
          - người tố cáo có đủ năng lực hành vi dân sự;
          - vụ việc thuộc thẩm quyền giải quyết của Ban;
          - nội dung có cơ sở xác định người vi phạm, hành vi vi phạm.
        Luật Tố cáo 2018 Điều 29 (văn bản năm 2018: kiểm tra văn bản đã sửa đổi theo
        Luật 136/2025/QH15, hiệu lực 01/7/2026).
        Only a named denunciation within the Board's competence, classified first; the clerk
        confirms the conditions above (the tool does not check them).

        Từ ngày ra quyết định, các thông báo theo Điều 29 (cho người tố cáo, và thông báo nội dung
        tố cáo cho người bị tố cáo, trong 05 ngày làm việc) và thời hạn theo Điều 30 bắt đầu tính;
        giao đơn vị xử lý là một bước riêng.

        From the decision's date the Điều 29 notices (to the denouncer, and of the
        content to the person denounced, within 05 working days) and the Điều 30
        time limit run; assigning a unit is a separate step.
        """
        ),
        actions.ACCEPT,
        _keyed(actions.accept),
        True,
        _workflow("accept"),
    ),
    "decline": Action(
        "decline",
        _text(
            """\
        Ghi nhận không thụ lý tố cáo / Record that a named denunciation is not accepted (không thụ lý).

        Người tố cáo phải được thông báo việc không thụ lý (Luật Tố cáo 2018 Điều 9; văn bản năm
        2018: kiểm tra văn bản đã sửa đổi theo Luật 136/2025/QH15). Trạng thái hồ sơ không đổi: xử
        lý nội dung như phản ánh, hoặc kết thúc bằng office reject. Với phản ánh chỉ dùng office
        reject: người phản ánh đọc "Không xem xét, xử lý", không bao giờ đọc "không thụ lý".

        The denouncer is owed a notice of it (Luật Tố cáo 2018 Điều 9; the 2018 text:
        check it as amended by Law 136/2025/QH15). The case's status does not change:
        handle its content as a report, or close it with office reject. For a report
        use office reject alone: the reporter reads "Không xem xét, xử lý" (not taken
        up), never "không thụ lý".
        """
        ),
        actions.DECLINE,
        _simple(actions.decline),
        False,
        _workflow("decline"),
    ),
    "flag": Action(
        "flag",
        _text(
            """\
        Đánh dấu vụ việc cần báo cáo Lãnh đạo Ban / Flag a case the plan says to report to the leaders.
        """
        ),
        actions.FLAG_FIELDS,
        _simple(actions.flag),
        False,
        _open,
    ),
    "notify": Action(
        "notify",
        _text(
            """\
        Ghi nhận đã thông báo / Record that the reporter, the denouncer or the person denounced was told.

        Phản ánh: người được thông báo là người phản ánh (--to reporter, mặc định). Tố cáo đã thụ lý
        có hai thông báo (Điều 29): cho người tố cáo và, về nội dung tố cáo, cho người bị tố cáo;
        ghi nhận từng thông báo với --to tương ứng.

        A report (phản ánh): the reporter (--to reporter, the default). An accepted
        denunciation owes two notices (Điều 29): to the denouncer and, of the
        content, to the person denounced; record each with its --to.
        """
        ),
        actions.NOTIFY,
        _simple(actions.notify),
        False,
        _named,
    ),
    "reply": Action(
        "reply",
        _text(
            """\
        Trả lời người phản ánh qua mã tra cứu / Answer the reporter through the receipt code.

        Câu trả lời được mã hóa để chỉ người giữ mã tra cứu đọc được, và được lưu ở nơi trang tra
        cứu của cổng lấy về. Hồ sơ từ kênh khác, hoặc phản ánh trực tuyến gửi không kèm mã tra cứu,
        không có địa chỉ như vậy: trả lời qua kênh đã nhận. Trên máy ngoại tuyến, --to THƯ-MỤC để
        câu trả lời trong thư mục chuyển cho máy nối mạng gửi đi.

        The answer is encrypted so that only the holder of the receipt code can
        read it, and stored where the portal's check page fetches it. Cases from
        other channels, or online reports sent without a receipt code, have no such
        address: answer them through the channel they came by. On the offline
        computer, --to FOLDER leaves the answer in the transfer folder for the
        online computer to send.

        Không có --status, câu trả lời nêu bước xử lý hiện tại của hồ sơ (office classify, assign,
        forward, conclude, reject chuyển bước); lý do không xem xét, xử lý không bao giờ lấy từ sổ:
        điều người phản ánh đọc phải được viết cho họ.

        Without --status the answer tells the case's current step (office classify,
        assign, forward, conclude, reject move it); a reason for not accepting is
        never taken from the register: what the reporter reads is written for them.

        Mã tra cứu không kèm lời hứa nào: câu trả lời không bao giờ nói rằng rồi sẽ có câu trả lời
        hay kết quả (Luật Tố cáo 2018 Điều 25), và với phản ánh thì không nói đến thụ lý. Câu trả
        lời nêu bước xử lý của hồ sơ được tính là thông báo cho người phản ánh có danh tính (office
        notify) khi thông báo đó đến hạn.

        The receipt code carries no promise: an answer never says that an answer or
        a result will come (Luật Tố cáo 2018 Điều 25), and on a report (phản ánh)
        never speaks of thụ lý. An answer that tells the case's step counts as the
        notice to a named reporter (office notify) when that notice is due.
        """
        ),
        answers.REPLY,
        _reply,
        False,
        _has_receipt_code,
    ),
    "attach": Action(
        "attach",
        _text(
            """\
        Gắn thông tin bổ sung chưa khớp vào một hồ sơ / Join an unmatched follow-up to a case.

        FOLLOWUP là mã mà office list --unmatched in ra; CASE là số hồ sơ. Từ đó thông tin bổ sung
        và các tệp của nó thuộc hồ sơ như thể mã tra cứu đã khớp: office show và office extract hiển
        thị chúng, office followups liệt kê chúng cho đến khi được đọc. Nhật ký ghi ai đã gắn, khi
        nào và vì sao.

        FOLLOWUP is the id that office list --unmatched shows; CASE the case number.
        The follow-up and its files then belong to the case as if its receipt code
        had matched: office show and office extract show them, office followups
        lists them until read. The audit trail records who joined it, when and why.
        """
        ),
        answers.ATTACH,
        _attach,
        False,
        _always,
    ),
    "notice": Action(
        "notice",
        _text(
            """\
        Dự thảo thông báo về tố cáo / Draft a notice on a denunciation (Word).

        \b
        office notice 2026-0005 --kind accepted --out thong-bao.docx
        office notice 2026-0005 --kind accepted --out thong-bao.docx --with-identity --reason "Gửi thông báo thụ lý"
        office notice 2026-0005 --kind accepted --to denounced --out noi-dung-to-cao.docx

        Thông báo cho người bị tố cáo (--to denounced: thụ lý, gia hạn, kết luận) không bao giờ có gì
        của người tố cáo; --with-identity không dùng được với nó. The notices to the person denounced
        (accepted, extended, concluded) never carry anything of the denouncer; --with-identity is
        refused with them.

        Số hồ sơ, các ngày, số quyết định, cơ quan và lý do lấy từ sổ. Họ tên, địa chỉ người tố cáo
        để trống (chỗ điền) trừ khi dùng --with-identity để đọc từ phản ánh đã mã hóa; việc này được
        ghi vào nhật ký như một lần xem danh tính. Mọi chỗ trong [ ] là để Văn phòng điền hoặc kiểm
        tra (căn cứ pháp lý theo văn bản đã sửa đổi bởi Luật 136/2025/QH15) trước khi trình ký. Gửi
        xong: office notify ID --to denouncer.

        The case number, dates, decision reference, authority and reason come from
        the register. The denouncer's name and address stay placeholders unless
        --with-identity reads them from the encrypted report, which is recorded in
        the audit trail as a disclosure. Every point in [ ] is for the Office to fill
        in or check (the legal basis against the text as amended by Luật
        136/2025/QH15) before signing. Once sent: office notify ID --to denouncer.
        """
        ),
        drafts.NOTICE,
        _keyed(drafts.draft_notice),
        True,
        _named,
    ),
    "export": Action(
        "export",
        _text(
            """\
        Xuất hồ sơ để chuyển cơ quan có thẩm quyền hoặc giao đơn vị / Export a case to forward or assign.

        Tố cáo chuyển cơ quan có thẩm quyền (office forward --denunciation): kèm danh tính người tố cáo
        ở phần riêng MAT-thong-tin-nguoi-to-cao, đánh dấu MẬT, đề nghị giữ bí mật, để cơ quan nhận có
        thể thụ lý. Phản ánh chuyển cơ quan khác: danh tính chỉ kèm theo khi người phản ánh đồng ý
        (--consent). Hồ sơ giao phòng, đơn vị của Ban: không bao giờ kèm danh tính. Các tệp đính kèm
        đã xóa siêu dữ liệu (EXIF và GPS của ảnh, tác giả của tệp PDF và Office), có bảng kê những gì
        đã xóa; tệp không làm sạch được thì không đưa vào (hoặc chép vào unverified/ khi có
        --include-unverified). Lệnh giải mã hồ sơ nên sẽ hỏi mật khẩu của tệp khóa.

        A denunciation transferred (office forward --denunciation) goes with the
        denouncer's identity in a separate part marked confidential, with the
        request to keep it secret, so that the authority can accept it; a report
        forwarded, only with the reporter's consent (--consent); a case for one of
        the Board's units, never. Attachments lose their metadata; the manifest
        says what was removed. Decrypts the case: asks for the key's passphrase.
        """
        ),
        forwarding.EXPORT,
        _keyed(forwarding.export_case),
        True,
        _always,
    ),
    "reveal": Action(
        "reveal",
        _text(
            """\
        Xem danh tính người phản ánh / Show who reported a case.

        Lệnh duy nhất in danh tính người phản ánh. Người hỏi và lý do được ghi vào nhật ký trước khi
        in. Danh tính người phản ánh phải được giữ bí mật.

        The only command that prints the reporter's identity. It is recorded in the
        audit trail with who asked and why before anything is shown; the identity
        is confidential.
        """
        ),
        case_view.REVEAL,
        _reveal,
        True,
        _always,
    ),
    "extract": Action(
        "extract",
        _text(
            """\
        Giải mã tệp đính kèm của một hồ sơ ra thư mục / Decrypt a case's attachments into a folder.

        Các tệp được ghi ra ở dạng không mã hóa: dùng thư mục trên ổ đĩa đã mã hóa và xóa tệp khi
        xong việc. Thư mục phải mới (hoặc trống); tệp có thể chạy mã lệnh khi mở (.hta, .bat, .html,
        .svg, .url...) được thêm đuôi .txt hoặc .bin.

        The files are written in clear: use a folder on an encrypted disk and
        delete them when done. The folder must be new (or empty); a file that
        could run code when opened (.hta, .bat, .html, .svg, .url...) gets .txt
        or .bin after its name.
        """
        ),
        case_view.EXTRACT,
        _extract,
        True,
        _always,
    ),
    "protect": Action(
        "protect",
        _text(
            """\
        Ghi nhận biện pháp bảo vệ người phản ánh, tố giác / Record a measure protecting a case's reporter.

        \b
        office protect 2026-0004 --kind secrecy --what "..." --by-whom "Trưởng ban" --stage decided
        office protection stage SỐ --stage applied --by-whom "Chánh Văn phòng"
        office protection list 2026-0004

        Ghi bước đầu tiên của biện pháp: đề nghị (requested) hoặc quyết định (decided), ai, ngày nào;
        các bước sau (áp dụng, không áp dụng, chấm dứt) ghi bằng office protection stage. Không ghi
        danh tính người phản ánh. Mỗi bước vào nhật ký; báo cáo 6 tháng liệt kê biện pháp ở nhiệm vụ 5.

        Records the measure's first stage, requested or decided, by whom and
        when; the later stages (applied, declined, ended) with office protection
        stage. Never the reporter's identity. Each stage is audited; the
        half-year report lists the measures under task 5.
        """
        ),
        protection_records.MEASURE,
        _simple(protection_records.add_measure),
        False,
        _always,
    ),
}


def actions_for(case: register.Case) -> list[Action]:
    """The actions that make sense for the case as it is, in the order the commands list them."""
    return [action for action in ACTIONS.values() if action.available(case)]
