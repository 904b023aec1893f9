"""``office keygen``, the operation: a new Office key, its identity file and, beside it, its public key file.

The identity file is protected by a passphrase, as ``age -p`` writes it, so that the
reference tools can read it too; the public key file (same name, ``.pub``) is what
``office init --recipients``, ``office recipients --add`` and ``age -R`` read. Neither
file is ever overwritten. The passphrase is asked by the face (the command asks it
twice), with the rules below.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from intake_function import envelope
from intake_function.store import exclusive_file

from ..operation import DeskError, Done

MIN_PASSPHRASE = 10
TOO_SHORT = (
    f"Mật khẩu phải có ít nhất {MIN_PASSPHRASE} ký tự / the passphrase needs at least {MIN_PASSPHRASE} characters."
)
DIFFERENT = "Hai lần nhập không khớp; nhập lại / the two entries do not match; try again."


def public_file(out: Path) -> Path:
    return out.with_suffix(".pub")


def check_free(out: Path) -> None:
    """Refuse before anything is asked: neither file may exist."""
    for path in (out, public_file(out)):
        if path.exists():
            raise DeskError(f"tệp {path} đã có; chọn tên khác bằng --out / {path} already exists; choose another --out")


def passphrase_problem(first: str) -> str | None:
    """What is wrong with a new passphrase (too short), or None."""
    return TOO_SHORT if len(first) < MIN_PASSPHRASE else None


def same_passphrase(first: str, again: str) -> bool:
    """Whether the two entries are the same passphrase (as the identity file will read them)."""
    return envelope.normalise_passphrase(again) == envelope.normalise_passphrase(first)


def make_key(out: Path, passphrase: str | None, *, classic: bool = False) -> Done:
    """Write the identity file (protected by ``passphrase``; None: none, for tests only) and its public key file.

    The key is a hybrid post-quantum one (ML-KEM-768 + X25519), unless ``classic`` (X25519, for a transition).
    ``Done.out`` is the public key to publish, ``Done.lines`` the files and the fingerprint to read out.
    """
    check_free(out)
    public = public_file(out)
    identity = envelope.generate_identity(envelope.X25519 if classic else envelope.HYBRID)
    created = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    text = envelope.identity_file_text(identity, created)
    data = text.encode("utf-8") if passphrase is None else envelope.protect_with_passphrase(text, passphrase)
    out.parent.mkdir(parents=True, exist_ok=True)
    recipient = str(identity.to_public())
    for path, content in ((out, data), (public, f"# {out.name}, {created}\n{recipient}\n".encode())):
        with exclusive_file(path) as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
    done = Done(out=[recipient], value=recipient)
    return done.say(
        f"Đã tạo tệp khóa / identity file written: {out}",
        f"Tệp khóa công khai / public key file: {public}",
        f"Loại khóa / kind: {envelope.kind_label(recipient)}",
        "Khóa công khai (công bố trên cổng) / public key (publish it):",
        "Mã nhận dạng khóa (đọc để đối chiếu) / fingerprint (read out to check):",
        f"  {envelope.fingerprint(recipient)}",
        "Tiếp theo: sao lưu tệp khóa ra phương tiện riêng; cất mật khẩu ở nơi khác; đưa khóa công khai vào "
        "docs/data/portal.yml và INTAKE_RECIPIENTS.\n"
        "Next: back the file up on separate media; keep the passphrase apart from it; put the "
        "public key in docs/data/portal.yml and INTAKE_RECIPIENTS.",
    )
