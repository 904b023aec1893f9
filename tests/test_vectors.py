"""Every test vector of the reference (C2SP's CCTV age suite, npm ``cctv-age``) against our decryptor.

Each vector names what opening it must give: ``success`` (the payload's SHA-256),
or the stage that fails: ``armor failure``, ``header failure``, ``no match``,
``HMAC failure``, ``payload failure``. For a payload failure, what our decryptor
released before the damage must hash to ``payload`` too. The vectors come from
the package web/package.json pins (web/node_modules, installed by scripts/setup.sh).
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import zlib
from dataclasses import dataclass, field

import pytest

from intake_function import envelope
from intake_function.envelope import scrypt
from tests.conftest import ROOT

VECTORS = ROOT / "web" / "node_modules" / "cctv-age" / "index.js"
STAGES = {
    "armor failure": envelope.ArmorError,
    "header failure": envelope.HeaderError,
    "no match": envelope.NoMatchError,
    "HMAC failure": envelope.MacError,
    "payload failure": envelope.PayloadError,
}


@dataclass
class Vector:
    name: str
    expect: str
    payload: str | None
    identities: list[str] = field(default_factory=list)
    passphrases: list[str] = field(default_factory=list)
    armored: bool = False
    file: bytes = b""


def load_vectors() -> list[Vector]:
    source = VECTORS.read_text(encoding="utf-8")
    found = re.findall(r'// \.\./testdata/(\S+)\nvar \w+ = __toBinary\("([A-Za-z0-9+/=]*)"\);', source)
    vectors = []
    for name, encoded in found:
        head, _, body = base64.b64decode(encoded).partition(b"\n\n")
        fields: dict[str, list[str]] = {}
        for line in head.decode("utf-8").split("\n"):
            key, _, value = line.partition(": ")
            fields.setdefault(key, []).append(value)
        if fields.get("compressed") == ["zlib"]:
            body = zlib.decompress(body)
        vectors.append(
            Vector(
                name,
                fields["expect"][0],
                fields.get("payload", [None])[0],
                fields.get("identity", []),
                fields.get("passphrase", []),
                fields.get("armored") == ["yes"],
                body,
            )
        )
    return vectors


ALL = load_vectors() if VECTORS.exists() else []


def test_the_whole_suite_is_there():
    assert VECTORS.exists(), "web/node_modules/cctv-age is missing: run scripts/setup.sh test"
    assert len(ALL) == 143
    kinds = {v.expect for v in ALL}
    assert kinds == {"success", *STAGES}
    assert sum(v.name.startswith("hybrid") for v in ALL) >= 15


@pytest.mark.parametrize("vector", ALL, ids=[v.name for v in ALL])
def test_vector(vector: Vector):
    identities = [envelope.parse_identity(text) for text in vector.identities]
    identities += [scrypt.Identity(p) for p in vector.passphrases]
    # An armored vector is read through the armor, as a file the Office knows to be armored;
    # a file that merely starts like one is recognised by decrypt_stream itself.
    source = io.BytesIO(vector.file)
    if vector.armored:
        source = envelope.armor.Reader(io.BufferedReader(source))
    released = io.BytesIO()
    if vector.expect == "success":
        envelope.decrypt_stream(source, released, identities)
        assert envelope.decrypt(vector.file, identities) == released.getvalue()
    else:
        with pytest.raises(STAGES[vector.expect]):
            envelope.decrypt_stream(source, released, identities)
    if vector.payload is not None:
        assert hashlib.sha256(released.getvalue()).hexdigest() == vector.payload
