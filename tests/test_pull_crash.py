"""``office pull`` killed with SIGKILL at random instants, then run again: each report exactly once."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from intake_function import envelope, objects, report
from intake_function.store import FileStore
from office.intake.pull import BATCH_REPORTS
from tests.conftest import run_office

REPORTS = 600
KILLS = 20


def put_quickly(store, recipient, attachments: list[bytes], description: str) -> tuple[str, bytes]:
    """Upload attachments then a report, encrypted in-process (the age CLI per object would be slow here)."""
    recipients = [envelope.parse_recipient(recipient)]
    references = []
    for data in attachments:
        sealed = envelope.encrypt(data, recipients)
        _, key = objects.new_attachment_key()
        store.put(key, sealed)
        references.append(
            {
                "key": key,
                "name": "tep.bin",
                "type": "application/octet-stream",
                "size": len(data),
                "sha256": hashlib.sha256(sealed).hexdigest(),
            }
        )
    document = {"schema": "report/1", "category": "waste", "description": description}
    if references:
        document["attachments"] = references
    plaintext = report.padded(document)
    _, key = objects.new_inbox_key()
    store.put(key, envelope.encrypt(plaintext, recipients))
    return key, plaintext


@pytest.mark.slow
def test_sigkill_at_random_points_loses_and_duplicates_nothing(store, store_url, office_key, tmp_path):
    rng = random.Random(os.getpid())
    expected = {}
    for n in range(REPORTS):
        attachments = [os.urandom(rng.randint(1, 100_000)) for _ in range(rng.choice((0, 0, 0, 1, 2)))]
        key, plaintext = put_quickly(store, office_key[1], attachments, f"Phản ánh số {n}")
        expected[key] = (plaintext, sorted(attachments))

    data = tmp_path / "desk"
    env = {**os.environ, "OFFICE_STORE": store_url, "OFFICE_IDENTITY": str(office_key[0]), "OFFICE_DATA": str(data)}
    assert run_office("init", "--recipients", office_key[1], env=env).returncode == 0
    command = [sys.executable, "-m", "office", "pull"]
    kills = 0
    for _ in range(KILLS):
        remaining = len(list(store.list("inbox/")))
        if remaining <= 2 * BATCH_REPORTS:
            break
        # Kill once the pull has finished one or two batches (its remote deletions show it), then a
        # random moment later, so that the kill lands anywhere in the next batch: copying files,
        # writing the register, deleting remotely.
        target = remaining - rng.randint(1, 2) * BATCH_REPORTS
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while process.poll() is None and len(list(store.list("inbox/"))) > target:
            time.sleep(0.01)
        time.sleep(rng.uniform(0, 0.04))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            kills += 1
        process.wait()
    final = run_office("pull", env={k: env[k] for k in ("OFFICE_STORE", "OFFICE_IDENTITY", "OFFICE_DATA")})
    assert final.returncode == 0, final.stderr.decode()
    assert kills >= 3, f"only {kills} pulls were interrupted: the kills come too late"
    print(f"{kills} pulls killed")

    db = sqlite3.connect(data / "register.sqlite")
    rows = db.execute("SELECT source_key, body_key, id FROM cases").fetchall()
    assert sorted(r[0] for r in rows) == sorted(expected), "a report was lost or registered twice"
    local = FileStore(Path(data) / "store")
    identities = envelope.load_identities(office_key[0], lambda: "")
    for source_key, body_key, case_id in rows:
        plaintext, attachments = expected[source_key]
        assert envelope.decrypt(local.get(body_key), identities) == plaintext
        keys = [r[0] for r in db.execute("SELECT key FROM attachments WHERE case_id = ?", (case_id,))]
        assert sorted(envelope.decrypt(local.get(k), identities) for k in keys) == attachments
    assert [i.key for i in store.list("")] == [objects.REGISTER_MARKER], "remote objects were left behind"
    assert list((Path(data) / "store" / ".tmp").iterdir()) == []
    # The audit trail names every case exactly once, however the pulls were cut, and its chain holds.
    registered = db.execute("SELECT case_number FROM audit WHERE action = 'register'").fetchall()
    numbers = db.execute("SELECT number FROM cases").fetchall()
    assert sorted(registered) == sorted(numbers)
    verified = run_office("audit", "verify", env={"OFFICE_DATA": env["OFFICE_DATA"]})
    assert verified.returncode == 0, verified.stdout.decode() + verified.stderr.decode()
