"""Make the register of tests/data/release-register/ with the release it stands for.

Run once, at commit fb0c4d9 (the release with issues 11-16, before the step history of issue
12's fair figures), with that release's own ``office`` command, from a checkout of it:

    git archive fb0c4d9 | tar -x -C /tmp/release && cp -r tests/data/release-register /tmp/release/tests/data/
    cd /tmp/release && python tests/data/release-register/make.py

It writes ``identity.txt`` (an age key, no passphrase) and ``desk/`` (the data folder: register,
encrypted reports, settings). Unlike the legacy register, every step is dated with ``--on`` over
the second half of 2026, as a clerk recording the Office's work would: a late classification by the
Office before an on-time unit, a case taken over by another unit after its deadline, a forwarded
case followed late, an accepted denunciation with its notices and an extension, a case reopened,
a declined denunciation whose notice is still owed. The migration tests copy ``desk/``, open it with
today's tool, and check the step history rebuilt from its audit trail and the report's late steps.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]

UNITS = """[units]
"Phòng Quản lý doanh nghiệp" = "Trưởng phòng A"
"Ban Quản lý cửa khẩu" = "Trưởng ban C"
"Văn phòng Ban" = "Chánh Văn phòng"
"""


def main() -> None:
    for name in ("desk", "identity.txt"):
        path = HERE / name
        shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
    subprocess.run(["age-keygen", "-o", str(HERE / "identity.txt")], check=True, capture_output=True)
    recipient = subprocess.run(
        ["age-keygen", "-y", str(HERE / "identity.txt")], check=True, capture_output=True, text=True
    ).stdout.strip()
    env = {
        **os.environ,
        "OFFICE_DATA": str(HERE / "desk"),
        "OFFICE_RECIPIENTS": recipient,
        "OFFICE_USER": "can-bo-van-phong",
    }

    def office(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "office", *args], env=env, capture_output=True, text=True, cwd=ROOT
        )
        if done.returncode:
            raise SystemExit(f"office {' '.join(args)}: {done.stderr}")
        return done.stdout.strip()

    def add(received: str, channel: str = "hotline", *identity: str) -> str:
        return office(
            "add", "--channel", channel, "--category", "corruption", "--received", received,
            "--description", "Nội dung mẫu.", *identity,
        )  # fmt: skip

    office("init")
    (HERE / "desk" / "settings.toml").write_text(UNITS, encoding="utf-8")
    named = ("--name", "Trần Văn Tên", "--address", "Số 1 đường Mẫu")
    # 2026-0001: classified late by the Office (due 10/07), handled in time by the unit.
    n = add("01/07/2026")
    office("classify", n, "--competence", "within", "--on", "20/07/2026")
    office("assign", n, "--unit", "Phòng Quản lý doanh nghiệp", "--on", "21/07/2026")
    office("conclude", n, "--result", "Đã xử lý", "--on", "30/07/2026")
    # 2026-0002: the first unit let its deadline (04/09) pass; another unit took it over and closed it.
    n = add("03/08/2026")
    office("classify", n, "--competence", "within", "--on", "04/08/2026")
    office("assign", n, "--unit", "Ban Quản lý cửa khẩu", "--on", "05/08/2026")
    office("assign", n, "--unit", "Phòng Quản lý doanh nghiệp", "--on", "10/09/2026")
    office("follow", n, "--note", "Đơn vị đang hoàn thiện báo cáo", "--on", "15/09/2026")
    office("conclude", n, "--result", "Đã xử lý", "--on", "18/09/2026")
    # 2026-0003: named, forwarded; the reporter told late (due 14/08), the result followed late (due 06/09).
    n = add("05/08/2026", "email", "--name", "Lê Thị Thư", "--email", "thu@example.vn")
    office("classify", n, "--competence", "outside", "--on", "06/08/2026")
    office("forward", n, "--to", "Thanh tra tỉnh", "--on", "07/08/2026")
    office("notify", n, "--how", "Thư điện tử", "--on", "20/08/2026")
    office("follow", n, "--note", "Đã có kết quả", "--on", "15/09/2026")
    office("conclude", n, "--result", "Cơ quan có thẩm quyền đã xử lý", "--on", "16/09/2026")
    # 2026-0004: a named denunciation accepted on 03/09; the denouncer told late (due 10/09), the person
    # denounced in time; extended once; resolved within Điều 30's limit.
    n = add("01/09/2026", "reception", *named)
    office("classify", n, "--competence", "within", "--on", "02/09/2026")
    office("accept", n, "--decision", "01/QĐ-BQL", "--conditions-met", "--on", "03/09/2026")
    office("assign", n, "--unit", "Phòng Quản lý doanh nghiệp", "--on", "04/09/2026")
    office("notify", n, "--to", "denounced", "--how", "Gửi thông báo", "--on", "05/09/2026")
    office("notify", n, "--to", "denouncer", "--how", "Gửi thông báo", "--on", "14/09/2026")
    office("extend", n, "--reason", "Vụ việc phức tạp", "--decision", "02/QĐ-BQL", "--on", "01/10/2026")
    office("notify", n, "--to", "denouncer", "--about", "extended", "--how", "Gửi thông báo", "--on", "02/10/2026")
    office("notify", n, "--to", "denounced", "--about", "extended", "--how", "Gửi thông báo", "--on", "02/10/2026")
    office("conclude", n, "--result", "Kết luận nội dung tố cáo", "--on", "20/10/2026")
    # 2026-0005: not taken up, reopened with new information, given to the Office as a unit; still open.
    n = add("10/09/2026")
    office("reject", n, "--reason", "Chưa đủ thông tin", "--on", "11/09/2026")
    office("reopen", n, "--reason", "Người phản ánh bổ sung thông tin", "--on", "20/09/2026")
    office("classify", n, "--competence", "within", "--on", "21/09/2026")
    office("assign", n, "--unit", "Văn phòng Ban", "--on", "22/09/2026")
    # 2026-0006: a named denunciation not accepted on 05/10; its notice is still owed.
    n = add("01/10/2026", "reception", *named)
    office("classify", n, "--competence", "within", "--on", "02/10/2026")
    office("decline", n, "--reason", "Không đủ điều kiện thụ lý", "--on", "05/10/2026")
    office("reject", n, "--reason", "Không đủ điều kiện thụ lý", "--on", "05/10/2026")
    # 2026-0007: received just before the cut-off, not classified yet (due after it).
    add("12/11/2026", "mailbox")
    office("audit", "verify")
    for leftover in [*(HERE / "desk").glob("register.sqlite-*"), HERE / "desk" / ".lock"]:
        leftover.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
