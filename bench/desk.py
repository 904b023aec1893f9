"""Benchmark of the Office's desk: a register of 10,000 cases, and the commands the Office runs daily.

The register is filled directly through ``office.register`` (one transaction;
every case points at the same encrypted body, produced once), with cases
spread over 22 months, every channel and category, and every step of the
workflow with its history (``register.steps``), and activities of the plan.
Then ``office list``, ``office due`` and ``office report`` each run in a
subprocess, as the Office would start them, and are timed. Each must
finish within seconds (target: under 10 s on this machine).

Run: ``.venv/bin/python -m bench.desk`` (``--cases N`` for another size, ``--json FILE`` to keep the figures).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from intake_function import codes, envelope, objects, report
from office import register, workflow
from office.intake import channels
from office.keys import recipients
from office.register import steps
from office.register.desk import create_desk
from office.workflow import plan

TARGET_SECONDS = 10.0
CHANNEL_WEIGHTS = {"online": 45, "hotline": 20, "email": 15, "mailbox": 8, "reception": 7, "forwarded": 5}
UNITS = {
    "Văn phòng Ban": "Chánh Văn phòng",
    "Phòng Quản lý doanh nghiệp": "Trưởng phòng A",
    "Phòng Quản lý đầu tư": "Trưởng phòng B",
    "Ban Quản lý cửa khẩu": "Trưởng ban C",
}


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def fill(data: Path, count: int, seed: int = 2026) -> envelope.Identity:
    """A register of ``count`` cases at every step of the workflow, in one transaction; the key of its cases."""
    rng = random.Random(seed)
    desk = create_desk(data)
    identity = envelope.generate_identity()
    recipient = identity.to_public()
    document = {
        "schema": "report/1",
        "category": "waste",
        "description": "Nội dung mẫu cho phép đo.",
        "reporter": {"name": "Người gửi mẫu"},
    }
    body_key = f"{channels.BODY_PREFIX}{codes.new_object_id()}{objects.SUFFIX}"
    desk.store.put(body_key, envelope.encrypt(report.padded(document), [recipient]))
    start = datetime(2025, 1, 1, tzinfo=UTC)
    span = (datetime(2026, 10, 31, tzinfo=UTC) - start).total_seconds()
    categories = list(report.categories())
    moments = sorted(start + timedelta(seconds=rng.uniform(0, span)) for _ in range(count))
    with register.transaction(desk.db):
        register.meta_set(desk.db, recipients.RECIPIENTS_KEY, str(recipient))
        for moment in moments:
            channel = rng.choices(list(CHANNEL_WEIGHTS), weights=list(CHANNEL_WEIGHTS.values()))[0]
            number = register.add_case(
                desk.db,
                channel=channel,
                source_key=None,
                received_at=_iso(moment),
                category=rng.choice(categories),
                anonymous=rng.random() < 0.6,
                language="vi",
                body_key=body_key,
                reply_lookup=None,
                attachments=[],
            )
            _advance(desk.db, number, moment, rng)
        # About one activity of the plan for every ten cases, by every unit, under every task.
        for moment in sorted(start + timedelta(seconds=rng.uniform(0, span)) for _ in range(count // 10)):
            task = rng.choice(list(plan.TASKS))
            desk.db.execute(
                "INSERT INTO activities (task, kind, held_on, what, people, unit, recorded_at, recorded_by)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (task, rng.choice(list(plan.KINDS)), moment.date().isoformat(), "Hoạt động mẫu cho phép đo",
                 rng.randint(1, 60), rng.choice(list(UNITS)), _iso(moment), "bench"),
            )  # fmt: skip
    desk.db.close()
    return identity


def _advance(db, number: str, received: datetime, rng: random.Random) -> None:
    """Move a case some way through the workflow, with dates after its arrival, keeping its step history."""
    case = register.find_case(db, number)
    steps_taken = rng.choices(range(5), weights=(10, 10, 30, 30, 20))[0]
    fields: dict = {}
    moment = received
    status = "received"

    def move(action: str, **changed) -> None:
        nonlocal status
        changed["status_changed_at"] = _iso(moment)
        steps.record_change(db, case.id, action=action, before=status, fields=changed, at=_iso(moment))
        fields.update(changed)
        status = changed["status"]

    if steps_taken >= 1:
        moment += timedelta(days=rng.uniform(0.5, 12))
        within = rng.random() < 0.75
        move("classify", status="classified", competence="within" if within else "outside")
        if steps_taken >= 2:
            moment += timedelta(days=rng.uniform(0.5, 8))
            if within:
                unit = rng.choice(list(UNITS))
                move("assign", status="handling", unit=unit, unit_head=UNITS[unit], assigned_at=_iso(moment))
                if rng.random() < 0.1:  # a named denunciation accepted (thụ lý): the tố cáo track
                    accepted = {"track": "denunciation", "accepted_at": _iso(moment), "acceptance_ref": "01/QĐ"}
                    steps.record_change(db, case.id, action="accept", before=status, fields=accepted, at=_iso(moment))
                    fields.update(accepted)
            else:
                move("forward", status="forwarded", forwarded_to="Thanh tra tỉnh", forwarded_at=_iso(moment))
        if steps_taken >= 3:
            moment += timedelta(days=rng.uniform(3, 45))
            move("follow", status="following")
        if steps_taken >= 4:
            moment += timedelta(days=rng.uniform(1, 20))
            closed = "concluded" if rng.random() < 0.85 else "rejected"
            move("conclude", status=closed, closed_at=_iso(moment), outcome="Kết quả mẫu")
    if rng.random() < 0.03:
        fields["flags"] = rng.choice(list(workflow.FLAGS))
    if fields:
        register.update_case(db, case.id, **fields)
        if fields.get("track") == "denunciation":
            for recipient in ("denouncer", "denounced"):
                register.add_notice(
                    db, case.id, about="accepted", recipient=recipient, decided_at=fields["accepted_at"]
                )


def timed(args: list[str], env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "office", *args], env=env, capture_output=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"office {' '.join(args)} failed: {result.stderr.decode()}")
    return elapsed, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="desk-bench-") as temp:
        data = Path(temp) / "desk"
        started = time.perf_counter()
        fill(data, options.cases)
        filled = time.perf_counter() - started
        env = {**os.environ, "OFFICE_DATA": str(data), "OFFICE_USER": "bench"}
        print(
            f"Register of {options.cases} cases filled in {filled:.1f} s "
            f"({(data / 'register.sqlite').stat().st_size / 1e6:.1f} MB)"
        )
        commands = {
            "office list": ["list"],
            "office list --format json": ["list", "--format", "json"],
            "office due": ["due"],
            "office report (docx)": ["report", "--period", "2026-H1", "--out", str(Path(temp) / "r.docx")],
            "office report --unit (docx)": [
                "report",
                "--period",
                "2026-H1",
                "--unit",
                "Phòng Quản lý đầu tư",
                "--out",
                str(Path(temp) / "u.docx"),
            ],
            "office report (md)": ["report", "--period", "2026-H1", "--out", str(Path(temp) / "r.md")],
            "office report (csv)": ["report", "--period", "2026-H1", "--out", str(Path(temp) / "r.csv")],
        }
        floor, _ = timed(["--version"], env)
        print(f"  {'office --version (start-up floor)':<34} {floor:6.2f} s")
        figures = {"cases": options.cases, "fill_seconds": filled, "startup_seconds": floor, "commands": {}}
        for name, args in commands.items():
            elapsed, _ = timed(args, env)
            verdict = "ok" if elapsed < TARGET_SECONDS else f"SLOWER THAN {TARGET_SECONDS:.0f} s"
            print(f"  {name:<34} {elapsed:6.2f} s  {verdict}")
            figures["commands"][name] = elapsed
        json_rows = json.loads(
            subprocess.run(
                [sys.executable, "-m", "office", "list", "--format", "json"], env=env, capture_output=True, check=True
            ).stdout
        )
        assert len(json_rows) == options.cases
    if options.json:
        options.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
