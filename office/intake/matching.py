"""Which case a follow-up joins, and how the Office is told it was verified.

A follow-up (``followup/1``) names a case by its lookup id, which proves nothing: the id shows in
bucket listings, answers' folders and, for pages made before it moved into request bodies, in
URLs. What proves that the sender holds the receipt code is the follow-up proof derived from it,
which the follow-up carries inside its envelope; the report carries its commitment
(``intake_function/schemas/RECEIPT.md``). So, among the cases with the follow-up's lookup id:

1. the case whose commitment is SHA-256 of the follow-up's proof: joined, **proven** (``code``);
2. otherwise a case whose report carries no commitment (its code was issued before proofs
   existed): joined, labelled **lookup id only** (``lookup``), never as the reporter's own words;
3. otherwise, when some case has the lookup id: kept aside, **unverified** (no proof, or a proof
   that is not that case's), listed by ``office list --unmatched`` with the reason;
4. when no case has the lookup id: kept until its case arrives, then judged by the same rule.

The Office can still join a kept follow-up by hand (``office attach``: ``hand``).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from intake_function import receipt

from .. import register

# How a joined follow-up was found to belong to its case (register: followups.verified).
VERIFIED = {
    "code": ("Người phản ánh bổ sung (đã chứng minh bằng mã tra cứu)", "reporter added (proven with the receipt code)"),
    "lookup": (
        "Bổ sung theo mã tra cứu cấp trước đây, chưa chứng minh được là của người phản ánh (ai thấy mã định danh "
        "của hồ sơ cũng gửi được)",
        "added under the case's lookup id, not proven to be the reporter's (code issued before proofs: anyone who "
        "saw the lookup id could have sent it)",
    ),
    "hand": ("Thông tin bổ sung do Văn phòng gắn vào hồ sơ", "a follow-up the Office joined by hand (office attach)"),
    "earlier": (
        "Thông tin bổ sung nhận trước khi có bằng chứng mã tra cứu (khớp theo mã định danh hoặc do Văn phòng gắn)",
        "follow-up received before proofs existed (matched by lookup id or joined by hand)",
    ),
}
# Why a kept follow-up did not join the case that has its lookup id (unmatched_followups.unverified).
UNVERIFIED = {
    "no-proof": ("không kèm bằng chứng mã tra cứu", "it carries no proof of the receipt code"),
    "wrong-proof": ("bằng chứng mã tra cứu không khớp hồ sơ", "its proof does not match the case's receipt code"),
}


@dataclass(frozen=True)
class Decision:
    case: register.Case | None  # the case it joins; None: kept
    verified: str | None = None  # how it joins (a key of VERIFIED)
    unverified: str | None = None  # why it is kept although a case has its lookup id (a key of UNVERIFIED)


def proof_commitment(document: dict) -> str | None:
    """The commitment of the proof a follow-up carries (None when it carries none)."""
    proof = document.get("proof")
    return receipt.commitment(proof) if proof else None


def decide(db: sqlite3.Connection, lookup_id: str, commitment: str | None) -> Decision:
    """Where a follow-up with this lookup id and proof commitment goes (see the module docstring)."""
    cases = register.cases_by_lookup(db, lookup_id)
    for case in cases:
        if commitment and case.followup_commitment == commitment:
            return Decision(case, verified="code")
    for case in cases:
        if not case.followup_commitment:
            return Decision(case, verified="lookup")
    if cases:
        return Decision(None, unverified="wrong-proof" if commitment else "no-proof")
    return Decision(None)


def for_new_case(case: register.Case, waiting: register.UnmatchedFollowup) -> Decision:
    """Whether a kept follow-up joins a case just registered with its lookup id."""
    if case.followup_commitment and case.followup_commitment == waiting.proof_commitment:
        return Decision(case, verified="code")
    if not case.followup_commitment:
        return Decision(case, verified="lookup")
    return Decision(None, unverified="wrong-proof" if waiting.proof_commitment else "no-proof")


def verified_label(verified: str) -> str:
    vi, en = VERIFIED.get(verified, VERIFIED["earlier"])
    return f"{vi} / {en}"


def unverified_label(why: str | None) -> str:
    if why is None:
        return "chưa có hồ sơ nào mang mã tra cứu này / no case carries its receipt code"
    vi, en = UNVERIFIED[why]
    return f"chưa xác minh: {vi} / unverified: {en}"
