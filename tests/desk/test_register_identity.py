"""No second register by accident: pull, add and import refuse a folder without a register, and the wrong one.

Only ``office init`` (or ``pull --init``) makes a register; it marks the store with the register's
identity. A pull, an import or a copy for the offline computer into any other folder is refused
before anything is created or deleted: the store keeps every report for the real register.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from intake_function import objects
from intake_function.store import open_store
from office.register import identity
from tests.conftest import ROOT
from tests.desk.conftest import listed, office
from tests.test_office import put_report

LEGACY = ROOT / "tests" / "data" / "legacy-register"


def keys_of(store) -> set[str]:
    return {info.key for info in store.list("")}


@pytest.fixture
def two_folders(tmp_path, office_key, store_url):
    """The Office's register, bound to the store, and a wrong folder next to it; a report waiting."""
    store = open_store(store_url)
    put_report(store, office_key[1], [b"tep dinh kem"])
    right = {
        "OFFICE_STORE": store_url,
        "OFFICE_IDENTITY": str(office_key[0]),
        "OFFICE_RECIPIENTS": office_key[1],
        "OFFICE_DATA": str(tmp_path / "van-phong"),
    }
    office("init", env=right)
    return store, right, {**right, "OFFICE_DATA": str(tmp_path / "thu-muc-sai")}


def test_pull_add_and_import_refuse_a_folder_without_a_register(two_folders, tmp_path):
    store, _, wrong = two_folders
    before = keys_of(store)
    transfer = tmp_path / "usb"
    office("pull", "--encrypted-only", "--to", str(transfer), env={"OFFICE_STORE": wrong["OFFICE_STORE"]})
    for args in (
        ["pull"],
        ["pull", "--keep-remote"],
        ["add", "--channel", "hotline", "--category", "waste", "--description", "Gọi điện phản ánh."],
        ["import", str(transfer)],
    ):
        refused = office(*args, env=wrong, ok=False)
        err = refused.stderr.decode()
        assert refused.returncode == 1 and "không có sổ theo dõi" in err and "office init" in err, args
        assert not Path(wrong["OFFICE_DATA"]).exists(), f"{args}: a register was started"
    assert keys_of(store) == before, "something was deleted from the store"


def test_a_register_that_is_not_the_stores_is_refused_and_nothing_is_deleted(two_folders, tmp_path, office_key):
    store, right, wrong = two_folders
    office("init", "--store", "", env={**wrong, "OFFICE_STORE": ""})  # a second register, made on purpose
    before = keys_of(store)
    refused = office("pull", env=wrong, ok=False)
    err = refused.stderr.decode()
    assert refused.returncode == 1 and "cấp phản ánh cho một sổ khác" in err
    right_id = sqlite3.connect(Path(right["OFFICE_DATA"]) / "register.sqlite").execute(
        "SELECT value FROM meta WHERE key = 'register_id'"
    )
    assert right_id.fetchone()[0][:8] in err, "the message says which register the store feeds"
    assert "Nothing was registered or deleted" in err
    assert keys_of(store) == before and listed(wrong) == []
    assert len(listed({**right})) == 0
    office("pull", env=right)
    assert len(listed(right)) == 1 and keys_of(store) == {objects.REGISTER_MARKER}


def test_init_refuses_a_second_register_for_a_marked_store(two_folders):
    store, right, wrong = two_folders
    refused = office("init", env=wrong, ok=False)
    assert refused.returncode == 1 and "không lập sổ thứ hai" in refused.stderr.decode()
    assert not Path(wrong["OFFICE_DATA"]).exists()
    refused = office("pull", "--init", env=wrong, ok=False)
    assert refused.returncode == 1 and "không lập sổ thứ hai" in refused.stderr.decode()
    assert not Path(wrong["OFFICE_DATA"]).exists()
    marker = identity.parse_marker(store.get(objects.REGISTER_MARKER))
    db = sqlite3.connect(Path(right["OFFICE_DATA"]) / "register.sqlite")
    assert db.execute("SELECT value FROM meta WHERE key = 'register_id'").fetchone()[0] == marker.register


def test_import_refuses_a_folder_copied_for_another_register(two_folders, tmp_path, office_key):
    _, right, wrong = two_folders
    transfer = tmp_path / "usb"
    office("pull", "--encrypted-only", "--to", str(transfer), env={"OFFICE_STORE": right["OFFICE_STORE"]})
    assert (transfer / objects.REGISTER_MARKER).is_file(), "the copy carries the store's marker"
    offline = {k: v for k, v in wrong.items() if k != "OFFICE_STORE"}
    office("init", env=offline)
    refused = office("import", str(transfer), env=offline, ok=False)
    assert refused.returncode == 1 and "cấp phản ánh cho một sổ khác" in refused.stderr.decode()
    assert not (transfer / "imported.txt").exists() and listed(offline) == []


def test_a_legacy_register_claims_its_store_on_its_first_pull(tmp_path, office_key):
    """A register of the release before markers pulls as before, and marks its store on the way."""
    shutil.copytree(LEGACY / "desk", tmp_path / "desk")
    store = open_store((tmp_path / "store").as_uri())
    recipient = subprocess.run(
        ["age-keygen", "-y", str(LEGACY / "identity.txt")], check=True, capture_output=True, text=True
    ).stdout.strip()
    put_report(store, recipient)
    env = {
        "OFFICE_STORE": store.url,
        "OFFICE_IDENTITY": str(LEGACY / "identity.txt"),
        "OFFICE_DATA": str(tmp_path / "desk"),
    }
    office("pull", env=env)
    assert len(listed(env)) == 6
    marker = identity.parse_marker(store.get(objects.REGISTER_MARKER))
    db = sqlite3.connect(tmp_path / "desk" / "register.sqlite")
    meta = dict(db.execute("SELECT key, value FROM meta"))
    assert meta["register_id"] == marker.register and meta["store_claim"] == "bound"
    trail = json.loads(office("audit", "list", "--format", "json", env=env).stdout)
    (bound,) = [e for e in trail if e["action"] == "init"]  # before the new case's entry
    assert bound["details"]["store"] == store.url and trail[-1]["action"] == "register"
    assert office("audit", "verify", env=env).returncode == 0
    # A second store, unmarked, is not claimed silently: binding it is a decision (office init --store).
    other = open_store((tmp_path / "other-store").as_uri())
    refused = office("pull", env={**env, "OFFICE_STORE": other.url}, ok=False)
    assert refused.returncode == 1 and "office init --store" in refused.stderr.decode()
    assert keys_of(other) == set()


@pytest.mark.parametrize(
    "data",
    [b"{}", b"not json", b'{"schema": "office-register/1", "register": "x"}', b"x" * 5000],
)
def test_a_damaged_marker_stops_the_pull(tmp_path, office_key, data):
    store = open_store((tmp_path / "store").as_uri())
    env = {
        "OFFICE_STORE": store.url,
        "OFFICE_IDENTITY": str(office_key[0]),
        "OFFICE_RECIPIENTS": office_key[1],
        "OFFICE_DATA": str(tmp_path / "desk"),
    }
    office("init", env=env)
    store.put(objects.REGISTER_MARKER, data)
    put_report(store, office_key[1])
    refused = office("pull", env=env, ok=False)
    assert refused.returncode == 1 and "bị hỏng" in refused.stderr.decode()
    assert len(list(store.list(objects.INBOX))) == 1


def test_the_marker_is_outside_everything_the_function_touches():
    marker = objects.REGISTER_MARKER
    assert objects.is_safe_key(marker)
    for pattern in (objects.INBOX_KEY_RE, objects.ATTACHMENT_KEY_RE, objects.OUTBOX_KEY_RE):
        assert not pattern.match(marker)
    assert not marker.startswith((objects.INBOX, objects.ATTACHMENTS, objects.OUTBOX, objects.POW))


def test_the_marker_names_the_register_and_nothing_of_the_offices_computer(tmp_path, office_key):
    """Whoever can read the bucket learns a random id and a day, never the Office's folder or computer
    name; a marker written by an earlier release is rewritten without them at the next pull."""
    import platform

    store = open_store((tmp_path / "store").as_uri())
    env = {
        "OFFICE_STORE": store.url,
        "OFFICE_IDENTITY": str(office_key[0]),
        "OFFICE_RECIPIENTS": office_key[1],
        "OFFICE_DATA": str(tmp_path / "desk-of-nguyen-van-a"),
    }
    office("init", env=env)
    raw = store.get(objects.REGISTER_MARKER)
    assert set(json.loads(raw)) == {"schema", "register", "created"}
    for leak in ("desk-of-nguyen-van-a", str(tmp_path), platform.node()):
        assert leak.encode() not in raw
    marker = identity.parse_marker(raw)
    legacy = {
        "schema": "office-register/1",
        "register": marker.register,
        "created": marker.created,
        "folder": env["OFFICE_DATA"],
        "computer": platform.node(),
    }
    store.put(objects.REGISTER_MARKER, json.dumps(legacy).encode())
    put_report(store, office_key[1])
    office("pull", env=env)
    assert len(listed(env)) == 1, "the earlier release's marker is still this register's"
    rewritten = store.get(objects.REGISTER_MARKER)
    assert json.loads(rewritten) == {
        "schema": "office-register/2",
        "register": marker.register,
        "created": marker.created,
    }
    trail = office("audit", "list", env=env).stdout.decode()
    assert "without the folder path and computer name" in trail
    # An unknown field is refused, not carried along.
    store.put(objects.REGISTER_MARKER, json.dumps({**json.loads(rewritten), "folder": "x"}).encode())
    refused = office("pull", env=env, ok=False)
    assert refused.returncode == 1 and "bị hỏng" in refused.stderr.decode()
