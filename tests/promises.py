"""The phrasings that promise a reporter an answer or a result, for every test that scans text.

One list for the whole project, in two parts:

* the patterns in ``office/workflow/wording.py``, which ``office reply`` itself uses to refuse
  such a message at run time;
* the literal phrasings in ``tests/data/forbidden-promises.txt`` (one a line), which reviewers
  extend when they find a new one, including old names of the follow-up page that implied results.

The tests of the Office's outputs, the reply schema, the handbook and the built site all call
``find_promises``:

    from tests.promises import find_promises
    assert find_promises(text) == []
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from office.workflow.wording import ACCEPTANCE, PROMISES, promises, says_acceptance

PHRASES_FILE = Path(__file__).resolve().parent / "data" / "forbidden-promises.txt"

__all__ = ["ACCEPTANCE", "PROMISES", "find_promises", "forbidden_phrases", "says_acceptance"]


def normalize(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def forbidden_phrases() -> list[str]:
    lines = PHRASES_FILE.read_text(encoding="utf-8").splitlines()
    return [normalize(line) for line in lines if line.strip() and not line.lstrip().startswith("#")]


def find_promises(text: str) -> list[str]:
    """Every promise in ``text``: matches of the Office's patterns, then the listed phrasings."""
    folded = normalize(text)
    return promises(text) + [phrase for phrase in forbidden_phrases() if phrase in folded]
