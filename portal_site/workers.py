"""Where Material keeps its search worker, which the portal's own worker loads and extends.

The file name carries a content hash (``search.a7633da7.min.js``) that changes with every
Material release; finding it here, rather than writing it into a template, keeps an upgrade of
Material from silently breaking search.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import material


class WorkerNotFound(RuntimeError):
    pass


@cache
def material_search_worker() -> str:
    """The file name of Material's search worker, under ``assets/javascripts/workers/``."""
    folder = Path(material.__file__).parent / "templates" / "assets" / "javascripts" / "workers"
    found = sorted(p.name for p in folder.glob("search.*.min.js"))
    if len(found) != 1:
        raise WorkerNotFound(f"expected one search.*.min.js in {folder}, found {found}")
    return found[0]
