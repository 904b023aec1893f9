"""Model notices to a named denouncer (accepted, not accepted, transferred) as Word documents to complete.

The register's facts are filled in; the denouncer's name and address only when asked, and that is
recorded as a disclosure; every legal point the research did not verify stays a visible placeholder.
"""

from __future__ import annotations

import json
import re

import docx

from tests.desk.conftest import ADDRESS, NAME, add, office
from tests.promises import find_promises


def _text(path) -> str:
    document = docx.Document(path)
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _denunciation(env) -> str:
    number = add(
        env,
        "--channel",
        "reception",
        "--received",
        "05/01/2026 08:00",
        "--category",
        "corruption",
        "--description",
        "Cán bộ X nhận tiền.",
        "--name",
        NAME,
        "--address",
        ADDRESS,
    )
    office("classify", number, "--competence", "within", "--on", "06/01/2026", env=env)
    return number


def test_an_acceptance_notice_fills_in_the_register_and_leaves_the_rest_visible(desk_env, tmp_path):
    number = _denunciation(desk_env)
    refused = office("notice", number, "--kind", "accepted", "--out", str(tmp_path / "a.docx"), env=desk_env, ok=False)
    assert refused.returncode == 1 and "office accept" in refused.stderr.decode()
    assert not (tmp_path / "a.docx").exists()
    office("accept", number, "--decision", "15/QĐ-BQL", "--conditions-met", "--on", "12/01/2026", env=desk_env)

    plain = tmp_path / "thong-bao-thu-ly.docx"
    said = office("notice", number, "--kind", "accepted", "--out", str(plain), env=desk_env)
    assert f"office notify {number} --to denouncer --about accepted" in said.stderr.decode()
    text = _text(plain)
    for fact in (number, "05/01/2026", "12/01/2026", "15/QĐ-BQL", "THÔNG BÁO", "Về việc thụ lý tố cáo"):
        assert fact in text, fact
    assert NAME not in text and ADDRESS not in text
    assert "[Họ và tên người tố cáo]" in text and "[Địa chỉ của người tố cáo]" in text
    assert "Luật số 136/2025/QH15" in text and "[CHỨC VỤ NGƯỜI KÝ]" in text and "Số:        /TB-[KÝ HIỆU]" in text
    assert "năm 2026" in text and "30 ngày" not in text  # the year filled; no 2018 time limit stated as fact
    assert find_promises(text) == []
    properties = docx.Document(plain).core_properties
    assert properties.author == "" and properties.last_modified_by == ""

    again = office("notice", number, "--kind", "accepted", "--out", str(plain), env=desk_env, ok=False)
    assert again.returncode == 1 and "already exists" in again.stderr.decode()
    silent = tmp_path / "ten.docx"
    no_reason = office(
        "notice", number, "--kind", "accepted", "--out", str(silent), "--with-identity", env=desk_env, ok=False
    )
    assert no_reason.returncode == 1 and "--reason" in no_reason.stderr.decode() and not silent.exists()
    office(
        "notice",
        number,
        "--kind",
        "accepted",
        "--out",
        str(silent),
        "--with-identity",
        "--reason",
        "Gửi thông báo thụ lý cho người tố cáo",
        env=desk_env,
    )
    text = _text(silent)
    assert f"Kính gửi: Ông/Bà {NAME}" in text and ADDRESS in text

    trail = json.loads(office("audit", "list", "--case", number, "--format", "json", env=desk_env).stdout)
    drafted = [(e["action"], e["details"]) for e in trail if e["action"] in ("notice", "reveal")]
    assert drafted == [
        ("notice", {"kind": "accepted", "to": "denouncer", "identity": False}),
        ("reveal", {"fields": ["address", "name"], "purpose": "notice", "kind": "accepted", "to": "denouncer"}),
    ]
    assert office("audit", "verify", env=desk_env).returncode == 0


def test_the_person_denounced_is_told_the_content_and_nothing_of_the_denouncer(desk_env, tmp_path):
    number = _denunciation(desk_env)
    early = office(
        "notice",
        number,
        "--kind",
        "accepted",
        "--to",
        "denounced",
        "--out",
        str(tmp_path / "e.docx"),
        env=desk_env,
        ok=False,
    )
    assert early.returncode == 1 and "office accept" in early.stderr.decode()
    office("accept", number, "--decision", "16/QĐ-BQL", "--conditions-met", "--on", "12/01/2026", env=desk_env)

    drafted = tmp_path / "noi-dung-to-cao.docx"
    said = office("notice", number, "--kind", "accepted", "--to", "denounced", "--out", str(drafted), env=desk_env)
    assert f"office notify {number} --to denounced --about accepted" in said.stderr.decode()
    text = _text(drafted)
    assert "Về nội dung tố cáo" in text and "16/QĐ-BQL" in text and "12/01/2026" in text
    assert "thụ lý tố cáo đối với Ông/Bà" in text and "[Họ và tên, chức vụ, nơi công tác của người bị tố cáo" in text
    # Nothing of the denouncer: not the name, the address, the date the denunciation came, nor a placeholder for them.
    for denouncer in (NAME, ADDRESS, "05/01/2026", "[Họ và tên người tố cáo]", "[Địa chỉ của người tố cáo]"):
        assert denouncer not in text, denouncer
    assert "KHÔNG nêu họ tên, địa chỉ, bút tích" in text and find_promises(text) == []

    exposed = tmp_path / "khong.docx"
    refused = office(
        "notice",
        number,
        "--kind",
        "accepted",
        "--to",
        "denounced",
        "--out",
        str(exposed),
        "--with-identity",
        "--reason",
        "x",
        env=desk_env,
        ok=False,
    )
    assert refused.returncode == 1 and "never carries the denouncer's identity" in refused.stderr.decode()
    other = office(
        "notice", number, "--kind", "not-accepted", "--to", "denounced", "--out", str(exposed), env=desk_env, ok=False
    )
    assert other.returncode == 1 and "--kind accepted or extended" in other.stderr.decode() and not exposed.exists()
    trail = json.loads(office("audit", "list", "--case", number, "--format", "json", env=desk_env).stdout)
    assert [e["details"] for e in trail if e["action"] == "notice"] == [
        {"kind": "accepted", "to": "denounced", "identity": False}
    ]
    assert not [e for e in trail if e["action"] == "reveal"]
    office("notify", number, "--to", "denounced", "--about", "accepted", "--how", "Gửi thông báo", env=desk_env)


def test_an_extension_is_told_to_both_and_the_denounced_reads_nothing_of_the_denouncer(desk_env, tmp_path):
    number = _denunciation(desk_env)
    office("accept", number, "--decision", "17/QĐ-BQL", "--conditions-met", "--on", "12/01/2026", env=desk_env)
    early = office("notice", number, "--kind", "extended", "--out", str(tmp_path / "e.docx"), env=desk_env, ok=False)
    assert early.returncode == 1 and "office extend" in early.stderr.decode() and not (tmp_path / "e.docx").exists()
    office(
        "extend", number, "--reason", "Vụ việc phức tạp", "--decision", "25/QĐ-BQL", "--on", "05/02/2026", env=desk_env
    )

    for recipient in ("denouncer", "denounced"):
        drafted = tmp_path / f"gia-han-{recipient}.docx"
        said = office("notice", number, "--kind", "extended", "--to", recipient, "--out", str(drafted), env=desk_env)
        assert f"office notify {number} --to {recipient} --about extended" in said.stderr.decode()
        text = _text(drafted)
        assert "Về việc gia hạn giải quyết tố cáo" in text and "25/QĐ-BQL" in text and "05/02/2026" in text
        # The days and the new time limit the desk knows (30 days from 12/01 + 30: 13/03/2026); the rule itself
        # is the law in force's, a placeholder (issue 21).
        assert "Thời gian gia hạn: 30 ngày" in text and "đến hết ngày 13/03/2026" in text
        assert "không quá 30 ngày" not in text and find_promises(text) == []
        told_of_denouncer = "05/01/2026" in text or "[Họ và tên người tố cáo]" in text
        assert told_of_denouncer == (recipient == "denouncer"), recipient


def test_non_acceptance_and_transfer_notices(desk_env, tmp_path):
    declined = _denunciation(desk_env)
    office("decline", declined, "--reason", "Vụ việc đã được giải quyết.", "--on", "08/01/2026", env=desk_env)
    office("notice", declined, "--kind", "not-accepted", "--out", str(tmp_path / "khong.docx"), env=desk_env)
    text = _text(tmp_path / "khong.docx")
    assert "Về việc không thụ lý tố cáo" in text and "Vụ việc đã được giải quyết." in text and "08/01/2026" in text
    assert "[số, ký hiệu văn bản]" in text  # no reference was recorded: a placeholder, not an invention

    transferred = _denunciation(desk_env)
    office("classify", transferred, "--again", "--competence", "outside", "--note", "Ngoài thẩm quyền", env=desk_env)
    wrong = office(
        "notice", transferred, "--kind", "transferred", "--out", str(tmp_path / "c.docx"), env=desk_env, ok=False
    )
    assert wrong.returncode == 1 and "--denunciation" in wrong.stderr.decode()
    office("forward", transferred, "--to", "Thanh tra tỉnh", "--denunciation", "--decision", "20/CV-BQL", env=desk_env)
    office("notice", transferred, "--kind", "transferred", "--out", str(tmp_path / "chuyen.docx"), env=desk_env)
    text = _text(tmp_path / "chuyen.docx")
    assert "Thanh tra tỉnh" in text and "20/CV-BQL" in text and "Văn phòng Ban điền" in text
    assert "kèm thông tin về người tố cáo với đề nghị giữ bí mật" in text
    # Every bracket is a placeholder for the Office, never empty.
    assert all(inner.strip() for inner in re.findall(r"\[([^\]]*)\]", text))

    anonymous = add(desk_env, "--channel", "mailbox", "--category", "waste", "--description", "Thư không ký tên.")
    office("reject", anonymous, "--reason", "Không có căn cứ", env=desk_env)
    refused = office(
        "notice", anonymous, "--kind", "not-accepted", "--out", str(tmp_path / "x.docx"), env=desk_env, ok=False
    )
    assert refused.returncode == 1 and "anonymous" in refused.stderr.decode()
