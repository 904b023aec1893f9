"""The phrasings that promise an anonymous reporter an answer or a result, for every test that scans text.

One list for the whole project: it lives with the code that refuses such a message
(``office/workflow/wording.py``, used by ``office reply``), and the tests of the Office's
outputs, the reply schema and the site import it from here.

    from tests.promises import find_promises
    assert find_promises(text) == []
"""

from __future__ import annotations

from office.workflow.wording import ACCEPTANCE, PROMISES, says_acceptance
from office.workflow.wording import promises as find_promises

__all__ = ["ACCEPTANCE", "PROMISES", "find_promises", "says_acceptance"]
