"""How the documents the Board signs cite the Law on Denunciations: the law in force, never a 2018 figure as fact.

Luật Tố cáo số 25/2018/QH14 has been amended, most recently by Luật số 136/2025/QH15, in force
from 01/7/2026 (LEGAL_FACTS §3.1, verified: 136/2025/QH15 amends the law "đã được sửa đổi, bổ
sung theo Luật số 59/2020/QH14, Luật số 81/2025/QH15 và Luật số 84/2025/QH15"). Whether the
amendment changed an article's number or a time limit (thụ lý, resolution, extension, notices) is
not verified (§3.5). So a notice or a report cites the law as amended, and where it would state
an article or a time limit it carries a visible placeholder for the Office to fill in from the
consolidated text, never the 2018 figure stated as fact, and no drafting note in the text to be
signed. The desk's own reminders (``office due``, ``show``, settings.toml) may still name the 2018
text with its note to check it: they are not signed.
"""

from __future__ import annotations

# The law in force, as verified: its number and the law that last amended it.
DENUNCIATION_LAW = "Luật Tố cáo số 25/2018/QH14 (đã được sửa đổi, bổ sung, gần nhất bởi Luật số 136/2025/QH15)"


def to_fill(what: str) -> str:
    """A visible placeholder for a legal point to take from the consolidated text in force."""
    return f"[{what} theo Luật Tố cáo hiện hành: Văn phòng Ban điền]"


# The points of the law a notice may need, each a placeholder until the Office fills it in.
RESOLUTION_LIMIT = to_fill("thời hạn giải quyết tố cáo")
EXTENSION_RULE = to_fill("căn cứ, số lần và thời gian gia hạn")
ARTICLE = to_fill("điều, khoản")
