"""Make the register of tests/data/legacy-register/ with the release it stands for.

Run once, at commit 2bff8ca (the release before issues 11-16), with that release's
own ``office`` command:

    .venv/bin/python tests/data/legacy-register/make.py

It writes ``identity.txt`` (an age key, no passphrase), ``desk/`` (the data
folder: register, encrypted reports, settings) and ``codes.json`` (the receipt
codes, so that tests can read the answers). The migration tests copy ``desk/``
and open it with today's tool: every case, follow-up, answer and audit entry
must still be there, and ``office audit verify`` must pass.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(ROOT))

from intake_function import envelope, objects, receipt, report  # noqa: E402
from intake_function.store import open_store  # noqa: E402


def main() -> None:
    for name in ("desk", "store", "identity.txt", "codes.json"):
        path = HERE / name
        shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
    subprocess.run(["age-keygen", "-o", str(HERE / "identity.txt")], check=True, capture_output=True)
    recipient = subprocess.run(
        ["age-keygen", "-y", str(HERE / "identity.txt")], check=True, capture_output=True, text=True
    ).stdout.strip()
    store_url = (HERE / "store").as_uri()
    store = open_store(store_url)
    env = {
        **os.environ,
        "OFFICE_STORE": store_url,
        "OFFICE_IDENTITY": str(HERE / "identity.txt"),
        "OFFICE_DATA": str(HERE / "desk"),
        "OFFICE_RECIPIENTS": recipient,
        "OFFICE_USER": "can-bo-van-phong",
    }

    def office(*args: str) -> str:
        done = subprocess.run([sys.executable, "-m", "office", *args], env=env, capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(f"office {' '.join(args)}: {done.stderr}")
        return done.stdout.strip()

    def put(document: dict) -> None:
        _, key = objects.new_inbox_key()
        store.put(key, envelope.encrypt(report.padded(document), envelope.parse_recipients(recipient)))

    named_code, anonymous_code = receipt.new_code(), receipt.new_code()
    named, anonymous = receipt.derive(named_code), receipt.derive(anonymous_code)
    put(
        {
            "schema": "report/1",
            "category": "corruption",
            "description": "Cán bộ yêu cầu nộp thêm tiền ngoài quy định khi cấp phép.",
            "reporter": {"name": "Trần Thị Có Tên", "phone": "0900 000 001"},
            "reply": {"recipient": named.reply_recipient, "lookup_id": named.lookup_id},
        }
    )
    put(
        {
            "schema": "report/1",
            "category": "waste",
            "description": "Xe công dùng vào việc riêng.",
            "reply": {"recipient": anonymous.reply_recipient, "lookup_id": anonymous.lookup_id},
        }
    )
    put({"schema": "report/1", "category": "negativity", "description": "Gây khó khăn khi tiếp nhận hồ sơ."})
    office("settings", "--init")
    office("pull")  # 2026-0001 named with a code, 2026-0002 anonymous with a code, 2026-0003 anonymous
    _, key = objects.new_inbox_key()
    followup = {"schema": "followup/1", "lookup_id": anonymous.lookup_id, "message": "Biển số xe 67A-000.00."}
    store.put(key, envelope.encrypt(report.padded(followup), envelope.parse_recipients(recipient)))
    office("pull")  # the follow-up joins 2026-0002
    office(
        "add",
        "--channel",
        "hotline",
        "--category",
        "corruption",
        "--description",
        "Người gọi phản ánh.",
        "--name",
        "Lê Văn Gọi",
        "--phone",
        "0900 000 002",
        "--contact",
        "phone",
    )  # 2026-0004 named, by phone
    office("add", "--channel", "mailbox", "--category", "waste", "--description", "Thư trong hòm thư góp ý.")
    # 2026-0001: named, assigned to a unit (the old model counted this as acceptance), notified, concluded
    office("classify", "2026-0001", "--competence", "within", "--note", "Thuộc thẩm quyền")
    office("assign", "2026-0001", "--unit", "Phòng Quản lý Doanh nghiệp", "--head", "Trưởng phòng A")
    office("notify", "2026-0001", "--how", "Gọi điện cho người phản ánh")
    office("reply", "2026-0001", "--yes", "--message", "Văn phòng Ban đã giao đơn vị xử lý.")
    office("follow", "2026-0001", "--note", "Đơn vị đang xác minh")
    office("conclude", "2026-0001", "--result", "Đã xử lý theo chỉ đạo")
    # 2026-0002: anonymous, forwarded
    office("classify", "2026-0002", "--competence", "outside", "--note", "Ngoài thẩm quyền")
    office("forward", "2026-0002", "--to", "Cơ quan có thẩm quyền B", "--note", "Công văn số 1/VP")
    office("reply", "2026-0002", "--yes")
    # 2026-0003: anonymous, not accepted
    office("reject", "2026-0003", "--reason", "Không có căn cứ để xem xét")
    # 2026-0004: named by phone, assigned and still being handled (a notice due under the old model)
    office("classify", "2026-0004", "--competence", "within", "--note", "Thuộc thẩm quyền")
    office("assign", "2026-0004", "--unit", "Văn phòng Ban", "--head", "Chánh Văn phòng")
    office("flag", "2026-0004", "--set", "complex", "--note", "Nhiều nội dung")
    # 2026-0005 stays received.
    office("incident", "add", "--date", "20/11/2026", "--note", "Phiếu ghi để trên bàn chung; đã thu hồi")
    office("audit", "verify")
    (HERE / "codes.json").write_text(
        json.dumps({"2026-0001": named_code, "2026-0002": anonymous_code}, indent=2) + "\n", encoding="utf-8"
    )
    shutil.rmtree(HERE / "store")
    for leftover in (HERE / "desk").glob("register.sqlite-*"):
        leftover.unlink()


if __name__ == "__main__":
    main()
