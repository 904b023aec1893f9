"""A budget shared by everyone, for the paths that cannot ask for a proof-of-work.

The no-JavaScript form, the no-JavaScript follow-up and the no-JavaScript
check run no script, so they cannot solve a challenge. What protects them
instead is a budget per store, not per person: the whole store accepts at most
``per_hour`` of them an hour, at most a sixth of that at once, whoever sends
them. Nobody is identified or counted by address; when a flood starts, every
anonymous post slows down together, the flood gets clear refusals ("busy, try
again in N minutes"), and the JavaScript paths (paid for with proof-of-work)
and the other channels stay open.

Why a budget and not a token inside the form: the portal's pages are static
and byte-for-byte reproducible per commit, so they cannot carry a per-visit
token, and a token from a form the function served would cost a flood one
extra request each, not a limit.

The budget is a token bucket kept in the store itself, so that every process
and every Lambda instance shares it: time is cut into slots of
``3600 / per_hour`` seconds and a post claims one of the last ``burst`` slots
with an atomic create-if-absent marker ``pow/budget-<path>-<slot>`` (the same
prefix, permissions and clean-up as proof-of-work markers). A request claims
its slot only once it has been found good: a refused request spends nothing.
A process that found the bucket empty remembers it until the next slot opens
(slots are only ever taken, never given back, until time moves on), so during
a flood the rest are refused before their bodies are read, without a store
request.
"""

from __future__ import annotations

import math
import time

from .errors import ApiError, store_unavailable
from .store import Store, StoreError


class Budget:
    def __init__(self, name: str, per_hour: int) -> None:
        self.name = name  # "form" or "check": part of the markers' keys
        self.per_hour = per_hour  # 0: no budget (every post is accepted)
        self._empty_until = 0.0  # this process saw every slot taken, until then

    @property
    def interval(self) -> float:
        return 3600 / self.per_hour

    @property
    def burst(self) -> int:
        return max(1, math.ceil(self.per_hour / 6))

    def _slots(self, now: float) -> list[int]:
        current = int(now // self.interval)
        return list(range(current - self.burst + 1, current + 1))

    def _key(self, slot: int) -> str:
        return f"pow/budget-{self.name}-{slot}"

    def _exhausted(self, now: float) -> ApiError:
        wait = max(1, math.ceil(self._empty_until - now))
        minutes = max(1, math.ceil(wait / 60))
        return ApiError(
            429,
            "busy",
            f"Kênh này đang nhận quá nhiều yêu cầu cùng lúc. Vui lòng thử lại sau khoảng {minutes} phút, "
            "hoặc dùng trang khi trình duyệt bật JavaScript.",
            retry_after=wait,
        )

    def check(self, now: float | None = None) -> None:
        """Refuse at once (429) if this process saw the bucket empty and no slot has opened since."""
        now = time.time() if now is None else now
        if self.per_hour and now < self._empty_until:
            raise self._exhausted(now)

    def claim(self, store: Store, now: float | None = None) -> None:
        """Take one slot (oldest first), atomically; 429 if none is left."""
        if not self.per_hour:
            return
        now = time.time() if now is None else now
        self.check(now)
        try:
            for slot in self._slots(now):
                if store.create(self._key(slot), b""):
                    return
        except StoreError:
            raise store_unavailable() from None
        self._empty_until = (int(now // self.interval) + 1) * self.interval
        raise self._exhausted(now)
