"""The Office's public keys in force: what every case, answer copy and attachment is encrypted to.

The register keeps one list (``meta``), which must hold every key the Office
publishes, the primary and the backup, as the portal's INTAKE_RECIPIENTS does:
then a case taken by phone opens with the backup key exactly as an online report
does. The list is set when the register is made (``office init --recipients``)
and changed only by ``office recipients`` (add, retire, re-encrypt), each change
in the audit trail. Loading an identity never changes it: a key is added on
purpose or not at all.

A list of keys is written as ``age1...`` keys separated by commas or spaces, or
as the path of a recipients file, one key a line with ``#`` comments (the file
``age -R`` reads, and the ``.pub`` file ``office keygen`` writes).
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from intake_function import envelope

from .. import notepad, register

RECIPIENTS_KEY = "office_recipients"
NAMES_KEY = "office_recipient_names"  # key -> the name its recipients file gave it (which is primary, backup...)


class RecipientsError(ValueError):
    """The register cannot say which keys to encrypt to, or a change would break it; the message says why."""


def read_recipients(value: str) -> list[str]:
    """The ``age1...`` keys a value names: keys themselves, or recipients files (see the module)."""
    value = value.strip()
    if not value.startswith("age1") and _is_file(value):
        return _from_file(Path(value))
    keys = []
    for item in (i for i in re.split(r"[\s,]+", value) if i):
        keys += _from_file(Path(item)) if not item.startswith("age1") and _is_file(item) else [item]
    if not keys:
        raise RecipientsError("chưa có khóa công khai nào / no public key given (age1... or a recipients file)")
    try:
        return [str(r) for r in envelope.parse_recipients(",".join(keys))]
    except envelope.EnvelopeError as exc:
        raise RecipientsError(str(exc)) from None


def _is_file(text: str) -> bool:
    try:
        return Path(text).is_file()
    except (OSError, ValueError):  # a name too long for the system (a pasted hybrid key), or with a NUL
        return False


def names_in(value: str) -> dict[str, str]:
    """Each key a value names from a recipients file -> its name there: the comment on its line or just before it
    (``office keygen`` writes the identity file's name there), else the file's name. A key typed as such has none.
    """
    value = value.strip()
    whole = not value.startswith("age1") and _is_file(value)
    items = [value] if whole else [i for i in re.split(r"[\s,]+", value) if i]
    names: dict[str, str] = {}
    for item in items:
        if item.startswith("age1") or not _is_file(item):
            continue
        try:
            text = notepad.read(Path(item)).text
        except notepad.TextFileError:
            continue
        comment = ""
        for line in text.splitlines():
            key, _, note = line.partition("#")
            if not key.strip():
                comment = " ".join(note.split()) or comment
                continue
            try:
                found = str(envelope.parse_recipients(key.strip())[0])
            except (envelope.EnvelopeError, IndexError):
                continue
            names[found] = (" ".join(note.split()) or comment or Path(item).name)[:80]
            comment = ""
    return names


def key_names(db) -> dict[str, str]:
    """The names the keys in force were given when they were added (see ``names_in``)."""
    try:
        found = json.loads(register.meta_get(db, NAMES_KEY) or "{}")
    except json.JSONDecodeError:
        return {}
    return found if isinstance(found, dict) else {}


def note_names(db, names: dict[str, str]) -> None:
    """Keep the names of keys being added (inside the transaction that adds them)."""
    if names:
        register.meta_set(db, NAMES_KEY, json.dumps({**key_names(db), **names}, ensure_ascii=False))


def _from_file(path: Path) -> list[str]:
    try:
        text = notepad.read(path).text
    except notepad.TextFileError as exc:
        raise RecipientsError(str(exc)) from None
    keys = [line.split("#", 1)[0].strip() for line in text.splitlines()]
    keys = [k for k in keys if k]
    if not keys:
        raise RecipientsError(f"tệp {path} không có khóa công khai nào / {path} holds no public key")
    return keys


def stored_recipients(db) -> list[str]:
    value = register.meta_get(db, RECIPIENTS_KEY)
    return [r for r in (value or "").split(",") if r]


def digest(recipients: list[str]) -> str:
    """One short value for a set of keys (the order does not matter): what a re-encryption was for."""
    return hashlib.sha256(",".join(sorted(recipients)).encode("ascii")).hexdigest()[:32]


def change(db, *, add: list[str] = (), retire: list[str] = (), replace: list[str] | None = None) -> list[str]:
    """The new list after adding, retiring or replacing keys (inside a transaction); refuses an empty list."""
    current = stored_recipients(db) if replace is None else list(replace)
    for key in retire:
        if key not in current:
            raise RecipientsError(
                f"khóa {envelope.fingerprint(key)} không có trong các khóa đang dùng / "
                f"{envelope.fingerprint(key)} is not among the keys in force (office recipients lists them)"
            )
        current.remove(key)
    current += [key for key in add if key not in current]
    try:
        envelope.check_kinds(envelope.parse_recipient(key) for key in current)
    except envelope.EnvelopeError as exc:
        raise RecipientsError(
            f"{exc}. Để chuyển sang khóa lai: office recipients --set TỆP-KHÓA-MỚI.pub rồi --rekey / to move to "
            "hybrid keys: office recipients --set NEW-KEYS.pub, then --rekey"
        ) from None
    if not current:
        raise RecipientsError(
            "không thể bỏ hết khóa: hồ sơ mới sẽ không mở được / cannot retire every key: add the new key first"
        )
    register.meta_set(db, RECIPIENTS_KEY, ",".join(current))
    return current


def recipients_for(db) -> list[envelope.Recipient]:
    stored = stored_recipients(db)
    if not stored:
        raise RecipientsError(
            "sổ chưa có khóa công khai của Văn phòng Ban: khai báo bằng office recipients --add office-recipients.txt "
            "(khóa chính và khóa dự phòng) / the register does not know the Office's public keys yet: "
            "office recipients --add office-recipients.txt (the primary and the backup)"
        )
    return [envelope.parse_recipient(r) for r in stored]


def outside(db, identities: list[envelope.Identity]) -> list[str]:
    """The public keys of loaded identities that are not in force (a retired key, or one never added)."""
    stored = stored_recipients(db)
    if not stored:
        return []
    return [str(i.to_public()) for i in identities if str(i.to_public()) not in stored]


def outside_notes(db, identities: list[envelope.Identity], name: str) -> list[str]:
    """A note for each loaded key that is not among the register's keys in force (``name``: its file)."""
    return [
        f"Lưu ý: khóa {envelope.fingerprint(key)} của {name} không thuộc các khóa đang dùng của sổ "
        "(office recipients); hồ sơ mới không được mã hóa cho khóa này / note: this key is not among the "
        "register's keys in force; new cases are not encrypted to it"
        for key in outside(db, identities)
    ]


def one_key_warning(recipients: list[str]) -> str | None:
    if len(recipients) >= 2:
        return None
    return (
        "Cảnh báo: sổ chỉ có một khóa; mất khóa này thì không mở được hồ sơ. Thêm khóa dự phòng: "
        "office recipients --add ... / warning: one key only; if it is lost no case opens. Add the backup key."
    )
