"""The Office's identity while the desk runs: decrypted in memory only, locked when idle or asked.

The clerk types the identity's passphrase once; the decrypted identities stay in
this process's memory (never on disk) until the desk locks: after the idle time
of the settings (``[desk] lock_after_minutes``, 15 by default) without a request,
on "Khóa", or when the desk stops. A watchman thread locks on time, so the key
leaves memory even if no one comes back to the page.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from intake_function import envelope


class Locked(Exception):
    """The desk is locked: the page asks for the passphrase again."""


class Vault:
    def __init__(self, identity_file: Path, lock_after_seconds: float, clock: Callable[[], float] = time.monotonic):
        self.identity_file = identity_file
        self.lock_after = lock_after_seconds
        self._clock = clock
        self._identities: list[envelope.Identity] | None = None
        self._last_use = clock()
        self._changed = threading.Condition()
        self._closed = False
        threading.Thread(target=self._watch, name="desk-idle-lock", daemon=True).start()

    @property
    def unlocked(self) -> bool:
        return self._identities is not None

    def needs_passphrase(self) -> bool:
        """Is the identity file protected by a passphrase? (A plain one unlocks with the button alone.)"""
        try:
            return envelope.is_passphrase_protected(self.identity_file.read_bytes())
        except OSError:
            return True

    def unlock(self, passphrase: str) -> list[envelope.Identity]:
        """Decrypt the identity file with the passphrase; EnvelopeError (in Vietnamese first) if it does not open."""
        identities = envelope.load_identities(self.identity_file, lambda: passphrase)
        with self._changed:
            self._identities = identities
            self._last_use = self._clock()
            self._changed.notify_all()
        return identities

    def identities(self) -> list[envelope.Identity]:
        """The unlocked identities; Locked if the desk is locked (or has just timed out)."""
        with self._changed:
            if self._identities is not None and self._clock() - self._last_use >= self.lock_after:
                self._identities = None
            if self._identities is None:
                raise Locked
            return self._identities

    def touch(self) -> None:
        """The clerk did something: the idle time starts again."""
        with self._changed:
            if self._identities is not None and self._clock() - self._last_use >= self.lock_after:
                self._identities = None  # too late: the watchman was about to lock
            self._last_use = self._clock()
            self._changed.notify_all()

    def lock(self) -> None:
        with self._changed:
            self._identities = None
            self._changed.notify_all()

    def close(self) -> None:
        """The desk stops: lock, and let the watchman go."""
        with self._changed:
            self._identities = None
            self._closed = True
            self._changed.notify_all()

    def _watch(self) -> None:
        with self._changed:
            while not self._closed:
                if self._identities is None:
                    self._changed.wait()
                    continue
                left = self.lock_after - (self._clock() - self._last_use)
                if left <= 0:
                    self._identities = None
                else:
                    self._changed.wait(timeout=left)
