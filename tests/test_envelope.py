"""The envelope module against the reference ``age`` CLI, and its keyless structural check."""

from __future__ import annotations

import base64
import io
import os
import subprocess
import sys
import textwrap

import pexpect
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from intake_function import envelope
from tests.conftest import age_decrypt, age_encrypt

VIETNAMESE = "Báo cáo tố giác: lãng phí ngân sách – Phường Mỹ Bình, Long Xuyên ✓".encode()


def test_our_envelope_opens_with_age_cli(office_key, second_key):
    identity, recipient = office_key
    sealed = envelope.encrypt(VIETNAMESE, envelope.parse_recipients(f"{recipient}, {second_key[1]}"))
    assert age_decrypt(sealed, identity) == VIETNAMESE
    assert age_decrypt(sealed, second_key[0]) == VIETNAMESE  # the backup key opens it too
    envelope.check_envelope(sealed)


def test_age_cli_envelope_opens_with_our_module(office_key):
    identity, recipient = office_key
    sealed = age_encrypt(VIETNAMESE, recipient)
    assert envelope.check_envelope(sealed).x25519_stanzas == 1
    identities = envelope.load_identities(identity, ask_passphrase=lambda: pytest.fail("no passphrase expected"))
    assert envelope.decrypt(sealed, identities) == VIETNAMESE


def test_wrong_key_is_a_clear_error(office_key, second_key):
    sealed = age_encrypt(b"x", office_key[1])
    others = envelope.load_identities(second_key[0], lambda: "")
    with pytest.raises(envelope.EnvelopeError, match="cannot decrypt"):
        envelope.decrypt(sealed, others)


def test_streams_round_trip_with_age_cli(office_key, tmp_path):
    identity, recipient = office_key
    data = os.urandom(3 * 1024 * 1024 + 17)
    plain = tmp_path / "plain.bin"
    plain.write_bytes(data)
    with plain.open("rb") as src, (tmp_path / "ours.age").open("wb") as dst:
        envelope.encrypt_stream(src, dst, [envelope.parse_recipient(recipient)])
    out = subprocess.run(
        ["age", "-d", "-i", str(identity), str(tmp_path / "ours.age")], check=True, capture_output=True
    ).stdout
    assert out == data
    subprocess.run(["age", "-r", recipient, "-o", str(tmp_path / "cli.age"), str(plain)], check=True)
    sink = io.BytesIO()
    with (tmp_path / "cli.age").open("rb") as src:
        envelope.decrypt_stream(src, sink, envelope.load_identities(identity, lambda: ""))
    assert sink.getvalue() == data


def test_stream_decryption_keeps_memory_flat(office_key, tmp_path):
    """Decrypting 256 MiB must not hold it in memory: peak RSS stays far below the file size."""
    identity, recipient = office_key
    big = tmp_path / "big.age"
    with big.open("wb") as out:
        age = subprocess.Popen(["age", "-r", recipient], stdin=subprocess.PIPE, stdout=out)
        for _ in range(256):
            age.stdin.write(bytes(1024 * 1024))
        age.stdin.close()
        assert age.wait() == 0
    script = textwrap.dedent(
        f"""
        from pathlib import Path
        from intake_function import envelope
        ids = envelope.load_identities(Path({str(identity)!r}), lambda: "")
        class Sink:
            n = 0
            def write(self, b):
                self.n += len(b)
                return len(b)
        sink = Sink()
        with open({str(big)!r}, "rb") as src:
            envelope.decrypt_stream(src, sink, ids)
        # VmHWM is this process's own peak; ru_maxrss would include the parent's, from the fork.
        peak = next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:"))
        print(sink.n, peak)
        """
    )
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True).stdout
    size, peak_kib = map(int, out.split())
    assert size == 256 * 1024 * 1024
    assert peak_kib < 120 * 1024, f"peak RSS {peak_kib} KiB while decrypting 256 MiB"


# --- identities -----------------------------------------------------------------------------


def test_plain_identity_file_is_age_keygen_format(tmp_path, age_cli):
    identity = envelope.generate_identity()
    path = tmp_path / "id.txt"
    path.write_text(envelope.identity_file_text(identity, "2026-11-26T00:00:00Z"))
    derived = subprocess.run(["age-keygen", "-y", str(path)], check=True, capture_output=True, text=True)
    assert derived.stdout.strip() == str(identity.to_public())


def test_passphrase_identity_opens_with_age_cli(tmp_path, age_cli):
    """Our protected identity file is what `age -p` writes: the age CLI uses it after a prompt."""
    identity = envelope.generate_identity()
    path = tmp_path / "id.age"
    path.write_bytes(envelope.protect_with_passphrase(envelope.identity_file_text(identity, "now"), "đúng ngựa pin"))
    sealed = envelope.encrypt(VIETNAMESE, [identity.to_public()])
    (tmp_path / "r.age").write_bytes(sealed)
    child = pexpect.spawn("age", ["-d", "-i", str(path), "-o", str(tmp_path / "out"), str(tmp_path / "r.age")])
    child.expect("passphrase")
    child.sendline("đúng ngựa pin")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert (tmp_path / "out").read_bytes() == VIETNAMESE


def test_identity_protected_by_age_cli_loads_here(tmp_path, age_cli):
    """An identity file encrypted by `age -p` itself is read after asking for the passphrase."""
    identity = envelope.generate_identity()
    plain = tmp_path / "plain.txt"
    plain.write_text(envelope.identity_file_text(identity, "now"))
    protected = tmp_path / "id.age"
    child = pexpect.spawn("age", ["-p", "-o", str(protected), str(plain)])
    for _ in range(2):
        child.expect("passphrase")
        child.sendline("mật khẩu dài đủ")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    asked = []
    loaded = envelope.load_identities(protected, lambda: asked.append(1) or "mật khẩu dài đủ")
    assert asked == [1]
    assert str(loaded[0].to_public()) == str(identity.to_public())
    with pytest.raises(envelope.EnvelopeError, match="passphrase does not open"):
        envelope.load_identities(protected, lambda: "sai mật khẩu")


def test_bad_recipients_are_named():
    with pytest.raises(envelope.EnvelopeError, match="not an age X25519 recipient"):
        envelope.parse_recipients("age1qqq")
    with pytest.raises(envelope.EnvelopeError, match="no recipient"):
        envelope.parse_recipients(" , ")
    r = str(envelope.generate_identity().to_public())
    with pytest.raises(envelope.EnvelopeError, match="twice"):
        envelope.parse_recipients(f"{r},{r}")


def test_fingerprint_is_stable_and_readable():
    r = "age1mtll6xcl672t0tyx40wea8642m9tfamd23yepx4rwv2rszq7t4zqjzgl00"
    assert envelope.fingerprint(r) == "NVVE-BJE0-Y9BN-CPYN"
    assert envelope.fingerprint(r + " ") == envelope.fingerprint(r)


# --- structural check of untrusted input --------------------------------------------------------


def _sealed(recipient: str, size: int = 100) -> bytes:
    return age_encrypt(os.urandom(size), recipient)


def test_check_accepts_every_size_boundary(office_key):
    for size in (0, 1, 65535, 65536, 65537, 2 * 65536):
        envelope.check_envelope(_sealed(office_key[1], size))


@pytest.mark.parametrize("cut", [1, 15, 16, 17, 100, 4464, 4470, 4480, 4500])
def test_truncation_is_refused_by_the_check_or_by_decryption(office_key, cut):
    identities = envelope.load_identities(office_key[0], lambda: "")
    sealed = _sealed(office_key[1], 70000)[:-cut]
    # 70000 bytes = one full chunk + 4464 bytes (+16 tag): cutting 4470 leaves a last chunk
    # shorter than a tag, and cutting 4464 leaves an empty final chunk after a full one.
    if cut in (4464, 4470):
        with pytest.raises(envelope.EnvelopeError, match="truncated"):
            envelope.check_envelope(sealed)
    with pytest.raises(envelope.EnvelopeError):
        envelope.check_envelope(sealed)
        envelope.decrypt(sealed, identities)


def test_check_refuses_trailing_bytes_after_a_full_chunk(office_key):
    sealed = _sealed(office_key[1], 65536)
    with pytest.raises(envelope.EnvelopeError):
        envelope.check_envelope(sealed + os.urandom(16))


def test_check_refuses_armor_passphrase_and_ssh(office_key, tmp_path):
    armored = subprocess.run(["age", "-a", "-r", office_key[1]], input=b"x", check=True, capture_output=True).stdout
    with pytest.raises(envelope.EnvelopeError, match="armored"):
        envelope.check_envelope(armored)
    scrypt = envelope.protect_with_passphrase("secret", "pass phrase")
    with pytest.raises(envelope.EnvelopeError, match="scrypt"):
        envelope.check_envelope(scrypt)
    header = (
        b"age-encryption.org/v1\n-> ssh-ed25519 abc " + b"A" * 43 + b"\n" + b"A" * 43 + b"\n--- " + b"A" * 43 + b"\n"
    )
    with pytest.raises(envelope.EnvelopeError, match="ssh-ed25519"):
        envelope.check_envelope(header + os.urandom(40))


def test_check_refuses_oversized_header(office_key):
    sealed = _sealed(office_key[1])
    stanza = b"-> X25519 " + base64.b64encode(os.urandom(32)).rstrip(b"=") + b"\n"
    stanza += base64.b64encode(os.urandom(32)).rstrip(b"=") + b"\n"
    bloated = envelope.MAGIC + stanza * 100 + sealed[len(envelope.MAGIC) :]
    with pytest.raises(envelope.EnvelopeError):
        envelope.check_envelope(bloated)


def test_check_refuses_non_canonical_base64(office_key):
    sealed = bytearray(_sealed(office_key[1]))
    line_end = sealed.index(b"\n", len(envelope.MAGIC))
    sealed[line_end - 1 : line_end] = b"="  # padding is forbidden in age's base64
    with pytest.raises(envelope.EnvelopeError):
        envelope.check_envelope(bytes(sealed))


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=400))
def test_check_only_ever_raises_envelope_error(data):
    try:
        envelope.check_envelope(envelope.MAGIC + data)
    except envelope.EnvelopeError:
        pass
    try:
        envelope.check_envelope(data)
    except envelope.EnvelopeError:
        pass


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_any_single_byte_change_in_the_header_is_refused_or_fails_decryption(data):
    identity = envelope.generate_identity()
    sealed = bytearray(envelope.encrypt(b"report", [identity.to_public()]))
    header_size = envelope.parse_header(bytes(sealed)).size
    index = data.draw(st.integers(0, 1 << 20)) % header_size  # header sizes vary (grease stanzas)
    sealed[index] ^= data.draw(st.integers(1, 255))
    try:
        envelope.check_envelope(bytes(sealed))
    except envelope.EnvelopeError:
        return
    with pytest.raises(envelope.EnvelopeError):
        envelope.decrypt(bytes(sealed), [identity])
