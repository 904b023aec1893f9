"""What the Office may not say to a reporter: promises the law does not support, and "thụ lý" on a report.

Luật Tố cáo 2018 Điều 25 (LEGAL_FACTS §3.4, §8): a report without the sender's
name and address is not handled as a denunciation, and its sender gets no
notice of acceptance or of the result. The receipt code lets the Office post
the state of handling or a question, and the reporter add information; it
promises nothing more. So no text the Office sends through it, and no label or
example of the Office's tool, says that an answer or a result *will* come.

And thụ lý (acceptance) is a decision on a denunciation: a phản ánh is not
"thụ lý", so a reporter on that track reads "Không xem xét, xử lý", never
"không thụ lý".

The patterns are the one list of such phrasings, in Vietnamese and English:
``office reply`` refuses a message that matches, and the tests scan the
Office's outputs, the reply schema and the site with it (``tests/promises.py``).
"""

from __future__ import annotations

import re
import unicodedata

# Each pattern is one way of promising an answer or a result. Written for text folded by _fold
# (NFC, lower case, single spaces). Statements of what a reporter will NOT get do not match, nor
# advice not to promise ("do not promise a result", "không phải một cam kết...").
PROMISES: tuple[str, ...] = (
    # "Văn phòng Ban sẽ trả lời", "sẽ được thông báo", "sẽ phản hồi"
    r"\bsẽ (được )?(trả lời|thông báo|phản hồi|hồi âm|báo kết quả|cho biết kết quả)",
    # "Kết quả sẽ được thông báo", "kết quả xử lý sẽ được gửi"
    r"\bkết quả( xử lý| giải quyết)? sẽ\b",
    # "Ông/Bà sẽ nhận được trả lời / kết quả", "sẽ xem được kết quả"
    r"\bsẽ (nhận|xem|biết) được (câu |thư )?(trả lời|kết quả|phản hồi)",
    # "vẫn xem được trả lời", "vẫn nhận được kết quả" (an anonymous sender "still" gets an answer)
    r"\bvẫn (xem|nhận|biết) được (câu |thư )?(trả lời|kết quả|phản hồi)",
    # "cam kết trả lời", "bảo đảm trả lời", "chắc chắn được trả lời"
    r"(?<!không )(?<!không phải )(?<!không phải một )\b(cam kết|bảo đảm|đảm bảo|chắc chắn)( sẽ)?( được)? "
    r"(trả lời|thông báo kết quả|phản hồi)",
    # English
    r"\bwill (be )?(answer|reply|respond|notif|inform|told|contacted|get back)",
    r"\byou will (receive|get|be sent|hear)\b",
    r"\bthe (result|outcome)s? will\b",
    r"\b(still|always) (see|read|get|receive) (an? |the )?(answer|reply|response|result)",
    r"(?<!not )(?<!never )(?<!no )\b(guarantee|promise)s? (an? |to )?(answer|reply|respond|response|result)",
)

ACCEPTANCE = r"\bthụ lý\b"

_PROMISE_RE = [re.compile(pattern) for pattern in PROMISES]
_ACCEPTANCE_RE = re.compile(ACCEPTANCE)


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).lower().split())


def promises(text: str) -> list[str]:
    """The phrases of ``text`` that are promises of an answer or a result (empty if none)."""
    folded = _fold(text)
    return [match.group(0) for pattern in _PROMISE_RE for match in pattern.finditer(folded)]


def says_acceptance(text: str) -> bool:
    """Whether ``text`` speaks of thụ lý (acceptance of a denunciation)."""
    return bool(_ACCEPTANCE_RE.search(_fold(text)))
