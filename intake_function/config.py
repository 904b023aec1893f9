"""The intake function's configuration: environment variables, read once at start-up.

| variable             | meaning                                                      | default                  |
|----------------------|--------------------------------------------------------------|--------------------------|
| INTAKE_STORE         | where ciphertext goes: file:///path or s3://bucket/prefix     | file://<cwd>/var/store   |
|                      | (s3 takes ?sse=AES256 (default), aws:kms or none)             |                          |
| INTAKE_RECIPIENTS    | the Office's public keys, age1..., comma-separated            | (required)               |
| INTAKE_MAX_BYTES     | largest report envelope or no-JavaScript form, in bytes       | 4194304 (4 MiB)          |
| INTAKE_SITE_ORIGIN   | the portal's origin, the only one allowed by CORS             | (none: same origin only) |
| INTAKE_FORM          | "on" or "off": the no-JavaScript form that the server encrypts| on                       |
| INTAKE_CONTACTS_URL  | where pages send people for the other channels                | /lien-he/                |
| INTAKE_LOG_LEVEL     | DEBUG, INFO, WARNING or ERROR                                 | INFO                     |

S3 credentials, region and ``AWS_ENDPOINT_URL_S3`` are boto3's own variables.
A bad value stops start-up with a message naming the variable.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from . import envelope

DEFAULT_MAX_BYTES = 4 * 1024 * 1024
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
    contacts_url: str = "/lien-he/"
    log_level: str = "INFO"

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
            recipients = tuple(envelope.parse_recipients(raw_recipients))
        except envelope.EnvelopeError as exc:
            problems.append(f"INTAKE_RECIPIENTS: {exc}")

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

    contacts_url = env.get("INTAKE_CONTACTS_URL", "").strip() or "/lien-he/"
    log_level = env.get("INTAKE_LOG_LEVEL", "INFO").strip().upper()
    if log_level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        problems.append(f"INTAKE_LOG_LEVEL={log_level!r}: expected DEBUG, INFO, WARNING or ERROR")

    if problems:
        raise ConfigError("The intake function cannot start:\n  - " + "\n  - ".join(problems))
    return Config(
        store_url=store_url,
        recipients=recipients,
        max_bytes=max_bytes,
        site_origin=site_origin,
        form_enabled=raw_form == "on",
        contacts_url=contacts_url,
        log_level=log_level,
    )
