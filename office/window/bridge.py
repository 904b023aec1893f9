"""PROVISIONAL: run an ``office`` command in the desk's process, until branch ops lands its operations.

The page must call the same operations as the commands. Until those exist as
plain functions, the page calls the commands themselves: same checks, same
words, same audit entries, by construction. The command runs in this process
with its output captured (one at a time: click writes to the process's
streams), and the unlocked identities are handed to it in place of the
passphrase prompt. To be replaced by direct calls of ops' operations.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass
from unittest import mock

from click.testing import CliRunner

from intake_function import envelope

_one_at_a_time = threading.Lock()


@dataclass
class Outcome:
    ok: bool
    stdout: str
    stderr: str

    @property
    def lines(self) -> list[str]:
        return [line for line in (self.stdout + "\n" + self.stderr).splitlines() if line.strip()]

    @property
    def error(self) -> str:
        """The refusal, as ``office`` prints it after "Lỗi / Error:"."""
        text = self.stderr.strip().splitlines()
        found = [line for line in text if line.startswith("Lỗi / Error:")]
        return (found[-1].removeprefix("Lỗi / Error:").strip() if found else "\n".join(text)) or "?"


@contextmanager
def _identities(identities: list[envelope.Identity] | None):
    if identities is None:
        yield
        return
    with mock.patch.object(envelope, "load_identities", lambda path, ask: list(identities)):
        yield


def run(args: list[str], identities: list[envelope.Identity] | None = None) -> Outcome:
    from ..commands import messages
    from ..commands.cli import cli

    with _one_at_a_time, _identities(identities):
        messages.install()
        result = CliRunner().invoke(cli, args, catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Outcome(result.exit_code == 0, result.stdout, result.stderr)
