"""``office pull`` killed with SIGKILL at random instants, then run again: each report exactly once."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from intake_function import envelope
from intake_function.store import FileStore
from tests.conftest import run_office
from tests.test_office import put_report

REPORTS = 400
KILLS = 14


@pytest.mark.slow
def test_sigkill_at_random_points_loses_and_duplicates_nothing(store, store_url, office_key, tmp_path):
    rng = random.Random(os.getpid())
    expected = {}
    for n in range(REPORTS):
        attachments = [os.urandom(rng.randint(1, 200_000)) for _ in range(rng.choice((0, 0, 1, 2)))]
        key, plaintext, _ = put_report(store, office_key[1], attachments, description=f"Phản ánh số {n}")
        expected[key] = (plaintext, sorted(attachments))

    data = tmp_path / "desk"
    env = {**os.environ, "OFFICE_STORE": store_url, "OFFICE_IDENTITY": str(office_key[0]), "OFFICE_DATA": str(data)}
    command = [sys.executable, "-m", "office", "pull"]
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "office", "list", "--data", str(tmp_path / "empty")], check=True, capture_output=True
    )
    startup = time.perf_counter() - started  # interpreter and imports: kills before that hit nothing
    kills = 0
    for _ in range(KILLS):
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(startup + rng.uniform(0, 0.8))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            kills += 1
        process.wait()
        if not list(store.list("inbox/")):
            break
    final = run_office("pull", env={k: env[k] for k in ("OFFICE_STORE", "OFFICE_IDENTITY", "OFFICE_DATA")})
    assert final.returncode == 0, final.stderr.decode()
    assert kills >= 3, "the pulls finished too fast to be interrupted: add reports"

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
    assert list(store.list("")) == [], "remote objects were left behind"
    assert list((Path(data) / "store" / ".tmp").iterdir()) == []
