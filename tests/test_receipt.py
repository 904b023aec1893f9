"""Receipt codes and their derivation: RFC 5869 vectors, shared vectors, the age CLI as reference."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from intake_function import codes, receipt

VECTORS = json.loads((Path(receipt.__file__).with_name("schemas") / "receipt-vectors.json").read_text())


def test_hkdf_matches_rfc_5869_test_case_1():
    okm = receipt.hkdf_sha256(
        bytes.fromhex("0b" * 22), bytes.fromhex("000102030405060708090a0b0c"), bytes.fromhex("f0f1f2f3f4f5f6f7f8f9"), 42
    )
    assert okm.hex() == ("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865")


@pytest.mark.parametrize("vector", VECTORS["vectors"], ids=lambda v: v["code"])
def test_shared_vectors(vector):
    derived = receipt.derive(vector["code"])
    assert derived.lookup_id == vector["lookup_id"]
    assert derived.reply_identity == vector["reply_identity"]
    assert derived.reply_recipient == vector["reply_recipient"]


def test_typed_codes_are_forgiven_their_form():
    for case in VECTORS["normalise"]:
        assert receipt.format_code(receipt.normalise(case["typed"])) == case["code"]


def test_a_wrong_group_is_named():
    with pytest.raises(receipt.ReceiptCodeError, match="20 characters"):
        receipt.normalise("QTA99-J7HJR-XBVMX-DAWS")
    with pytest.raises(receipt.ReceiptCodeError, match="group 3"):
        receipt.normalise("QTA99-J7HJR-XBVUX-DAWSM")


def test_new_codes_are_random_and_well_formed():
    seen = {receipt.new_code() for _ in range(2000)}
    assert len(seen) == 2000
    for code in list(seen)[:50]:
        assert len(code) == 23 and code.count("-") == 3
        assert receipt.normalise(code) == code.replace("-", "")
    # Every character position takes many values: 5 bits each, no fixed padding bits.
    for position in range(20):
        assert len({c.replace("-", "")[position] for c in seen}) > 25


def test_reply_identity_works_with_the_age_cli(tmp_path, age_cli):
    derived = receipt.derive(VECTORS["vectors"][2]["code"])
    key = tmp_path / "reply.txt"
    key.write_text(derived.reply_identity + "\n")
    public = subprocess.run(["age-keygen", "-y", str(key)], check=True, capture_output=True, text=True).stdout
    assert public.strip() == derived.reply_recipient
    sealed = subprocess.run(["age", "-r", derived.reply_recipient], input=b"tra loi", check=True, capture_output=True)
    opened = subprocess.run(["age", "-d", "-i", str(key)], input=sealed.stdout, check=True, capture_output=True)
    assert opened.stdout == b"tra loi"


def test_bech32_known_answer():
    # BIP 173's valid test string "a12uel5l": the empty payload under human-readable part "a".
    assert receipt.bech32_encode("a", b"") == "a12uel5l"
    assert codes.encode_int(0, 4) == "0000"
