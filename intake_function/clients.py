"""Limits per client that keep no address.

The paths that cannot ask for a proof-of-work (the no-JavaScript form and follow-up, and checking
the answers to a receipt code) are bounded per client, so that no single client can hold them
closed for everyone else: a token bucket per client and path, in this process's memory only.

A client is known by a **pseudonym**: HMAC-SHA-256 of its address under a random key that this
process draws at start and draws again every hour. The buckets are thrown away with the key, so
after an hour nothing links a pseudonym to an address or to the pseudonyms before it. The key,
the address and the pseudonym are never stored, logged or sent anywhere.

Where the address comes from: only from what the request's own connection, or a proxy the
configuration names, vouches for.

* A WSGI server (waitress, gunicorn) reached directly: the connection's address (``REMOTE_ADDR``).
* Behind a reverse proxy whose address is in ``INTAKE_TRUSTED_PROXIES`` (nginx on the same
  server: ``127.0.0.1``): the last address of ``X-Forwarded-For`` that is not itself a trusted
  proxy. The proxy must set that header from the connection it received (nginx:
  ``proxy_set_header X-Forwarded-For $remote_addr;``), never pass on the client's own.
* AWS Lambda behind API Gateway (``lambda_handler``): the connection's address
  (``requestContext.http.sourceIp``); behind CloudFront, which proves that the request came through
  it with the header ``X-Intake-Edge`` holding ``INTAKE_EDGE_SECRET``, the viewer's address that
  CloudFront writes in ``CloudFront-Viewer-Address``. The handler computes the pseudonym itself;
  the app never sees the address.

An IPv6 address counts by its /64 (one subscriber's network, in which a device picks addresses at
will), an IPv4 address whole. Citizens behind one carrier-grade NAT share a bucket: the limits are
sized so that a few of them can report and check at once (README, "Limits").

The store-wide budgets (``budget``) stay behind these limits as a last resort against a flood
from very many addresses at once.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
import secrets
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .errors import ApiError

KEY_LIFETIME = 3600  # seconds: the pseudonyms' key, and every bucket with it
MAX_CLIENTS = 50_000  # buckets kept per path; beyond, new clients share one (memory stays bounded)
EDGE_HEADER = "x-intake-edge"  # CloudFront's proof that a request came through it (Lambda)
VIEWER_HEADER = "cloudfront-viewer-address"
_OVERFLOW = "overflow"

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(text: str) -> tuple[Network, ...]:
    """``INTAKE_TRUSTED_PROXIES``: addresses or networks, comma-separated (ValueError naming a bad one)."""
    networks = []
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ValueError(f"{item!r} is not an IP address or network") from None
    return tuple(networks)


def _address(text: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address((text or "").strip())
    except ValueError:
        return None


def _trusted(address, trusted: Iterable[Network]) -> bool:
    return address is not None and any(address in network for network in trusted)


def address_behind(remote: str | None, forwarded: str | None, trusted: tuple[Network, ...]) -> str:
    """The client's address of a WSGI request: see the module docstring.

    When the connection comes from a trusted proxy, the addresses the proxies appended to
    ``X-Forwarded-For`` are read from the right, skipping trusted proxies; the first other one is
    the client. Anything that is not an address there (the client's own text) ends the search.
    """
    address = _address(remote)
    if not _trusted(address, trusted):
        return str(address) if address else ""
    for item in reversed((forwarded or "").split(",")):
        hop = _address(item)
        if hop is None:
            break
        if not _trusted(hop, trusted):
            return str(hop)
        address = hop
    return str(address)


def address_at_edge(source_ip: str | None, headers: Mapping[str, str], edge_secret: str) -> str:
    """The client's address of an API Gateway event (headers with lower-case names)."""
    proof = headers.get(EDGE_HEADER, "")
    if edge_secret and proof and hmac.compare_digest(proof.encode(), edge_secret.encode()):
        viewer = headers.get(VIEWER_HEADER, "").strip()
        host = viewer.rsplit(":", 1)[0].strip("[]") if ":" in viewer else viewer  # "IP:port", IPv6 unbracketed
        if _address(host) is not None:
            return str(_address(host))
    return str(_address(source_ip) or "")


def _network_of(address: str) -> bytes:
    """What a pseudonym is made of: an IPv6 address's /64, an IPv4 address whole."""
    parsed = _address(address)
    if parsed is None:
        return b"unknown"
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped:
            return parsed.ipv4_mapped.packed
        return parsed.packed[:8]
    return parsed.packed


@dataclass
class _Bucket:
    tokens: float
    at: float


class Limit:
    """A token bucket per client for one path: ``per_hour`` requests an hour, a third of them at once."""

    def __init__(self, name: str, per_hour: int) -> None:
        self.name = name
        self.per_hour = per_hour  # 0: no limit
        self.burst = max(1, math.ceil(per_hour / 3))
        self._buckets: dict[str, _Bucket] = {}

    @property
    def rate(self) -> float:
        return self.per_hour / 3600

    def _refilled(self, bucket: _Bucket, now: float) -> float:
        return min(self.burst, bucket.tokens + (now - bucket.at) * self.rate)

    def _make_room(self, now: float) -> None:
        """Forget the buckets that have filled up again: they hold nothing a fresh one does not."""
        self._buckets = {k: b for k, b in self._buckets.items() if self._refilled(b, now) < self.burst}

    def take(self, client: str, now: float, spend: bool = True) -> float:
        """Spend one token (or only look, ``spend=False``); return 0, or the seconds until one is back."""
        if not self.per_hour:
            return 0
        bucket = self._buckets.get(client)
        if bucket is None:
            if len(self._buckets) >= MAX_CLIENTS:
                self._make_room(now)
            if len(self._buckets) >= MAX_CLIENTS:
                client = _OVERFLOW
                bucket = self._buckets.get(client)
            if bucket is None:
                bucket = self._buckets[client] = _Bucket(self.burst, now)
        tokens = self._refilled(bucket, now)
        if tokens < 1:
            return (1 - tokens) / self.rate
        if spend:
            bucket.tokens, bucket.at = tokens - 1, now
        return 0

    def clear(self) -> None:
        self._buckets.clear()


class Clients:
    """The pseudonyms' key and the limits, for one process (thread-safe)."""

    def __init__(self, limits: Iterable[Limit], clock=time.monotonic) -> None:
        self._limits = {limit.name: limit for limit in limits}
        self._clock = clock
        self._lock = threading.Lock()
        self._key = b""
        self._drawn = -math.inf

    def _current_key(self, now: float) -> bytes:
        if now - self._drawn >= KEY_LIFETIME:
            self._key, self._drawn = secrets.token_bytes(32), now
            for limit in self._limits.values():
                limit.clear()  # a new key: no bucket of the old pseudonyms survives
        return self._key

    def pseudonym(self, address: str) -> str:
        """The client's name for this hour (nothing else is ever kept of the address)."""
        with self._lock:
            key = self._current_key(self._clock())
        return hmac.new(key, _network_of(address), hashlib.sha256).hexdigest()[:32]

    def check(self, name: str, pseudonym: str) -> None:
        """Refuse at once (429) a client with nothing left of ``name``, before its request is read."""
        self._take(name, pseudonym, spend=False)

    def take(self, name: str, pseudonym: str) -> None:
        """Spend one request of ``name`` for this client, once it was found good; 429 when none is left."""
        self._take(name, pseudonym, spend=True)

    def _take(self, name: str, pseudonym: str, spend: bool) -> None:
        with self._lock:
            now = self._clock()
            self._current_key(now)
            wait = self._limits[name].take(pseudonym, now, spend)
        if wait:
            seconds = max(1, math.ceil(wait))
            raise ApiError(
                429,
                "slow_down",
                "Từ địa chỉ mạng của Ông/Bà đã có nhiều yêu cầu trong thời gian ngắn. Vui lòng thử lại sau "
                f"khoảng {max(1, math.ceil(seconds / 60))} phút.",
                retry_after=seconds,
            )
