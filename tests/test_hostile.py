"""A battery of hostile requests against every path of ``openapi.yaml``, on a folder store and on S3.

Each request is refused with a 4xx that the document lists for its operation, with the JSON error
body ``{"error", "message"}`` (the message in Vietnamese) and the security headers, and the store
is byte-for-byte what it was before the battery: no object written, no credential or budget slot
spent by a refused request. Fresh, valid credentials ride on many of the bad requests on purpose:
a refused request must leave them unspent.

The requests that a WSGI app never sees (a broken request line, headers over the limit, a repeated
or negative Content-Length) are sent over a raw socket to ``python -m intake_function``.
"""

from __future__ import annotations

import base64
import json
import random
import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml
from urllib3 import encode_multipart_formdata

from intake_function import envelope, proof, receipt, report
from intake_function.headers import SECURITY_HEADERS
from intake_function.store import open_store
from tests.conftest import ROOT, TEST_SECRET, age_encrypt, make_config, solve

API = "/api/v1"
SPEC = yaml.safe_load((ROOT / "intake_function" / "openapi.yaml").read_text(encoding="utf-8"))
VIETNAMESE = re.compile(r"[À-ỹ]")
MAX_BYTES = 64 * 1024
OCTET = {"Content-Type": "application/octet-stream"}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@dataclass
class Hostile:
    name: str
    method: str
    path: str
    body: bytes = b""
    headers: dict[str, str] | list[tuple[str, str]] = field(default_factory=dict)


def documented_statuses(method: str, path: str) -> set[str] | None:
    """The statuses ``openapi.yaml`` lists for the operation a request path names (None: no operation)."""
    bare = path.split("?", 1)[0].removeprefix(API)
    if bare in SPEC["paths"]:  # a literal path wins over a template (/replies/check, /replies/{lookup_id})
        item = SPEC["paths"][bare]
        return set(item[method.lower()]["responses"]) if method.lower() in item else None
    for template, item in SPEC["paths"].items():
        pattern = re.sub(r"\\{[a-z_]+\\}", "[^/]+", re.escape(template))
        if re.fullmatch(pattern, bare) and method.lower() in item:
            return set(item[method.lower()]["responses"])
    return None


def multipart(fields) -> tuple[bytes, dict[str, str]]:
    body, content_type = encode_multipart_formdata(fields)
    return body, {"Content-Type": content_type}


def raw_multipart(parts: list[tuple[str, bytes]]) -> tuple[bytes, dict[str, str]]:
    """A multipart body written byte by byte, so that a field can hold bytes that are not UTF-8."""
    body = b""
    for name, value in parts:
        body += b'--b0undary\r\nContent-Disposition: form-data; name="' + name.encode() + b'"\r\n\r\n' + value + b"\r\n"
    return body + b"--b0undary--\r\n", {"Content-Type": "multipart/form-data; boundary=b0undary"}


# --- re-encodings of a credential: the same bytes, another spelling ------------------------------


def b64_respellings(value: str) -> list[str]:
    """Spellings of standard padded base64 that lenient decoders read as the same bytes."""
    out = [value.rstrip("="), value + "=", value + "\t", value[:8] + " " + value[8:], value[:8] + "\\n" + value[8:]]
    out.append(value.replace("+", "-").replace("/", "_"))
    stripped = value.rstrip("=")
    if len(stripped) % 4:  # the last character carries unused bits
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
        unused = {2: 4, 3: 2}[len(stripped) % 4]
        index = alphabet.index(stripped[-1])
        for flip in range(1, 1 << unused):
            out.append(stripped[:-1] + alphabet[index | flip] + value[len(stripped) :])
    return [v for v in out if v != value]


def token_respellings(token: str) -> list[str]:
    """Spellings of a base64url token (body.mac) that a lenient decoder takes for the same token."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    out = [token + "=", token + "==", token.replace(".", ".=", 1) if False else token + "%0a", " " + token]
    body, mac = token.split(".")
    for part_index, part in enumerate((body, mac)):
        if len(part) % 4:
            unused = {2: 4, 3: 2}[len(part) % 4]
            index = alphabet.index(part[-1])
            for flip in range(1, 1 << unused):
                changed = part[:-1] + alphabet[index | flip]
                out.append(f"{changed}.{mac}" if part_index == 0 else f"{body}.{changed}")
    out.append(body + "=." + mac)
    out.append(token.replace("-", "+").replace("_", "/"))
    return [v for v in out if v != token]


def expired_solution() -> str:
    """A correct solution of a challenge set we signed, whose time is over."""
    return solve(proof.new_challenge(TEST_SECRET.encode(), 10, 5, ttl=-5))


def forged_solution() -> str:
    """A correct solution of a challenge set signed with another secret."""
    other = proof.new_challenge(b"another-secret-0123456789-0123456789", 10, 5, 600)
    return solve(other)


def payload_of(document) -> str:
    return base64.b64encode(json.dumps(document).encode()).decode()


def tampered_sets(one: str, another: str) -> dict[str, str]:
    """Two good, unspent solutions of two sets, put together every wrong way: each must be refused
    with the plain pow_invalid message, and neither set spent."""
    a, b = json.loads(base64.b64decode(one)), json.loads(base64.b64decode(another))
    parts, shared = a["parts"], a["parameters"]
    first = {key: value for key, value in parts[0].items() if key not in ("signature", "counter", "derivedKey")}
    altcha_payload = {  # part 0 alone, as one ALTCHA payload (the shape before sets)
        "challenge": {
            "parameters": {**shared, **first, "data": {**shared["data"], "part": 0}},
            "signature": parts[0]["signature"],
        },
        "solution": {"counter": parts[0]["counter"], "derivedKey": parts[0]["derivedKey"]},
    }
    return {
        name: payload_of(document)
        for name, document in {
            "a part reused twice": {**a, "parts": [parts[0], parts[0], *parts[2:]]},
            "parts from two sets": {**a, "parts": [*parts[:3], *b["parts"][3:]]},
            "another set's parameters": {**a, "parameters": b["parameters"]},
            "a part missing": {**a, "parts": parts[:-1]},
            "an extra part": {**a, "parts": [*parts, b["parts"][0]]},
            "an extra part of its own": {**a, "parts": [*parts, parts[-1]]},
            "re-ordered": {**a, "parts": [parts[1], parts[0], *parts[2:]]},
            "reversed": {**a, "parts": parts[::-1]},
            "no parts": {**a, "parts": []},
            "fewer parts declared": {
                "parameters": {**shared, "data": {**shared["data"], "parts": len(parts) - 1}},
                "parts": parts[:-1],
            },
            "part index in the shared data": {**a, "parameters": {**shared, "data": {**shared["data"], "part": 0}}},
            "an extra field in a part": {**a, "parts": [{**parts[0], "part": 0}, *parts[1:]]},
            "a field missing in a part": {
                **a,
                "parts": [{k: v for k, v in parts[0].items() if k != "counter"}, *parts[1:]],
            },
            "counter as text": {**a, "parts": [{**parts[0], "counter": str(parts[0]["counter"])}, *parts[1:]]},
            "one ALTCHA payload": altcha_payload,
            "a list of ALTCHA payloads": [altcha_payload] * len(parts),
        }.items()
    }


# --- the world the battery runs in ------------------------------------------------------------


@dataclass
class World:
    client: object
    store: object
    recipient: str
    good: bytes  # an envelope the function would store
    spent_pow: str  # an X-Altcha spent on a stored report
    spent_ticket: str  # a ticket spent on a stored report
    live_ticket: str  # a ticket not yet spent
    filled_slot: str | None  # a PUT URL (folder store) already holding bytes
    empty_slot: str | None  # a PUT URL (folder store) still empty

    def fresh_pow(self) -> str:
        return solve(self.client.get(f"{API}/challenge").json)


def build_world(store_url: str, recipient: str) -> World:
    from intake_function import create_app

    app = create_app(make_config(store_url, [recipient], INTAKE_MAX_BYTES=str(MAX_BYTES)))
    client = app.test_client()
    good = age_encrypt(report.padded({"schema": "report/1", "category": "waste", "description": "x"}), recipient)
    spent_pow = solve(client.get(f"{API}/challenge").json)
    assert client.post(f"{API}/submissions", data=good, headers={**OCTET, "X-Altcha": spent_pow}).status_code == 201

    def slots() -> dict:
        answer = client.post(
            f"{API}/uploads",
            json={"files": [{"size": len(good)}, {"size": len(good)}]},
            headers={"X-Altcha": solve(client.get(f"{API}/challenge").json)},
        )
        assert answer.status_code == 201
        return answer.json

    granted = slots()
    spent_ticket = granted["ticket"]
    assert (
        client.post(f"{API}/submissions", data=good, headers={**OCTET, "X-Upload-Ticket": spent_ticket}).status_code
        == 201
    )
    live = slots()
    filled = empty = None
    if live["slots"][0]["method"] == "PUT":
        filled, empty = live["slots"][0]["url"], live["slots"][1]["url"]
        assert client.put(filled, data=good, headers=OCTET).status_code == 201
    return World(client, open_store(store_url), recipient, good, spent_pow, spent_ticket, live["ticket"], filled, empty)


def hostile_requests(world: World) -> list[Hostile]:
    """Every hostile request of the battery, generated from a few seeds."""
    cases: list[Hostile] = []
    good, fresh = world.good, world.fresh_pow
    add = cases.append
    operations = {
        "/health": {"get"},
        "/challenge": {"get"},
        "/uploads": {"post"},
        f"/uploads/{'A' * 40}.{'B' * 43}": {"put"},
        "/submissions": {"post"},
        "/submissions/form": {"post"},
        "/replies": {"post"},
        f"/replies/{'a' * 32}": {"get"},
        "/replies/check": {"post"},
        "/followups/form": {"post"},
    }
    assert len(operations) == len(SPEC["paths"])  # every path of the document is attacked

    # Wrong methods, on every path.
    for path, allowed in operations.items():
        for method in ("GET", "POST", "PUT", "DELETE", "PATCH"):
            if method.lower() not in allowed:
                add(Hostile(f"method {method} {path}", method, API + path, b"x", OCTET))

    # Wrong or missing types, on every path with a body.
    for path in ("/uploads", "/submissions"):
        for ctype in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""):
            add(Hostile(f"type {ctype!r} {path}", "POST", API + path, good, {"Content-Type": ctype} if ctype else {}))
    for path in ("/submissions/form", "/replies/check", "/followups/form"):
        for ctype in ("application/json", "text/plain", "application/octet-stream", ""):
            headers = {"Content-Type": ctype} if ctype else {}
            add(Hostile(f"type {ctype!r} {path}", "POST", API + path, b"code=x", headers))
    add(
        Hostile(
            "uploads as json text", "POST", f"{API}/uploads", b'{"files":[{"size":1}]}', {"Content-Type": "text/json"}
        )
    )

    # Truncated, garbage, armored and oversized envelopes, each with a fresh proof-of-work.
    header_size = envelope.parse_header(good).size
    for cut in (1, 10, 21, 22, 40, header_size - 44, header_size - 1, header_size, header_size + 15):
        add(
            Hostile(
                f"truncated envelope {cut}", "POST", f"{API}/submissions", good[:cut], {**OCTET, "X-Altcha": fresh()}
            )
        )
    for n, junk in enumerate(
        (b"\x00" * 500, b"age-encryption.org/v1\n" + b"\xff" * 300, good[:header_size] + bytes(20), b" " + good)
    ):
        add(Hostile(f"garbage envelope {n}", "POST", f"{API}/submissions", junk, {**OCTET, "X-Altcha": fresh()}))
    armored = subprocess.run(["age", "-a", "-r", world.recipient], input=b"x", capture_output=True, check=True).stdout
    add(Hostile("armored envelope", "POST", f"{API}/submissions", armored, {**OCTET, "X-Altcha": fresh()}))
    add(
        Hostile(
            "oversized envelope", "POST", f"{API}/submissions", good + bytes(MAX_BYTES), {**OCTET, "X-Altcha": fresh()}
        )
    )
    add(Hostile("empty envelope", "POST", f"{API}/submissions", b"", {**OCTET, "X-Altcha": fresh()}))
    passphrase = envelope.protect_with_passphrase("x", "một mật khẩu")
    add(Hostile("passphrase envelope", "POST", f"{API}/submissions", passphrase, {**OCTET, "X-Altcha": fresh()}))

    # Forged, expired, replayed and re-encoded proofs of work, on a good envelope.
    other = age_encrypt(b"another report", world.recipient)
    for name, value in {
        "missing": "",
        "random": base64.b64encode(b"not a payload").decode(),
        "not base64": "!!!!",
        "forged": forged_solution(),
        "expired": expired_solution(),
        "huge": "A" * 5000,
        "deep json": payload_of(json.loads("[" * 50 + "]" * 50)),
        "deeper json": base64.b64encode(b"[" * 2000 + b"]" * 2000).decode()[:4000],
        "duplicate keys": base64.b64encode(b'{"challenge":{},"challenge":{},"solution":{}}').decode(),
        "nan": base64.b64encode(b'{"challenge":NaN,"solution":{}}').decode(),
        "list": payload_of([1, 2]),
        "replayed on another report": world.spent_pow,
    }.items():
        add(Hostile(f"pow {name}", "POST", f"{API}/submissions", other, {**OCTET, "X-Altcha": value}))
    for n, value in enumerate(b64_respellings(world.spent_pow)):
        add(Hostile(f"pow re-encoded {n}", "POST", f"{API}/submissions", other, {**OCTET, "X-Altcha": value}))
    decoded = json.loads(base64.b64decode(world.spent_pow))
    reserialised = base64.b64encode(json.dumps(decoded, indent=1).encode()).decode()
    add(Hostile("pow re-serialised", "POST", f"{API}/submissions", other, {**OCTET, "X-Altcha": reserialised}))
    first = {**decoded["parts"][0], "derivedKey": decoded["parts"][0]["derivedKey"].upper()}
    upper = {**decoded, "parts": [first, *decoded["parts"][1:]]}
    add(Hostile("pow upper-case key", "POST", f"{API}/submissions", other, {**OCTET, "X-Altcha": payload_of(upper)}))
    for name, value in tampered_sets(fresh(), fresh()).items():
        add(Hostile(f"pow set {name}", "POST", f"{API}/submissions", other, {**OCTET, "X-Altcha": value}))
    add(
        Hostile(
            "pow twice", "POST", f"{API}/submissions", other, [*OCTET.items(), ("X-Altcha", fresh()), ("X-Altcha", "x")]
        )
    )
    add(
        Hostile(
            "pow twice, same", "POST", f"{API}/submissions", other, [*OCTET.items(), ("X-Altcha", world.spent_pow)] * 2
        )
    )
    add(
        Hostile(
            "pow and ticket",
            "POST",
            f"{API}/submissions",
            other,
            {**OCTET, "X-Altcha": fresh(), "X-Upload-Ticket": world.live_ticket},
        )
    )

    # Tickets: replayed, re-encoded, forged, expired, twice.
    add(
        Hostile(
            "ticket replayed", "POST", f"{API}/submissions", other, {**OCTET, "X-Upload-Ticket": world.spent_ticket}
        )
    )
    for n, value in enumerate(token_respellings(world.spent_ticket) + token_respellings(world.live_ticket)):
        add(Hostile(f"ticket re-encoded {n}", "POST", f"{API}/submissions", other, {**OCTET, "X-Upload-Ticket": value}))
    content, _ = proof.read_token(TEST_SECRET.encode(), proof.TICKET_SALT, world.live_ticket, 900)
    content = {k: v for k, v in content.items() if k != "t"}
    expired = proof.issue_token(TEST_SECRET.encode(), proof.TICKET_SALT, content, now=time.time() - 100_000)
    forged = proof.issue_token(b"another-secret-0123456789-0123456789", proof.TICKET_SALT, content)
    slot_as_ticket = proof.issue_token(TEST_SECRET.encode(), proof.SLOT_SALT, content)
    for name, value in {
        "expired": expired,
        "forged": forged,
        "slot token": slot_as_ticket,
        "huge": "A." * 5000,
    }.items():
        add(Hostile(f"ticket {name}", "POST", f"{API}/submissions", good, {**OCTET, "X-Upload-Ticket": value}))
    add(
        Hostile(
            "ticket twice",
            "POST",
            f"{API}/submissions",
            good,
            [*OCTET.items(), ("X-Upload-Ticket", world.live_ticket)] * 2,
        )
    )
    add(
        Hostile(
            "ticket with bad envelope",
            "POST",
            f"{API}/submissions",
            good[:50],
            {**OCTET, "X-Upload-Ticket": world.live_ticket},
        )
    )

    # Slot requests: deep, wide, odd JSON; every one with a fresh proof-of-work that must stay unspent.
    bodies = {
        "deep array": b"[" * 100_000,
        "deep object": b'{"a":' * 20_000 + b"1" + b"}" * 20_000,
        "deep in files": b'{"files":[' + b"[" * 50 + b"]" * 50 + b"]}",
        "wide": json.dumps({"files": [{"size": 1}] * 5000}).encode(),
        "many keys": json.dumps({f"k{i}": i for i in range(2000)}).encode(),
        "truncated": b'{"files":[{"size":',
        "empty": b"",
        "garbage": b"\xff\xfe\x00garbage",
        "not utf-8 string": b'{"files":[{"size":1,"name":"\xff"}]}',
        "nan size": b'{"files":[{"size":NaN}]}',
        "infinite size": b'{"files":[{"size":1e400}]}',
        "huge int": b'{"files":[{"size":' + b"9" * 5000 + b"}]}",
        "float size": b'{"files":[{"size":1.5}]}',
        "negative size": b'{"files":[{"size":-1}]}',
        "zero size": b'{"files":[{"size":0}]}',
        "bool size": b'{"files":[{"size":true}]}',
        "string size": b'{"files":[{"size":"1"}]}',
        "no files": b'{"files":[]}',
        "files not a list": b'{"files":{"size":1}}',
        "duplicate keys": b'{"files":[{"size":1}],"files":[{"size":2}]}',
        "too many files": json.dumps({"files": [{"size": 1}] * 21}).encode(),
        "too large file": json.dumps({"files": [{"size": 1 << 40}]}).encode(),
        "a list": b"[1,2,3]",
        "a string": b'"files"',
        "null": b"null",
        "bom": b'\xef\xbb\xbf{"files":[{"size":1}]}',
    }
    for name, body in bodies.items():
        headers = {"Content-Type": "application/json", "X-Altcha": fresh()}
        add(Hostile(f"slots {name}", "POST", f"{API}/uploads", body, headers))
    ok = json.dumps({"files": [{"size": 500}]}).encode()
    for n, value in enumerate([*b64_respellings(world.spent_pow)[:4], world.spent_pow, ""]):
        add(
            Hostile(
                f"slots pow {n}", "POST", f"{API}/uploads", ok, {"Content-Type": "application/json", "X-Altcha": value}
            )
        )

    # One encrypted file into its slot (folder store; on S3 the path answers 404).
    slot = world.empty_slot or f"{API}/uploads/{world.live_ticket}"
    token = slot.rsplit("/", 1)[1]
    add(Hostile("slot without length", "PUT", slot, b"", OCTET))
    add(Hostile("slot wrong size", "PUT", slot, good + b"x", OCTET))
    add(Hostile("slot garbage", "PUT", slot, bytes(len(good)), OCTET))
    add(Hostile("slot armored", "PUT", slot, armored.ljust(len(good), b"\n")[: len(good)], OCTET))
    add(Hostile("slot wrong type", "PUT", slot, good, {"Content-Type": "text/plain"}))
    add(Hostile("slot ticket as token", "PUT", f"{API}/uploads/{world.live_ticket}", good, OCTET))
    for n, value in enumerate(token_respellings(token)):
        add(Hostile(f"slot re-encoded {n}", "PUT", f"{API}/uploads/{value}", good, OCTET))
    if world.filled_slot:
        other_bytes = age_encrypt(
            report.padded({"schema": "report/1", "category": "other", "description": "y"}), world.recipient
        )
        assert len(other_bytes) == len(good)
        add(Hostile("slot re-sent with other bytes", "PUT", world.filled_slot, other_bytes, OCTET))

    # Odd encodings and newlines in every path parameter; a fresh proof-of-work rides along.
    lookup = "0123456789abcdef" * 2
    oddities = {
        "newline": lookup + "%0a",
        "crlf": lookup + "%0d%0a",
        "leading newline": "%0a" + lookup,
        "nul": lookup + "%00",
        "space": lookup + "%20",
        "tab": lookup + "%09",
        "upper case": lookup.upper(),
        "short": lookup[:-1],
        "long": lookup + "0",
        "arabic-indic digit": lookup[:-1] + "%D9%A0",
        "fullwidth": lookup[:-1] + "%EF%BD%81",
        "not utf-8": lookup[:-1] + "%FF",
        "overlong slash": lookup[:-1] + "%C0%AF",
        "dot dot": "..%2f" + lookup[4:],
        "encoded slash": lookup[:16] + "%2F" + lookup[16:],
        "plus": lookup[:-1] + "+",
        "unicode escape": lookup[:-1] + "\\u0061",
        "double encoded": lookup[:-1] + "%2561",
        "semicolon": lookup + ";a",
    }
    json_type = {"Content-Type": "application/json"}
    for name, value in oddities.items():
        # The lookup id goes in a body now: each oddity as JSON would carry it once decoded.
        text = unquote(value, errors="surrogateescape").encode("utf-8", "surrogateescape")
        body = b'{"lookup_id":"' + text.replace(b"\\", b"\\\\").replace(b'"', b'\\"') + b'"}'
        add(Hostile(f"lookup {name}", "POST", f"{API}/replies", body, json_type))
        add(Hostile(f"old lookup path {name}", "GET", f"{API}/replies/{value}", b""))
        add(Hostile(f"token {name}", "PUT", f"{API}/uploads/{token}{value[32:] or '%0a'}", good, OCTET))
    for name, value in {
        "empty": b"",
        "not json": b"lookup_id=" + lookup.encode(),
        "array": b'["' + lookup.encode() + b'"]',
        "number": b'{"lookup_id":1}',
        "extra member": b'{"lookup_id":"' + lookup.encode() + b'","code":"x"}',
        "duplicate member": b'{"lookup_id":"' + lookup.encode() + b'","lookup_id":"' + lookup.encode() + b'"}',
        "nested": b'{"lookup_id":{"lookup_id":"' + lookup.encode() + b'"}}',
        "escaped newline": b'{"lookup_id":"' + lookup.encode() + b'\\n"}',
        "too large": b'{"lookup_id":"' + lookup.encode() + b'"}' + b" " * 4096,
    }.items():
        add(Hostile(f"lookup body {name}", "POST", f"{API}/replies", value, json_type))
    add(Hostile("lookup as form", "POST", f"{API}/replies", b"lookup_id=" + lookup.encode(), FORM))

    # The no-JavaScript form: invalid fields, invalid UTF-8, broken bodies.
    base = {"category": "waste", "description": "Có dấu hiệu lãng phí", "consent": "yes"}

    def report_form(**fields) -> tuple[bytes, dict[str, str]]:
        return multipart({k: v for k, v in {**base, **fields}.items() if v is not None})

    forms = {
        "no consent": report_form(consent=None),
        "no category": report_form(category=None),
        "bad category": report_form(category="bribery\n"),
        "category with newline": report_form(category="wa\nste"),
        "blank description": report_form(description=" \n\t "),
        "long description": report_form(description="ả" * 20_001),
        "bad email": report_form(**{"reporter.email": "a@b.c\nx@y.z"}),
        "bad phone": report_form(**{"reporter.phone": "0123\n4567"}),
        "bad language": report_form(language="v\ni"),
        "too many files": multipart(
            [*base.items(), *[("attachments", (f"f{i}.txt", b"x", "text/plain")) for i in range(21)]]
        ),
        "file over limit": multipart([*base.items(), ("attachments", ("big.bin", bytes(MAX_BYTES + 10), "x/y"))]),
        "many parts": multipart([*base.items(), *[("x", "y")] * 1100]),
        "not utf-8 description": raw_multipart(
            [("category", b"waste"), ("description", b"Ti\xe1\xbb"), ("consent", b"yes")]
        ),
        "latin-1 description": raw_multipart(
            [("category", b"waste"), ("description", b"caf\xe9"), ("consent", b"yes")]
        ),
        "surrogate description": raw_multipart(
            [("category", b"waste"), ("description", b"\xed\xa0\x80"), ("consent", b"yes")]
        ),
        "overlong description": raw_multipart(
            [("category", b"waste"), ("description", b"\xc0\xaf"), ("consent", b"yes")]
        ),
        "urlencoded not utf-8": (
            b"category=waste&description=caf%E9&consent=yes",
            {"Content-Type": "application/x-www-form-urlencoded"},
        ),
        "urlencoded raw byte": (
            b"category=waste&description=caf\xe9&consent=yes",
            {"Content-Type": "application/x-www-form-urlencoded"},
        ),
        "no boundary": (b"category=waste", {"Content-Type": "multipart/form-data"}),
        "broken multipart": (b"--b\r\nnonsense", {"Content-Type": "multipart/form-data; boundary=b"}),
        "unterminated multipart": (
            b'--b\r\nContent-Disposition: form-data; name="category"\r\n\r\nwaste',
            {"Content-Type": "multipart/form-data; boundary=b"},
        ),
        "oversized": report_form(description="x" * (MAX_BYTES + 10)),
    }
    for name, (body, headers) in forms.items():
        add(Hostile(f"form {name}", "POST", f"{API}/submissions/form", body, headers))
    code = receipt.new_code()
    followups = {
        "no code": multipart({"message": "Bổ sung"}),
        "bad code": multipart({"code": "ABCDE-FGHIJ", "message": "Bổ sung"}),
        "code with newline inside": multipart({"code": code[:5] + "\n" + code[5:], "message": "Bổ sung"}),
        "blank message": multipart({"code": code, "message": "  "}),
        "long message": multipart({"code": code, "message": "x" * 20_001}),
        "not utf-8 message": raw_multipart([("code", code.encode()), ("message", b"\xff\xfe")]),
        "not utf-8 code": raw_multipart([("code", code.encode()[:-1] + b"\xff"), ("message", b"x")]),
        "urlencoded not utf-8": (
            f"code={code}&message=%FF".encode(),
            {"Content-Type": "application/x-www-form-urlencoded"},
        ),
        "too many files": multipart(
            [("code", code), ("message", "x"), *[("attachments", (f"f{i}.txt", b"x", "text/plain")) for i in range(21)]]
        ),
    }
    for name, (body, headers) in followups.items():
        add(Hostile(f"followup {name}", "POST", f"{API}/followups/form", body, headers))
    checks = {
        "no code": multipart({"x": "y"}),
        "short code": multipart({"code": code[:-1]}),
        "letter U": multipart({"code": code[:-1] + "U"}),
        "newline inside": multipart({"code": code[:11] + "\n" + code[11:]}),
        "fullwidth": multipart({"code": "".join(chr(ord(c) + 0xFEE0) if c.isalnum() else c for c in code)}),
        "nul": multipart({"code": code + "\x00"}),
        "not utf-8": raw_multipart([("code", b"\xff" * 20)]),
        "urlencoded not utf-8": (b"code=%FF%FE", {"Content-Type": "application/x-www-form-urlencoded"}),
        "huge": multipart({"code": "A" * (MAX_BYTES + 1)}),
    }
    for name, (body, headers) in checks.items():
        add(Hostile(f"check {name}", "POST", f"{API}/replies/check", body, headers))

    # Random bytes on every path that takes a body, with the type it expects.
    rng = random.Random(20261130)
    expected = {
        "/submissions": "application/octet-stream",
        "/uploads": "application/json",
        "/submissions/form": "multipart/form-data; boundary=zz",
        "/replies/check": "application/x-www-form-urlencoded",
        "/followups/form": "multipart/form-data; boundary=zz",
    }
    for path, ctype in expected.items():
        for n in range(10):
            junk = rng.randbytes(rng.randint(1, 3000))
            add(Hostile(f"random {path} {n}", "POST", API + path, junk, {"Content-Type": ctype, "X-Altcha": fresh()}))

    # Unknown paths next to the real ones.
    for path in (
        "/api/v1/submissions/",
        "/api/v1//submissions",
        "/api/v1/SUBMISSIONS",
        "/api/v2/health",
        "/api/v1/submissions%0a",
        "/api/v1/health%00",
        "/api/v1/replies/",
        "/api/v1/uploads/",
    ):
        add(Hostile(f"path {path}", "POST", path, good, {**OCTET, "X-Altcha": fresh()}))
    return cases


def check_refusal(case: Hostile, status: int, content_type: str, body: bytes, headers) -> None:
    assert 400 <= status < 500, f"{case.name}: {status} {body[:200]!r}"
    documented = documented_statuses(case.method, case.path)
    if documented is not None:
        assert str(status) in documented, f"{case.name}: {status} is not documented for the operation"
    assert content_type.startswith("application/json"), f"{case.name}: {content_type}"
    error = json.loads(body)
    assert re.fullmatch(r"[a-z_]+", error["error"]), case.name
    assert VIETNAMESE.search(error["message"]), f"{case.name}: {error['message']}"
    for name, value in SECURITY_HEADERS.items():
        assert headers.get(name) == value, f"{case.name}: {name}"
    assert headers.get("Cache-Control") == "no-store", case.name


def snapshot(store) -> dict[str, bytes]:
    return {info.key: store.get(info.key) for info in store.list("")}


def test_the_battery_is_refused_and_changes_nothing(store_url, office_key):
    world = build_world(store_url, office_key[1])
    cases = hostile_requests(world)
    assert len(cases) >= 300, len(cases)
    before = snapshot(world.store)
    statuses: dict[int, int] = {}
    for case in cases:
        response = world.client.open(case.path, method=case.method, data=case.body, headers=case.headers)
        check_refusal(case, response.status_code, response.content_type, response.data, response.headers)
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
    after = snapshot(world.store)
    assert after.keys() == before.keys(), sorted(set(after) ^ set(before))
    assert after == before  # not a byte changed: no object written, no marker or budget slot spent
    assert {400, 404, 405, 413, 415, 429} <= set(statuses), statuses


def test_credentials_have_one_spelling_and_one_use(store_url, office_key):
    """Hole 1: one ticket stored four reports. Every spelling of a spent credential is refused,
    and a second ticket for the same proof-of-work names the same report."""
    world = build_world(store_url, office_key[1])
    inbox = lambda: sorted(info.key for info in world.store.list("inbox/"))  # noqa: E731
    stored = inbox()
    for value in token_respellings(world.spent_ticket):
        answer = world.client.post(f"{API}/submissions", data=world.good, headers={**OCTET, "X-Upload-Ticket": value})
        assert answer.status_code == 400 and answer.json["error"] == "token_invalid", value
    for value in b64_respellings(world.spent_pow):
        answer = world.client.post(f"{API}/submissions", data=world.good, headers={**OCTET, "X-Altcha": value})
        assert answer.status_code == 400 and answer.json["error"] == "pow_invalid", value
    assert inbox() == stored
    # A retried slot request (same proof, same body) gets a second ticket: both are one credential.
    header = {"X-Altcha": world.fresh_pow()}
    body = {"files": [{"size": len(world.good)}]}
    first = world.client.post(f"{API}/uploads", json=body, headers=header).json["ticket"]
    second = world.client.post(f"{API}/uploads", json=body, headers=header).json["ticket"]
    ids = {
        world.client.post(f"{API}/submissions", data=world.good, headers={**OCTET, "X-Upload-Ticket": t}).json["id"]
        for t in (first, second)
    }
    assert len(ids) == 1 and len(inbox()) == len(stored) + 1
    other = age_encrypt(b"other", world.recipient)
    refused = world.client.post(f"{API}/submissions", data=other, headers={**OCTET, "X-Upload-Ticket": second})
    assert refused.status_code == 429 and refused.json["error"] == "pow_reused"


def test_a_challenge_set_is_spent_whole_in_order_once(store_url, office_key):
    """A solution carries every part of one set in index order, or it is refused with the one plain
    message and spends nothing; a good set then spends one marker, whatever its JSON spelling."""
    world = build_world(store_url, office_key[1])
    issued = world.client.get(f"{API}/challenge").json["parts"]
    assert len(issued) == proof.PARTS and len({c["parameters"]["data"]["set"] for c in issued}) == 1
    assert [c["parameters"]["data"]["part"] for c in issued] == list(range(proof.PARTS))
    one, another = world.fresh_pow(), world.fresh_pow()
    markers = lambda: sorted(info.key for info in world.store.list("pow/"))  # noqa: E731
    before = markers()
    for name, value in tampered_sets(one, another).items():
        answer = world.client.post(f"{API}/submissions", data=world.good, headers={**OCTET, "X-Altcha": value})
        assert answer.status_code == 400, name
        assert answer.json == {"error": "pow_invalid", "message": proof._POW_INVALID}, name
    assert markers() == before
    assert (
        world.client.post(f"{API}/submissions", data=world.good, headers={**OCTET, "X-Altcha": one}).status_code == 201
    )
    assert len(markers()) == len(before) + 1
    respelt = payload_of(json.loads(base64.b64decode(one)))  # the same set, other JSON spacing
    other = age_encrypt(b"other", world.recipient)
    refused = world.client.post(f"{API}/submissions", data=other, headers={**OCTET, "X-Altcha": respelt})
    assert refused.status_code == 429 and refused.json["error"] == "pow_reused"
    assert (
        world.client.post(f"{API}/submissions", data=other, headers={**OCTET, "X-Altcha": another}).status_code == 201
    )


def test_a_filled_slot_takes_the_same_bytes_again_and_refuses_others(tmp_path, office_key):
    world = build_world((tmp_path / "store").as_uri(), office_key[1])
    again = world.client.put(world.filled_slot, data=world.good, headers=OCTET)
    assert again.status_code == 200
    other = bytearray(world.good)
    other[-1] ^= 1  # same size and header, other bytes
    refused = world.client.put(world.filled_slot, data=bytes(other), headers=OCTET)
    assert refused.status_code == 409 and refused.json["error"] == "slot_used"
    key = world.filled_slot.rsplit("/", 1)[1]
    content, _ = proof.read_token(TEST_SECRET.encode(), proof.SLOT_SALT, key, 900)
    assert world.store.get(content["k"]) == world.good


def test_invalid_utf8_is_refused_with_a_clear_message(make_app, store_url):
    client = make_app().test_client()
    body, headers = raw_multipart([("category", b"waste"), ("description", b"Ti\xe1\xbb"), ("consent", b"yes")])
    answer = client.post(f"{API}/submissions/form", data=body, headers=headers)
    assert answer.status_code == 400 and answer.json["error"] == "invalid_encoding"
    assert "UTF-8" in answer.json["message"]
    page = client.post(f"{API}/submissions/form", data=body, headers={**headers, "Accept": "text/html"})
    assert page.status_code == 400 and "UTF-8" in page.data.decode()
    assert list(open_store(store_url).list("")) == []


def test_the_no_javascript_budget_is_shared_and_spent_only_by_accepted_posts(store_url, office_key):
    """Three posts an hour: a burst of one; the next good post is refused with Retry-After and
    stores nothing; refused (invalid) posts never take a slot."""
    from intake_function import create_app

    client = create_app(make_config(store_url, [office_key[1]], INTAKE_FORM_BUDGET="3")).test_client()
    store = open_store(store_url)
    form = {"category": "waste", "description": "Có lãng phí", "consent": "yes"}
    for _ in range(5):
        assert client.post(f"{API}/submissions/form", data={**form, "consent": "no"}).status_code == 400
    assert list(store.list("pow/")) == []
    assert client.post(f"{API}/submissions/form", data=form).status_code == 201
    busy = client.post(f"{API}/followups/form", data={"code": receipt.new_code(), "message": "Bổ sung"})
    assert busy.status_code == 429 and busy.json["error"] == "busy"
    assert 0 < int(busy.headers["Retry-After"]) <= 1200
    assert "phút" in busy.json["message"]
    assert len(list(store.list("inbox/"))) == 1
    # The check page has its own budget.
    checks = create_app(make_config(store_url, [office_key[1]], INTAKE_CHECK_BUDGET="6")).test_client()
    assert checks.post(f"{API}/replies/check", data={"code": receipt.new_code()}).status_code == 200
    assert checks.post(f"{API}/replies/check", data={"code": "nope"}).status_code == 400
    assert checks.post(f"{API}/replies/check", data={"code": receipt.new_code()}).status_code == 429


def test_the_budget_refills_with_time(tmp_path):
    from intake_function.budget import Budget
    from intake_function.errors import ApiError

    store = open_store((tmp_path / "store").as_uri())
    budget = Budget("form", 60)  # one a minute, ten at once
    now = 60 * 20_000.0  # the start of a slot
    for _ in range(10):
        budget.claim(store, now)
    with pytest.raises(ApiError) as refused:
        budget.claim(store, now + 1)
    assert refused.value.status == 429 and refused.value.retry_after == 59
    with pytest.raises(ApiError):
        budget.check(now + 30)  # remembered in the process: no store request
    budget.claim(store, now + 60)  # a new slot has opened
    with pytest.raises(ApiError):
        budget.claim(store, now + 61)
    assert len(list(store.list("pow/"))) == 11


# --- requests the WSGI app never sees --------------------------------------------------------


SERVER_LEVEL = [
    ("garbage request line", b"GARBAGE\r\n\r\n"),
    ("bare lf in request line", b"GET /api/v1/health\rHTTP/1.1\r\nHost: x\r\n\r\n"),
    ("header too large", b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 16_500 + b"\r\n\r\n"),
    ("many headers", b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n" + b"X-A: b\r\n" * 2100 + b"\r\n"),
    (
        "duplicate content-length",
        b"POST /api/v1/submissions HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
    ),
    (
        "same content-length twice",
        b"POST /api/v1/submissions HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc",
    ),
    ("negative content-length", b"POST /api/v1/submissions HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n"),
    ("hex content-length", b"POST /api/v1/submissions HTTP/1.1\r\nHost: x\r\nContent-Length: 0x10\r\n\r\n"),
    ("unknown transfer coding", b"POST /api/v1/submissions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n"),
    (
        "chunked and length",
        b"POST /api/v1/submissions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
        b"Content-Length: 3\r\n\r\nzz\r\n",
    ),
    ("bad chunk", b"POST /api/v1/submissions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
    ("space before colon", b"GET /api/v1/health HTTP/1.1\r\nHost : x\r\n\r\n"),
    ("header without colon", b"GET /api/v1/health HTTP/1.1\r\nHost x\r\n\r\n"),
    ("nul in header", b"GET /api/v1/health HTTP/1.1\r\nHost: x\x00y\r\n\r\n"),
    ("body over the limit", b"POST /api/v1/submissions HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n"),
]


def _exchange(port: int, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(data)  # no half-close: the server answers, then closes
        answer = b""
        try:
            while chunk := conn.recv(65536):
                answer += chunk
        except ConnectionResetError:
            pass  # closed with our unread bytes still queued: the answer came before the reset
    return answer


@pytest.fixture(scope="module")
def live_server(tmp_path_factory, office_key):
    from tests.infra.servers import free_port, running

    port = free_port()
    store = tmp_path_factory.mktemp("live") / "store"
    env = {
        "PORT": str(port),
        "INTAKE_RECIPIENTS": office_key[1],
        "INTAKE_STORE": store.as_uri(),
        "INTAKE_SECRET": TEST_SECRET,
        "INTAKE_POW_MAX": "5",
        "INTAKE_POW_COST": "10",
    }
    with running([sys.executable, "-m", "intake_function"], env, port) as base:
        yield port, base, store


@pytest.mark.parametrize("name,data", SERVER_LEVEL, ids=[name for name, _ in SERVER_LEVEL])
def test_refusals_by_the_server_carry_the_same_headers_and_body(live_server, name, data):
    port, _, store = live_server
    answer = _exchange(port, data)
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = dict(line.split(": ", 1) for line in lines[1:])
    case = Hostile(name, "", "")
    check_refusal(case, status, headers.get("Content-Type", ""), body, headers)
    assert not any(Path(store).rglob("*.age"))
