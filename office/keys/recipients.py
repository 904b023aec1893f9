"""The Office's public keys as the register knows them: what new cases and sealed parts are encrypted to.

Registering a case needs only the Office's *public* keys, never the passphrase:
they come from ``--recipient``/OFFICE_RECIPIENTS, or from the register, which
remembers them the first time an identity is loaded (``pull``, ``show``...) or
when set with ``office recipients --set``.
"""

from __future__ import annotations

from intake_function import envelope

from .. import register

RECIPIENTS_KEY = "office_recipients"


class RecipientsError(ValueError):
    """The register cannot say which keys to encrypt to; the message says what to run."""


def stored_recipients(db) -> list[str]:
    value = register.meta_get(db, RECIPIENTS_KEY)
    return [r for r in (value or "").split(",") if r]


def set_recipients(db, text: str) -> list[str]:
    recipients = [str(r) for r in envelope.parse_recipients(text)]
    with register.transaction(db):
        register.meta_set(db, RECIPIENTS_KEY, ",".join(recipients))
    return recipients


def remember_recipients(db, identities: list[envelope.Identity]) -> None:
    """Note the public keys of a loaded identity, the first time only (``add`` needs no passphrase)."""
    if stored_recipients(db) or not identities:
        return
    with register.transaction(db):
        if not register.meta_get(db, RECIPIENTS_KEY):
            register.meta_set(db, RECIPIENTS_KEY, ",".join(str(i.to_public()) for i in identities))


def recipients_for(db, override: str | None) -> list[envelope.Recipient]:
    if override:
        return envelope.parse_recipients(override)
    stored = stored_recipients(db)
    if not stored:
        raise RecipientsError(
            "the register does not know the Office's public key yet: run `office recipients --set age1...` "
            "(or give --recipient / OFFICE_RECIPIENTS, or run office pull once) "
            "(chưa có khóa công khai của Văn phòng)"
        )
    return [envelope.parse_recipient(r) for r in stored]
