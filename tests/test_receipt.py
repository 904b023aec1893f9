"""Receipt codes and their derivation: RFC 5869 vectors, shared vectors, the age CLI as reference."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import pytest

from intake_function import codes, pages, receipt
from intake_function.envelope import bech32

VECTORS = json.loads((Path(receipt.__file__).with_name("schemas") / "receipt-vectors.json").read_text())


def test_hkdf_matches_rfc_5869_test_case_1():
    okm = receipt.hkdf_sha256(
        bytes.fromhex("0b" * 22), bytes.fromhex("000102030405060708090a0b0c"), bytes.fromhex("f0f1f2f3f4f5f6f7f8f9"), 42
    )
    assert okm.hex() == ("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865")


@pytest.mark.parametrize("vector", VECTORS["vectors"], ids=lambda v: v["code"])
def test_shared_vectors(vector):
    for form in (vector["code"], vector["written"]):  # without and with check characters: one secret
        derived = receipt.derive(form)
        assert derived.lookup_id == vector["lookup_id"]
        assert derived.reply_identity == vector["reply_identity"]
        assert derived.reply_recipient == vector["reply_recipient"]
        assert derived.followup_proof == vector["followup_proof"]
        assert derived.followup_commitment == vector["followup_commitment"]
    assert receipt.format_code(receipt.normalise(vector["code"])) == vector["written"]


def test_follow_up_proofs_match_an_independent_hkdf_and_prove_only_their_code():
    """The vectors' follow-up values, recomputed with another HKDF implementation (pyca/cryptography)."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    assert VECTORS["followup_info"] == "followup-proof"
    for vector in VECTORS["vectors"]:
        ikm = receipt.normalise(vector["code"]).encode()
        kdf = HKDF(hashes.SHA256(), 32, VECTORS["salt"].encode(), VECTORS["followup_info"].encode())
        proof = kdf.derive(ikm)
        assert proof.hex() == vector["followup_proof"]
        assert hashlib.sha256(proof).hexdigest() == vector["followup_commitment"]
        assert receipt.commitment(vector["followup_proof"]) == vector["followup_commitment"]
        # Each derived value is independent of the others: none is another's prefix or hash.
        assert vector["lookup_id"] not in vector["followup_proof"]
    proofs = {v["followup_proof"] for v in VECTORS["vectors"]}
    assert len(proofs) == len(VECTORS["vectors"])


def test_typed_codes_are_forgiven_their_form():
    for case in VECTORS["normalise"]:
        assert receipt.normalise(case["typed"]) == case["data"]


@pytest.mark.parametrize("case", VECTORS["invalid"], ids=lambda c: c["typed"])
def test_a_refused_code_names_what_is_wrong_and_where(case):
    with pytest.raises(receipt.ReceiptCodeError) as caught:
        receipt.normalise(case["typed"])
    assert (caught.value.kind, list(caught.value.groups)) == (case["kind"], case["groups"])
    text = pages.code_problem(caught.value.kind, caught.value.groups, "vi")
    if case["groups"]:  # "thứ 2", "thứ 2 và 3", "thứ 1, 2, 3 và 4": each group named once, "thứ" once
        numbers = [str(g) for g in case["groups"]]
        listed = ", ".join(numbers[:-1]) + " và " + numbers[-1] if len(numbers) > 1 else numbers[0]
        assert f"thứ {listed}" in text


def test_every_slip_of_one_character_or_one_swap_is_caught_in_its_group():
    """Exhaustive over a few codes: each wrong character, each adjacent swap, each pair of groups."""
    for _ in range(20):
        written = receipt.new_code()
        compact = written.replace("-", "")
        for position, original in enumerate(compact):
            for char in codes.ALPHABET.replace(original, ""):
                with pytest.raises(receipt.ReceiptCodeError) as caught:
                    receipt.normalise(compact[:position] + char + compact[position + 1 :])
                assert (caught.value.kind, caught.value.groups) == ("check", (position // 6 + 1,))
        for position in range(len(compact) - 1):
            if compact[position] != compact[position + 1]:
                swapped = compact[:position] + compact[position + 1] + compact[position] + compact[position + 2 :]
                with pytest.raises(receipt.ReceiptCodeError):
                    receipt.normalise(swapped)
        groups = written.split("-")
        for first in range(4):
            for second in range(first + 1, 4):
                moved = list(groups)
                moved[first], moved[second] = moved[second], moved[first]
                with pytest.raises(receipt.ReceiptCodeError) as caught:
                    receipt.normalise("-".join(moved))
                assert (caught.value.kind, caught.value.groups) == ("swapped", (first + 1, second + 1))


def test_new_codes_are_random_and_well_formed():
    seen = {receipt.new_code() for _ in range(2000)}
    assert len(seen) == 2000
    for code in list(seen)[:50]:
        assert len(code) == 27 and [len(g) for g in code.split("-")] == [6, 6, 6, 6]
        assert receipt.format_code(receipt.normalise(code)) == code
    # Every data position takes many values: 5 bits each, no fixed padding bits (100 bits in all).
    for position in range(20):
        assert len({receipt.normalise(c)[position] for c in seen}) > 25


def test_reply_identity_works_with_the_age_cli(tmp_path, age_cli):
    derived = receipt.derive(VECTORS["vectors"][2]["written"])
    key = tmp_path / "reply.txt"
    key.write_text(derived.reply_identity + "\n")
    public = subprocess.run(["age-keygen", "-y", str(key)], check=True, capture_output=True, text=True).stdout
    assert public.strip() == derived.reply_recipient
    sealed = subprocess.run(["age", "-r", derived.reply_recipient], input=b"tra loi", check=True, capture_output=True)
    opened = subprocess.run(["age", "-d", "-i", str(key)], input=sealed.stdout, check=True, capture_output=True)
    assert opened.stdout == b"tra loi"


def test_bech32_known_answer():
    # BIP 173's valid test string "a12uel5l": the empty payload under human-readable part "a".
    assert bech32.encode("a", b"") == "a12uel5l"
    assert bech32.decode("A12UEL5L") == ("a", b"")
    for bad in ("a12uel5m", "A12uel5l", "a1", "12uel5l"):
        with pytest.raises(ValueError):
            bech32.decode(bad)
    assert codes.encode_int(0, 4) == "0000"
