"""A long operation in a page without script: the page is sent as it goes, its progress line by line.

The operation runs in a thread of its own and tells its progress through the
``Meters`` it is given (as a command draws a bar); the page's answer is streamed:
its top first, then one short line each time the progress moves on by a step,
then what the operation said when it ended, then the page's bottom. The
stylesheet shows only the last progress line, so the clerk sees one line that
moves, and a screen reader hears the status region change.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import markupsafe

from ..operation import DeskError, Done

STEP = 5  # percent between two progress lines


class _Meter:
    def __init__(self, events: queue.Queue, total: int, label: str):
        self.events, self.total, self.label = events, max(total, 1), label
        self.done = 0

    def update(self, done: int) -> None:
        self.done += done
        self.events.put(("progress", self.label, min(100, self.done * 100 // self.total)))


def run(work: Callable[[Callable], Done]) -> Iterator[tuple[str, Any]]:
    """Run ``work(meters)`` in a thread; yield ("progress", label, percent)... then ("done", Done) or
    ("refused", DeskError), or ("failed", exception)."""
    events: queue.Queue = queue.Queue()

    @contextmanager
    def meters(total: int, label: str):
        events.put(("progress", label, 0))
        yield _Meter(events, total, label)

    def worker() -> None:
        try:
            events.put(("done", work(meters)))
        except DeskError as exc:
            events.put(("refused", exc))
        except Exception as exc:  # the page says so; the console gets the type and place
            events.put(("failed", exc))

    threading.Thread(target=worker, name="desk-long-operation", daemon=True).start()
    shown, label = -STEP, None
    while True:
        event = events.get()
        if event[0] == "progress":
            label = event[1]
            if event[2] >= shown + STEP or event[2] == 100:
                shown = event[2]
                yield event
            continue
        if event[0] == "done" and label is not None and shown < 100:
            yield ("progress", label, 100)  # what was counted may fall short of the estimate: it is all done
        yield event
        return


LINE = markupsafe.Markup('<p><progress max="100" value="{0}" aria-label="{1}">{0}%</progress> {1}: {0}%</p>\n')


def progress_line(label: str, percent: int) -> markupsafe.Markup:
    return LINE.format(percent, label)
