"""The intake function's configuration: environment variables, read once at start-up.

| variable             | meaning                                                      | default                  |
|----------------------|--------------------------------------------------------------|--------------------------|
| INTAKE_STORE         | where ciphertext goes: file:///path or s3://bucket/prefix     | file://<cwd>/var/store   |
|                      | (s3 takes ?sse=AES256 (default), aws:kms or none)             |                          |
| INTAKE_RECIPIENTS    | the Office's public keys, age1pq1... (hybrid) or age1...      | (required)               |
|                      | (X25519), comma-separated; or the path of a recipients file   |                          |
|                      | (one key a line; relative to LAMBDA_TASK_ROOT when set)       |                          |
| INTAKE_MAX_BYTES     | largest report envelope or no-JavaScript form, in bytes       | 4194304 (4 MiB)          |
| INTAKE_SITE_ORIGIN   | the portal's origin, the only one allowed by CORS             | (none: same origin only) |
| INTAKE_FORM          | "on" or "off": the no-JavaScript form that the server encrypts| on                       |
| INTAKE_CONTACTS_URL  | the page of the Board's other channels, linked from the       | none (no link)           |
|                      | function's pages once channels are published (e.g. /lien-he/) |                          |
| INTAKE_LOG_LEVEL     | DEBUG, INFO, WARNING or ERROR                                 | INFO                     |
| INTAKE_SECRET        | signs challenges and upload tickets; 32+ characters, the same | random per process       |
|                      | for every instance (required with more than one process)      |                          |
| INTAKE_POW           | "on" or "off": proof-of-work before anything is stored        | on                       |
| INTAKE_POW_COST      | PBKDF2 rounds per proof-of-work attempt                       | 1000                     |
| INTAKE_POW_MAX       | attempts range (average work: half of it; bench.phone)        | 1800                     |
| INTAKE_POW_TTL       | seconds a challenge stays valid                               | 600                      |
| INTAKE_MAX_FILE_BYTES   | largest attachment (plaintext), in bytes                   | 52428800 (50 MiB)        |
| INTAKE_MAX_REPORT_BYTES | largest total of a report's attachments, in bytes          | 209715200 (200 MiB)      |
| INTAKE_UPLOAD_TTL    | seconds an upload slot and its ticket stay valid              | 900                      |
| INTAKE_CLIENT_FORM_LIMIT  | no-JavaScript reports and follow-ups one client may send | 10                       |
|                      | per hour, a third of them at once (0: none; see clients.py)   |                          |
| INTAKE_CLIENT_CHECK_LIMIT | checks of a receipt code one client may make per hour,   | 60                       |
|                      | a third of them at once (0: none)                             |                          |
| INTAKE_TRUSTED_PROXIES | proxies whose X-Forwarded-For names the client: addresses | (none: the connection's  |
|                      | or networks, comma-separated (nginx on this server: 127.0.0.1)| address is the client)   |
| INTAKE_EDGE_SECRET   | what CloudFront sends in X-Intake-Edge, so that its            | (none)                   |
|                      | CloudFront-Viewer-Address is believed (Lambda; 32+ characters)|                          |
| INTAKE_FORM_BUDGET   | last resort: no-JavaScript reports and follow-ups the whole   | 300                      |
|                      | store accepts per hour, from all clients (0: none; budget.py) |                          |
| INTAKE_CHECK_BUDGET  | last resort: checks of a receipt code per hour, in all        | 1800                     |

S3 credentials, region and ``AWS_ENDPOINT_URL_S3`` are boto3's own variables.
A bad value stops start-up with a message naming the variable.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from . import clients, envelope

DEFAULT_MAX_BYTES = 4 * 1024 * 1024


def _recipients_text(value: str, env: Mapping[str, str]) -> str:
    """The keys themselves, or the keys of the recipients file a value not starting with ``age1`` names.

    A recipients file is what ``office keygen``'s ``.pub`` files and ``age -R`` read: one key a
    line, ``#`` comments. It exists for AWS Lambda, which keeps a function's whole environment in
    4 KB, less than two hybrid keys (1,959 characters each): there the file travels in the zip
    (``scripts/package-lambda.sh --recipients``) and a relative path is taken from the zip's folder.
    """
    if value.startswith("age1"):
        return value
    path = Path(value)
    if not path.is_absolute() and env.get("LAMBDA_TASK_ROOT"):
        path = Path(env["LAMBDA_TASK_ROOT"]) / path
    text = path.read_text(encoding="utf-8")
    return "\n".join(line.split("#", 1)[0] for line in text.splitlines())


# API Gateway hands Lambda at most 6 MB of event JSON, and binary bodies arrive base64-encoded.
LAMBDA_BODY_CEILING = 4_400_000


class ConfigError(ValueError):
    """One or more variables are missing or wrong; the message names each of them."""


@dataclass(frozen=True)
class Config:
    store_url: str
    recipients: tuple[envelope.Recipient, ...]
    max_bytes: int = DEFAULT_MAX_BYTES
    site_origin: str | None = None
    form_enabled: bool = True
    contacts_url: str | None = None  # None: no other channel is published yet, so no link to one
    log_level: str = "INFO"
    secret: bytes = b""
    secret_is_random: bool = False
    pow_enabled: bool = True
    pow_cost: int = 1000
    pow_max: int = 1800
    pow_ttl: int = 600
    max_file_bytes: int = 50 * 1024 * 1024
    max_report_bytes: int = 200 * 1024 * 1024
    upload_ttl: int = 900
    form_budget: int = 300
    check_budget: int = 1800
    client_form_limit: int = 10
    client_check_limit: int = 60
    trusted_proxies: tuple[clients.Network, ...] = ()
    edge_secret: str = ""

    @property
    def recipient_strings(self) -> list[str]:
        return [str(r) for r in self.recipients]


def _default_store() -> str:
    return (Path.cwd() / "var" / "store").as_uri()


def from_env(environ: Mapping[str, str] | None = None) -> Config:
    """Read and check every variable; raise ConfigError listing all the bad ones."""
    env = os.environ if environ is None else environ
    problems: list[str] = []

    store_url = env.get("INTAKE_STORE", "").strip() or _default_store()
    if not store_url.startswith(("file:///", "s3://")):
        problems.append(f"INTAKE_STORE={store_url!r}: expected file:///absolute/path or s3://bucket/prefix")

    recipients: tuple[envelope.Recipient, ...] = ()
    raw_recipients = env.get("INTAKE_RECIPIENTS", "").strip()
    if not raw_recipients:
        problems.append("INTAKE_RECIPIENTS is not set: give the Office's public key(s), age1..., comma-separated")
    else:
        try:
            recipients = tuple(envelope.parse_recipients(_recipients_text(raw_recipients, env)))
        except envelope.EnvelopeError as exc:
            problems.append(f"INTAKE_RECIPIENTS: {exc}")
        except OSError as exc:
            problems.append(f"INTAKE_RECIPIENTS: cannot read the recipients file {raw_recipients!r}: {exc.strerror}")

    max_bytes = DEFAULT_MAX_BYTES
    raw_max = env.get("INTAKE_MAX_BYTES", "").strip()
    if raw_max:
        if not raw_max.isdigit() or not 1024 <= int(raw_max) <= 1 << 30:
            problems.append(f"INTAKE_MAX_BYTES={raw_max!r}: expected a whole number of bytes, 1024 to 1073741824")
        else:
            max_bytes = int(raw_max)

    site_origin = env.get("INTAKE_SITE_ORIGIN", "").strip().rstrip("/") or None
    if site_origin and (not site_origin.startswith(("https://", "http://")) or site_origin.count("/") != 2):
        problems.append(f"INTAKE_SITE_ORIGIN={site_origin!r}: expected an origin such as https://tocao.example.gov.vn")

    raw_form = env.get("INTAKE_FORM", "on").strip().lower()
    if raw_form not in ("on", "off"):
        problems.append(f"INTAKE_FORM={raw_form!r}: expected on or off")

    contacts_url = env.get("INTAKE_CONTACTS_URL", "").strip()
    if contacts_url.lower() == "none":
        contacts_url = ""
    if contacts_url and not (contacts_url.startswith("/") or contacts_url.startswith(("https://", "http://"))):
        problems.append(f"INTAKE_CONTACTS_URL={contacts_url!r}: expected a path such as /lien-he/, a URL, or none")
    log_level = env.get("INTAKE_LOG_LEVEL", "INFO").strip().upper()
    if log_level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        problems.append(f"INTAKE_LOG_LEVEL={log_level!r}: expected DEBUG, INFO, WARNING or ERROR")

    def number(name: str, default: int, low: int, high: int) -> int:
        raw = env.get(name, "").strip()
        if not raw:
            return default
        if not raw.isdigit() or not low <= int(raw) <= high:
            problems.append(f"{name}={raw!r}: expected a whole number from {low} to {high}")
            return default
        return int(raw)

    raw_secret = env.get("INTAKE_SECRET", "").strip()
    if raw_secret and len(raw_secret) < 32:
        problems.append("INTAKE_SECRET is too short: use at least 32 random characters")
    raw_pow = env.get("INTAKE_POW", "on").strip().lower()
    if raw_pow not in ("on", "off"):
        problems.append(f"INTAKE_POW={raw_pow!r}: expected on or off")
    pow_cost = number("INTAKE_POW_COST", 1000, 1, 10_000_000)
    pow_max = number("INTAKE_POW_MAX", 1800, 1, 100_000_000)
    pow_ttl = number("INTAKE_POW_TTL", 600, 30, 86400)
    max_file = number("INTAKE_MAX_FILE_BYTES", 50 * 1024 * 1024, 1, 5 << 30)
    max_report = number("INTAKE_MAX_REPORT_BYTES", 200 * 1024 * 1024, 1, 50 << 30)
    upload_ttl = number("INTAKE_UPLOAD_TTL", 900, 60, 7 * 86400)
    form_budget = number("INTAKE_FORM_BUDGET", 300, 0, 360_000)
    check_budget = number("INTAKE_CHECK_BUDGET", 1800, 0, 360_000)
    client_form_limit = number("INTAKE_CLIENT_FORM_LIMIT", 10, 0, 360_000)
    client_check_limit = number("INTAKE_CLIENT_CHECK_LIMIT", 60, 0, 360_000)
    trusted_proxies: tuple[clients.Network, ...] = ()
    try:
        trusted_proxies = clients.parse_networks(env.get("INTAKE_TRUSTED_PROXIES", ""))
    except ValueError as exc:
        problems.append(f"INTAKE_TRUSTED_PROXIES: {exc}; expected addresses or networks such as 127.0.0.1, 10.0.0.0/8")
    edge_secret = env.get("INTAKE_EDGE_SECRET", "").strip()
    if edge_secret and len(edge_secret) < 32:
        problems.append("INTAKE_EDGE_SECRET is too short: use at least 32 random characters")
    if max_file > max_report:
        problems.append("INTAKE_MAX_FILE_BYTES is larger than INTAKE_MAX_REPORT_BYTES")

    if problems:
        raise ConfigError("The intake function cannot start:\n  - " + "\n  - ".join(problems))
    return Config(
        store_url=store_url,
        recipients=recipients,
        max_bytes=max_bytes,
        site_origin=site_origin,
        form_enabled=raw_form == "on",
        contacts_url=contacts_url or None,
        log_level=log_level,
        secret=raw_secret.encode() if raw_secret else secrets.token_bytes(32),
        secret_is_random=not raw_secret,
        pow_enabled=raw_pow == "on",
        pow_cost=pow_cost,
        pow_max=pow_max,
        pow_ttl=pow_ttl,
        max_file_bytes=max_file,
        max_report_bytes=max_report,
        upload_ttl=upload_ttl,
        form_budget=form_budget,
        check_budget=check_budget,
        client_form_limit=client_form_limit,
        client_check_limit=client_check_limit,
        trusted_proxies=trusted_proxies,
        edge_secret=edge_secret,
    )
