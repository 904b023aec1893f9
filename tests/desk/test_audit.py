"""The audit trail: every view, reveal, change, reply and export chained by SHA-256; tampering is found and named."""

from __future__ import annotations

import json
import shutil
import sqlite3

import pytest

from tests.desk.conftest import NAME, add, data_dir, office


@pytest.fixture(scope="module")
def trail_template(tmp_path_factory, office_key) -> dict[str, str]:
    """A register with audit entries of every kind, made once for this module."""
    desk_env = {
        "OFFICE_DATA": str(tmp_path_factory.mktemp("trail") / "desk"),
        "OFFICE_IDENTITY": str(office_key[0]),
        "OFFICE_RECIPIENTS": office_key[1],
        "OFFICE_USER": "can-bo-van-phong",
    }
    office("init", env=desk_env)
    number = add(
        desk_env, "--channel", "reception", "--category", "waste", "--description", "Lãng phí.", "--name", NAME
    )
    office("show", number, "--reason", "đọc hồ sơ", env=desk_env)
    office("reveal", number, "--reason", "mời làm việc", "--by", "Chánh Văn phòng", env=desk_env)
    office("classify", number, "--competence", "within", env=desk_env)
    office("assign", number, "--unit", "Văn phòng Ban", "--head", "B", env=desk_env)
    office("notify", number, "--how", "gọi điện", env=desk_env)
    refused = office("show", number, "--format", "json", env=desk_env, ok=False)
    assert refused.returncode != 0 and "--reason" in refused.stderr.decode()  # identity inside: say why
    office("show", number, "--format", "json", "--reason", "chuyển sang hệ thống lưu trữ", env=desk_env)
    return desk_env


@pytest.fixture
def trail_env(trail_template, tmp_path) -> dict[str, str]:
    """A copy of the template's data folder for one test to tamper with."""
    shutil.copytree(trail_template["OFFICE_DATA"], tmp_path / "desk")
    return {**trail_template, "OFFICE_DATA": str(tmp_path / "desk")}


def _db(env) -> sqlite3.Connection:
    return sqlite3.connect(data_dir(env) / "register.sqlite", isolation_level=None)


def _verify(env):
    return office("audit", "verify", env=env, ok=False)


def test_every_kind_of_access_is_recorded_with_who_and_why(trail_env):
    made, *trail = json.loads(office("audit", "list", "--format", "json", env=trail_env).stdout)
    assert made["action"] == "init" and made["reason"] == "lập sổ theo dõi"  # office init opens the trail
    assert [e["action"] for e in trail] == ["register", "view", "reveal", "change", "change", "reply", "view-full"]
    assert trail[2]["who"] == "Chánh Văn phòng" and trail[2]["reason"] == "mời làm việc"
    assert trail[1]["who"] == "can-bo-van-phong" and trail[1]["reason"] == "đọc hồ sơ"
    assert trail[-1]["reason"] == "chuyển sang hệ thống lưu trữ" and trail[-1]["details"]["includes_identity"]
    assert all(e["at"].endswith("Z") for e in trail)
    ok = _verify(trail_env)
    assert ok.returncode == 0 and "8 entries" in ok.stdout.decode()
    assert trail[-1]["hash"] in ok.stdout.decode()  # the head to write down
    text = office("audit", "list", env=trail_env).stdout.decode()
    assert "Xem danh tính người phản ánh / revealed the reporter's identity" in text


def test_an_edited_entry_is_named(trail_env):
    _db(trail_env).execute("UPDATE audit SET reason = 'chỉ xem qua' WHERE seq = 3")
    result = _verify(trail_env)
    assert result.returncode == 1
    assert "entry 3 was edited" in result.stdout.decode()
    assert "entry 4" not in result.stdout.decode()  # the rest of the chain still checks out


def test_an_entry_edited_with_its_hash_recomputed_breaks_the_next_link(trail_env):
    from office.register.audit import entry_hash

    db = _db(trail_env)
    row = db.execute("SELECT * FROM audit WHERE seq = 2").fetchone()
    forged = entry_hash(row[7], 2, row[1], "người khác", row[3], row[4], row[5], row[6])
    db.execute("UPDATE audit SET who = 'người khác', hash = ? WHERE seq = 2", (forged,))
    assert "entry 3 does not follow the entry before it" in _verify(trail_env).stdout.decode()


def test_a_deleted_entry_is_named(trail_env):
    _db(trail_env).execute("DELETE FROM audit WHERE seq = 4")
    out = _verify(trail_env).stdout.decode()
    assert "entry 4 is missing" in out and "entry 5 does not follow" in out


def test_reordered_entries_are_named(trail_env):
    db = _db(trail_env)
    # Swap entries 2 and 3 whole, keeping only their sequence numbers in place.
    db.execute("UPDATE audit SET seq = -2 WHERE seq = 2")
    db.execute("UPDATE audit SET seq = 2 WHERE seq = 3")
    db.execute("UPDATE audit SET seq = 3 WHERE seq = -2")
    out = _verify(trail_env).stdout.decode()
    assert "entry 2 does not follow" in out and "entry 3 does not follow" in out


def test_entries_cut_off_the_end_are_found(trail_env):
    _db(trail_env).execute("DELETE FROM audit WHERE seq >= 6")
    out = _verify(trail_env).stdout.decode()
    assert "ends at entry 5 but the register's head records entry 8" in out
