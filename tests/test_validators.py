"""Every validator of untrusted text accepts its one form and nothing around it.

Hole 2 of the hostile-input review: ``GET /api/v1/replies/<32 hex>%0a`` answered 200, because
``LOOKUP_ID_RE`` ended in ``$``, which in Python also matches before a final newline. Each
validator here is tried with a good value, then the same value with a newline, a carriage
return, a NUL, a space or a look-alike character around or inside it. A scan of the source keeps
``.match(`` out of the packages, and every ``pattern`` of the JSON schemas and of openapi.yaml
is checked to mean the same, strictly, in Python (jsonschema) and in the browser's engine.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from intake_function import codes, decode, envelope, objects, proof, receipt
from tests.conftest import IN_CI, ROOT

OBJECT_ID = "01M8BG1A7X7HH4C5VDY5ZG7E7H"
LOOKUP = "0123456789abcdef" * 2


HOSTILE = ("\n", "\r\n", "\r", "\x00", " ", "\t", "\u2028", "\ufeff")


def surroundings(value: str, odds: tuple[str, ...] = HOSTILE) -> list[str]:
    """The value with one hostile character before, after or inside it."""
    middle = len(value) // 2
    out = []
    for odd in odds:
        out += [value + odd, odd + value, value[:middle] + odd + value[middle:]]
    return out


def _check(accepts, good: str, odds: tuple[str, ...] = HOSTILE) -> None:
    assert accepts(good), good
    for bad in surroundings(good, odds):
        assert not accepts(bad), repr(bad)


def _raises_not(function, *exceptions):
    def accepts(value):
        try:
            function(value)
        except exceptions:
            return False
        return True

    return accepts


def test_lookup_id():
    _check(lambda v: bool(objects.LOOKUP_ID_RE.fullmatch(v)), LOOKUP)
    _check(_raises_not(objects.outbox_prefix, ValueError), LOOKUP)
    assert not objects.LOOKUP_ID_RE.fullmatch(LOOKUP.upper())
    assert not objects.LOOKUP_ID_RE.fullmatch(LOOKUP[:-1] + "\u0660")  # an Arabic-Indic zero


def test_safe_key():
    _check(objects.is_safe_key, f"outbox/{LOOKUP}/{OBJECT_ID}.age")
    for bad in ("../inbox/x.age", "a/../b", "/inbox/x", "inbox/", "a" * 513, "inbox/\u0430.age"):
        assert not objects.is_safe_key(bad), bad


def test_inbox_attachment_and_outbox_keys():
    _check(lambda v: bool(objects.INBOX_KEY_RE.fullmatch(v)), f"inbox/{OBJECT_ID}.age")
    _check(objects.is_attachment_key, f"attachments/{OBJECT_ID}.age")
    _check(lambda v: bool(objects.OUTBOX_KEY_RE.fullmatch(v)), f"outbox/{LOOKUP}/{OBJECT_ID}.age")
    _check(_raises_not(objects.object_id_of, ValueError), f"inbox/{OBJECT_ID}.age")


def test_recipient_and_secret_key(office_key):
    recipient = office_key[1]
    # parse_recipient strips surrounding whitespace (a pasted key), so only the inside is tried.
    for bad in [recipient[:30] + odd + recipient[30:] for odd in ("\n", "\x00", " ")] + [recipient + "\x00"]:
        with pytest.raises(envelope.EnvelopeError):
            envelope.parse_recipient(bad)
    assert str(envelope.parse_recipient(recipient)) == recipient
    for kind, pattern in (("x25519", envelope._SECRET_RE), ("hybrid", envelope._HYBRID_SECRET_RE)):
        secret = str(envelope.generate_identity(kind))
        assert pattern.fullmatch(secret)
        for bad in surroundings(secret):
            assert not pattern.fullmatch(bad), repr(bad)
    hybrid = str(envelope.generate_identity().to_public())
    for bad in [hybrid[:900] + odd + hybrid[900:] for odd in ("\n", "\x00", " ")] + [hybrid + "\x00"]:
        with pytest.raises(envelope.EnvelopeError):
            envelope.parse_recipient(bad)


def test_stanza_arguments():
    _check(lambda v: bool(envelope._VCHARS.fullmatch(v.encode("utf-8"))), "X25519")


def test_media_type_of_a_form_file():
    from intake_function import form

    _check(lambda v: bool(form._MEDIA_TYPE.fullmatch(v)), "application/pdf")


def test_hex_digests_in_credentials():
    _check(lambda v: bool(proof._HEX64.fullmatch(v)), "ab" * 32)
    assert not proof._HEX64.fullmatch("AB" * 32)


def test_credential_header_is_sent_once():
    invalid = ValueError("twice")
    assert proof.one_header("abc", invalid) == "abc"
    with pytest.raises(ValueError):
        proof.one_header("abc, def", invalid)


def test_canonical_base64():
    _check(_raises_not(decode.canonical_b64decode, decode.DecodeError), "aGVsbG8gd29ybGQ=")
    for bad in ("aGVsbG8gd29ybGQ", "aGVsbG8gd29ybGR=", "aGVsbG8gd29ybGQ==", "aGVsbG8-d29ybGQ="):
        with pytest.raises(decode.DecodeError):
            decode.canonical_b64decode(bad)
    _check(_raises_not(lambda v: decode.canonical_b64decode(v, urlsafe=True), decode.DecodeError), "aGVsbG8gd29ybGQ")
    for bad in ("aGVsbG8gd29ybGR", "aGVsbG8gd29ybGQ=", "aGVsbG8+d29ybGQ", "a"):
        with pytest.raises(decode.DecodeError):
            decode.canonical_b64decode(bad, urlsafe=True)


def test_bounded_json():
    assert decode.load_json(b'{"a":[1,{"b":"[[[["}]}', max_bytes=100, max_depth=3) == {"a": [1, {"b": "[[[["}]}
    for bad, why in (
        (b"[" * 100_000, "deep"),
        (b'{"a":1,"a":2}', "duplicate"),
        (b"[NaN]", "NaN"),
        (b"[Infinity]", "Infinity"),
        (b'"\xff"', "not UTF-8"),
        (b"[" + b"9" * 5000 + b"]", "digits"),
        (b" " * 101, "size"),
        (b"[[[[1]]]]", "depth 4"),
    ):
        with pytest.raises(decode.DecodeError):
            decode.load_json(bad, max_bytes=100 if why == "size" else 200_000, max_depth=3)


def test_receipt_code_and_object_id():
    code = receipt.new_code()
    assert receipt.normalise(code)
    for bad in (code[:11] + "\n" + code[11:], code[:-1] + "\x00", code[:-1] + "U", code[:-1] + "\uff21"):
        with pytest.raises(receipt.ReceiptCodeError):
            receipt.normalise(bad)
    _check(codes.is_object_id, OBJECT_ID)


def test_report_period_of_the_office():
    from office.reports.half_year import PERIOD_RE

    _check(lambda v: bool(PERIOD_RE.fullmatch(v)), "2026-H1")
    assert not PERIOD_RE.fullmatch("\u0662\u0660\u0662\u0666-H1")  # Arabic-Indic digits


def test_portal_data_file_fields():
    from portal_site import data, quiz

    _check(lambda v: bool(quiz.SLUG.fullmatch(v)), "quy-dinh-231")
    _check(lambda v: bool(data._PHONE.fullmatch(v)), "0296 3 123 456", ("\n", "\r\n", "\x00", "\t"))
    _check(lambda v: bool(data._EMAIL.fullmatch(v)), "tiepnhan@angiang.gov.vn")
    _check(lambda v: bool(data._API_URL.fullmatch(v)), "https://api.example.gov.vn/api/v1")


# --- no .match( left, anywhere untrusted text is checked ------------------------------------------

# Classifiers where a looser match means more is cleaned, not more is accepted: a zip entry whose
# name looks like a comments part or an image is scrubbed (office/export/scrub.py).
# Prefix matchers that strip or split text, not checks that a whole value is valid.
NOT_VALIDATORS = {
    ("office/export/scrub.py", "_AUTHOR_PARTS"),
    ("office/export/scrub.py", "_MEDIA"),
    ("office/layout.py", "_DOCUMENT_WORD"),  # the words before a reference ("Quyết định số")
}


def test_no_validator_uses_match():
    found = []
    for package in ("intake_function", "office", "portal_site"):
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "match":
                    target = ast.unparse(node.func.value)
                    if (relative, target) not in NOT_VALIDATORS:
                        found.append(f"{relative}:{node.lineno} {target}.match(")
    assert found == []


# --- JSON schema patterns --------------------------------------------------------------------------

END = r"(?![\s\S])"  # "nothing follows": the end of the input in ECMA-262 and in Python alike
# Patterns that test for one character somewhere ("not blank"), not the shape of the whole value.
CONTAINS = {r"\S"}


def schema_patterns() -> list[tuple[str, str]]:
    """(where, pattern) for every ``pattern`` in the schemas and in openapi.yaml."""
    found = []

    def walk(node, where):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "pattern" and isinstance(value, str):
                    found.append((where, value))
                else:
                    walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{where}/{index}")

    for path in sorted((ROOT / "intake_function" / "schemas").glob("*.schema.json")):
        walk(json.loads(path.read_text(encoding="utf-8")), path.name)
    walk(yaml.safe_load((ROOT / "intake_function" / "openapi.yaml").read_text(encoding="utf-8")), "openapi.yaml")
    return found


def examples(pattern: str) -> list[str]:
    """A few strings the pattern's body matches whole (Hypothesis writes them from the regex)."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    body = pattern.removeprefix("^").removesuffix(END)
    found: list[str] = []

    @settings(max_examples=15, database=None, suppress_health_check=list(HealthCheck), derandomize=True)
    @given(st.from_regex(body, fullmatch=True, alphabet=st.characters(codec="ascii")))
    def collect(value):
        found.append(value)

    collect()
    return sorted(set(found))


def test_every_schema_pattern_is_anchored_at_both_ends():
    patterns = schema_patterns()
    assert len(patterns) >= 15
    loose = [
        (where, p)
        for where, p in patterns
        if p not in CONTAINS and not (p.startswith("^") and p.endswith(END) and "$" not in p.replace("$&", ""))
    ]
    assert loose == []
    for where, p in patterns:
        assert not re.search(r"\\[dwbDWB]", p), f"{where}: \\d, \\w and \\b mean more in Python than in ECMA"


def _node() -> str:
    node = shutil.which("node")
    if node:
        return node
    if IN_CI:
        pytest.fail("node is not installed (apt-get install nodejs)")
    pytest.skip("node is not installed")


def test_every_schema_pattern_means_the_same_strictly_in_python_and_in_the_browser():
    import jsonschema

    probes = []
    for _, pattern in schema_patterns():
        if pattern in CONTAINS:
            values = ["x", " x ", " ", "\n", "\t\n ", ""]
        else:
            good = examples(pattern)
            assert good, pattern
            values = [v for g in good[:4] for v in [g, *surroundings(g)]]
        for value in values:
            python = jsonschema.Draft202012Validator({"pattern": pattern}).is_valid(value)
            probes.append({"pattern": pattern, "value": value, "python": python})
    script = (
        "const probes = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "process.stdout.write(JSON.stringify(probes.map(p => new RegExp(p.pattern, 'u').test(p.value))));"
    )
    result = subprocess.run([_node(), "-e", script], input=json.dumps(probes), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    browser = json.loads(result.stdout)
    differ = [(p["pattern"], p["value"]) for p, b in zip(probes, browser, strict=True) if p["python"] != b]
    assert differ == []
    controls = re.compile("[\n\r\x00\u2028\ufeff]")
    accepted = [p for p in probes if p["pattern"] not in CONTAINS and controls.search(p["value"]) and p["python"]]
    assert accepted == []  # no line break, NUL or invisible mark around or inside a value


def test_schema_patterns_refuse_a_trailing_newline_in_real_documents():
    from intake_function import report

    document = {
        "schema": "followup/1",
        "lookup_id": LOOKUP + "\n",
        "message": "Bổ sung",
    }
    with pytest.raises(report.ReportError):
        report.validate(document, accept=(report.FOLLOWUP_ID,))
    reply = {"schema": "reply/1", "status": "received", "at": "2026-11-26T00:00:00Z\n"}
    with pytest.raises(report.ReportError):
        report.validate(reply, accept=(report.REPLY_ID,))
    assert Path(ROOT / "intake_function" / "schemas" / "README.md").read_text(encoding="utf-8").count(END) >= 1
