"""The envelope package against the reference tools, both ways, and its keyless structural check.

X25519 envelopes against the Debian ``age`` CLI (1.1, which has no hybrid keys);
hybrid and X25519 envelopes against typage (``age-encryption`` in web/, the code the
page runs) in Node. The reference's test vectors are in tests/test_vectors.py.
"""

from __future__ import annotations

import base64
import io
import json
import os
import subprocess
import sys
import textwrap

import pexpect
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from intake_function import envelope
from tests.conftest import ROOT, age_decrypt, age_encrypt, require_tool

TYPAGE = (ROOT / "web" / "node_modules" / "age-encryption" / "dist" / "index.js").as_uri()
# Encrypts or decrypts base64 from a JSON request on stdin with typage, as the page does.
TYPAGE_SCRIPT = f"""
import {{ Encrypter, Decrypter, generateHybridIdentity, identityToRecipient }} from {json.dumps(TYPAGE)};
const request = JSON.parse(await new Response(process.stdin).text());
const out = {{}};
if (request.encrypt) {{
  const e = new Encrypter();
  for (const r of request.recipients) e.addRecipient(r);
  out.sealed = Buffer.from(await e.encrypt(Buffer.from(request.encrypt, "base64"))).toString("base64");
}}
if (request.decrypt) {{
  const d = new Decrypter();
  for (const i of request.identities) d.addIdentity(i);
  out.opened = Buffer.from(await d.decrypt(Buffer.from(request.decrypt, "base64"))).toString("base64");
}}
if (request.generate) {{
  out.identity = await generateHybridIdentity();
  out.recipient = await identityToRecipient(out.identity);
}}
console.log(JSON.stringify(out));
"""


def typage(**request) -> dict:
    """Run typage in Node on one request (``encrypt``/``decrypt`` bytes, keys as text)."""
    require_tool("node")
    for name in ("encrypt", "decrypt"):
        if name in request:
            request[name] = base64.b64encode(request[name]).decode()
    result = subprocess.run(
        ["node", "--input-type=module", "-e", TYPAGE_SCRIPT],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    return {k: base64.b64decode(v) if k in ("sealed", "opened") else v for k, v in out.items()}


def x25519_identity() -> envelope.Identity:
    return envelope.generate_identity("x25519")


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
    identity = x25519_identity()
    path = tmp_path / "id.txt"
    path.write_text(envelope.identity_file_text(identity, "2026-11-26T00:00:00Z"))
    derived = subprocess.run(["age-keygen", "-y", str(path)], check=True, capture_output=True, text=True)
    assert derived.stdout.strip() == str(identity.to_public())


def test_passphrase_identity_opens_with_age_cli(tmp_path, age_cli):
    """Our protected identity file is what `age -p` writes: the age CLI uses it after a prompt."""
    identity = x25519_identity()
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
    identity = x25519_identity()
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
    with pytest.raises(envelope.EnvelopeError, match="not an age recipient"):
        envelope.parse_recipients("age1qqq")
    with pytest.raises(envelope.EnvelopeError, match="no recipient"):
        envelope.parse_recipients(" , ")
    hybrid = str(envelope.generate_identity().to_public())
    classic = str(x25519_identity().to_public())
    for r in (hybrid, classic):
        with pytest.raises(envelope.EnvelopeError, match="twice"):
            envelope.parse_recipients(f"{r},{r}")
        damaged = r[:-1] + ("q" if r[-1] != "q" else "p")
        with pytest.raises(envelope.EnvelopeError, match="not a valid age recipient"):
            envelope.parse_recipient(damaged)
    with pytest.raises(envelope.EnvelopeError, match="cannot be mixed"):
        envelope.parse_recipients(f"{hybrid}, {classic}")
    with pytest.raises(envelope.EnvelopeError, match="cannot be mixed"):
        envelope.encrypt(b"x", [envelope.parse_recipient(hybrid), envelope.parse_recipient(classic)])
    assert envelope.kind_of(hybrid) == "hybrid" and "ML-KEM-768" in envelope.kind_label(hybrid)
    assert envelope.kind_of(classic) == "x25519" and "X25519" in envelope.kind_label(classic)
    # A key of the right shape whose ML-KEM part is not a valid key (coefficients out of range).
    bad = envelope.bech32.encode("age1pq", b"\xff" * 1216)
    with pytest.raises(envelope.EnvelopeError, match="ML-KEM"):
        envelope.parse_recipient(bad)


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
    identity = envelope.generate_identity(data.draw(st.sampled_from(["hybrid", "x25519"])))
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


# --- hybrid (ML-KEM-768 + X25519) envelopes, against typage -------------------------------------


def test_hybrid_envelopes_open_both_ways_with_typage():
    """Ours open in typage, typage's (the browser's code path) open here; keys of either side."""
    ours = envelope.generate_identity()
    theirs = typage(generate=True)
    assert theirs["identity"].startswith("AGE-SECRET-KEY-PQ-1") and theirs["recipient"].startswith("age1pq1")
    assert str(envelope.parse_identities(theirs["identity"])[0].to_public()) == theirs["recipient"]
    recipients = [ours.to_public(), envelope.parse_recipient(theirs["recipient"])]
    data = VIETNAMESE * 5000  # three STREAM chunks
    sealed = envelope.encrypt(data, recipients)
    header = envelope.check_envelope(sealed, kind="hybrid")
    assert (header.hybrid_stanzas, header.x25519_stanzas) == (2, 0)
    assert typage(decrypt=sealed, identities=[theirs["identity"]])["opened"] == data
    assert typage(decrypt=sealed, identities=[str(ours)])["opened"] == data
    from_typage = typage(encrypt=data, recipients=[str(r) for r in recipients])["sealed"]
    assert envelope.check_envelope(from_typage, kind="hybrid").hybrid_stanzas == 2
    assert envelope.decrypt(from_typage, [ours]) == data
    assert envelope.decrypt(from_typage, envelope.parse_identities(theirs["identity"])) == data
    # An envelope grows by its stanzas only: 1,557 bytes for each hybrid recipient, 98 for X25519.
    one = envelope.encrypt(data, recipients[:1])
    assert len(sealed) - len(one) == 1557
    classic = [x25519_identity().to_public() for _ in range(2)]
    assert len(one) - len(envelope.encrypt(data, classic[:1])) == 1557 - 98
    assert len(envelope.encrypt(data, classic)) - len(envelope.encrypt(data, classic[:1])) == 98


def test_hybrid_identity_file_and_passphrase(tmp_path):
    identity = envelope.generate_identity()
    text = envelope.identity_file_text(identity, "2026-12-07T00:00:00Z")
    assert text.splitlines()[1] == f"# public key: {identity.to_public()}"
    assert text.splitlines()[2].startswith("AGE-SECRET-KEY-PQ-1")
    path = tmp_path / "office.age"
    path.write_bytes(envelope.protect_with_passphrase(text, "mật khẩu đủ dài"))
    (loaded,) = envelope.load_identities(path, lambda: "mật khẩu đủ dài")
    assert str(loaded) == str(identity) and str(loaded.to_public()) == str(identity.to_public())
    sealed = envelope.encrypt(b"x", [identity.to_public()])
    assert envelope.decrypt(sealed, [loaded]) == b"x"
    # typage opens the protected identity file with the passphrase, as age -d would.
    opened = subprocess.run(
        [
            "node",
            "--input-type=module",
            "-e",
            f"import {{ Decrypter }} from {json.dumps(TYPAGE)}; const d = new Decrypter(); d.addPassphrase("
            f"{json.dumps('mật khẩu đủ dài')}); const fs = await import('node:fs');"
            f"process.stdout.write(await d.decrypt(fs.readFileSync({json.dumps(str(path))}), 'text'));",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert opened.stdout == text, opened.stderr


def test_the_check_takes_hybrid_stanzas_with_exact_lengths_only():
    identity = envelope.generate_identity()
    sealed = envelope.encrypt(b"report", [identity.to_public()])
    header = envelope.check_envelope(sealed)
    assert header.kind == "hybrid" and header.size == 22 + 1557 + 48
    line_end = sealed.index(b"\n", len(envelope.MAGIC))
    for changed in (
        sealed[: line_end - 4] + sealed[line_end:],  # an encapsulated key 3 bytes short
        sealed[:line_end] + b"AAAA" + sealed[line_end:],  # 3 bytes long
        sealed[:line_end] + b" extra" + sealed[line_end:],  # an extra argument
    ):
        with pytest.raises(envelope.EnvelopeError):
            envelope.check_envelope(changed)
    with pytest.raises(envelope.EnvelopeError, match="for hybrid recipients, not the Office's x25519"):
        envelope.check_envelope(sealed, kind="x25519")
    classic = envelope.encrypt(b"report", [x25519_identity().to_public()])
    with pytest.raises(envelope.EnvelopeError, match="for x25519 recipients"):
        envelope.check_envelope(classic, kind="hybrid")
    # A mixed header (made by hand: our encoders refuse to) is refused.
    mixed = sealed[: len(envelope.MAGIC)] + classic[len(envelope.MAGIC) : classic.index(b"\n--- ") + 1]
    mixed += sealed[len(envelope.MAGIC) :]
    with pytest.raises(envelope.EnvelopeError, match="mixes"):
        envelope.check_envelope(mixed)
    # Eight hybrid recipients fit the header bound; nine are refused.
    many = [envelope.generate_identity().to_public() for _ in range(9)]
    assert envelope.check_envelope(envelope.encrypt(b"x", many[:8])).hybrid_stanzas == 8
    with pytest.raises(envelope.EnvelopeError):
        envelope.check_envelope(envelope.encrypt(b"x", many))


def test_x25519_files_of_this_package_still_open_with_the_age_cli(office_key, age_cli):
    identity, recipient = office_key
    sealed = envelope.encrypt(VIETNAMESE, [envelope.parse_recipient(recipient)])
    assert age_decrypt(sealed, identity) == VIETNAMESE
