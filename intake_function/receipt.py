"""Receipt codes and what is derived from them (specification: ``schemas/RECEIPT.md``).

A receipt code is 100 random bits written as 20 Crockford base32 characters in
four groups. Each group carries a check character computed over the group's
five characters and its place in the code, so that a person's usual slips
(one wrong character, two characters or two groups swapped) are caught before
anything is fetched or sent, and the message can say which group to look at:
``XXXXXC-XXXXXC-XXXXXC-XXXXXC``. Codes issued before the check characters
(``XXXXX-XXXXX-XXXXX-XXXXX``) are read as they always were.

The secret is the 20 data characters only; from them, with HKDF-SHA-256, both
the browser and the function derive:

* the **lookup id** (128 bits, 32 hex characters): the folder ``outbox/<lookup id>/``
  where the Office leaves encrypted answers; it names a case and proves nothing;
* the **reply identity**: an X25519 age identity whose recipient goes inside the
  report, so that the Office can encrypt answers only the code's holder can read;
* the **follow-up proof** (256 bits): its commitment (SHA-256) goes inside the
  report, the proof itself inside each follow-up, both encrypted to the Office, so
  that a follow-up joins the case only when its sender holds the code.

The JavaScript side (``web/src/code.js``, ``web/src/receipt.js``) follows the same
steps and is checked against the vectors in ``schemas/receipt-vectors.json``.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from . import codes

CODE_BITS = 100
CODE_LENGTH = 20  # data characters: the secret
GROUPS = 4
GROUP = 5  # data characters a group
WRITTEN_LENGTH = CODE_LENGTH + GROUPS  # with one check character a group
SALT = b"bqlkkt-angiang/receipt/v1"
LOOKUP_INFO = b"lookup-id"
REPLY_INFO = b"reply-identity"
FOLLOWUP_INFO = b"followup-proof"
_SEPARATORS = re.compile(r"[- ]+")  # hyphens and spaces only: a line break inside a code is refused

# The check character works in GF(32), the field of 32 elements built on x^5 + x^2 + 1, so
# that a wrong character, two characters swapped and a group moved always change it.
_FIELD_POLYNOMIAL = 0b100101


class ReceiptCodeError(ValueError):
    """The text is not a receipt code.

    ``kind`` says what is wrong and ``groups`` where (1-4; empty when it cannot be told):

    * ``length``: too many or too few characters (in ``groups``, when the typed groups show it);
    * ``character``: a character no code contains;
    * ``check``: a check character does not match its group (a character mistyped);
    * ``swapped``: two groups are each other's (``groups`` names both).
    """

    def __init__(self, kind: str, groups: tuple[int, ...], detail: str) -> None:
        super().__init__(detail)
        self.kind = kind
        self.groups = groups


@dataclass(frozen=True)
class Derived:
    lookup_id: str
    reply_identity: str  # AGE-SECRET-KEY-1...
    reply_recipient: str  # age1...
    followup_proof: str  # 64 hex characters: inside a follow-up's envelope only
    followup_commitment: str  # 64 hex characters: inside the report's envelope


def new_code() -> str:
    """A fresh receipt code from the operating system's CSPRNG, with its check characters."""
    return format_code(codes.encode_int(secrets.randbits(CODE_BITS), CODE_LENGTH))


def _gf_multiply(a: int, b: int) -> int:
    product = 0
    while b:
        if b & 1:
            product ^= a
        b >>= 1
        a <<= 1
        if a & 0b100000:
            a ^= _FIELD_POLYNOMIAL
    return product


def _power(exponent: int) -> int:
    value = 1
    for _ in range(exponent):
        value = _gf_multiply(value, 2)
    return value


# Character i (1-5) of a group weighs x^i, the check character 1; a group in place g (1-4) adds x^(5+g).
_WEIGHTS = [_power(i) for i in range(1, GROUP + 1)]
_PLACES = [_power(GROUP + g) for g in range(1, GROUPS + 1)]


def check_character(data: str, place: int) -> str:
    """The check character of a group's five data characters in place ``place`` (1-4)."""
    total = _PLACES[place - 1]
    for weight, char in zip(_WEIGHTS, data, strict=True):
        total ^= _gf_multiply(weight, codes.ALPHABET.index(char))
    return codes.ALPHABET[total]


def format_code(compact: str) -> str:
    """The written form of 20 data characters: four groups, each with its check character."""
    groups = [compact[i : i + GROUP] for i in range(0, CODE_LENGTH, GROUP)]
    return "-".join(group + check_character(group, place) for place, group in enumerate(groups, start=1))


def _cleaned(text: str) -> str:
    cleaned = _SEPARATORS.sub("", text.strip(" ").upper())
    return cleaned.replace("O", "0").replace("I", "1").replace("L", "1")


def normalise(text: str) -> str:
    """The 20 data characters of a code as typed (case, hyphens, spaces, O/I/L forgiven).

    A code with check characters (24 characters) is checked group by group; a
    code without (20 characters, as issued before) is taken as it is.
    """
    cleaned = _cleaned(text)
    if len(cleaned) not in (CODE_LENGTH, WRITTEN_LENGTH):
        detail = f"a receipt code has {WRITTEN_LENGTH} characters, not {len(cleaned)}"
        raise ReceiptCodeError("length", _groups_of_wrong_length(text), detail)
    size = GROUP + 1 if len(cleaned) == WRITTEN_LENGTH else GROUP
    for index, char in enumerate(cleaned):
        if char not in codes.ALPHABET:
            group = index // size + 1
            raise ReceiptCodeError("character", (group,), f"group {group} holds {char!r}, which no code contains")
    groups = [cleaned[i : i + size] for i in range(0, len(cleaned), size)]
    if size == GROUP:
        return cleaned
    wrong = tuple(place for place, group in enumerate(groups, start=1) if not _fits(group, place))
    if len(wrong) == 2:
        first, second = wrong
        if _fits(groups[first - 1], second) and _fits(groups[second - 1], first):
            raise ReceiptCodeError("swapped", wrong, f"groups {first} and {second} are swapped")
    if wrong:
        raise ReceiptCodeError("check", wrong, f"the check character of group {wrong[0]} does not match")
    return "".join(group[:GROUP] for group in groups)


def _fits(group: str, place: int) -> bool:
    return check_character(group[:GROUP], place) == group[GROUP]


def _groups_of_wrong_length(text: str) -> tuple[int, ...]:
    """When four groups were typed, those of a length no group has (so the reporter knows where to look)."""
    typed = [g for g in _SEPARATORS.split(text.strip(" ")) if g]
    if len(typed) != GROUPS:
        return ()
    usual = GROUP + 1 if any(len(g) == GROUP + 1 for g in typed) else GROUP
    return tuple(place for place, group in enumerate(typed, start=1) if len(group) != usual)


def hkdf_sha256(ikm: bytes, salt: bytes, info: bytes, length: int) -> bytes:
    """HKDF (RFC 5869) with SHA-256: extract, then expand."""
    prk = hmac.new(salt, ikm, hashlib.sha256).digest()
    output, block = b"", b""
    for counter in range(1, -(-length // 32) + 1):
        block = hmac.new(prk, block + info + bytes([counter]), hashlib.sha256).digest()
        output += block
    return output[:length]


def derive(code: str) -> Derived:
    """Everything a code yields (ReceiptCodeError if it is not one): see ``schemas/RECEIPT.md``."""
    from .envelope import x25519

    ikm = normalise(code).encode("ascii")
    lookup_id = hkdf_sha256(ikm, SALT, LOOKUP_INFO, 16).hex()
    identity = x25519.Identity(hkdf_sha256(ikm, SALT, REPLY_INFO, 32))
    proof = hkdf_sha256(ikm, SALT, FOLLOWUP_INFO, 32).hex()
    return Derived(lookup_id, str(identity), str(identity.to_public()), proof, commitment(proof))


def commitment(proof: str) -> str:
    """The commitment to a follow-up proof (64 hex characters): SHA-256 of the proof's 32 bytes."""
    return hashlib.sha256(bytes.fromhex(proof)).hexdigest()
