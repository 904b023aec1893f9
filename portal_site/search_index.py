"""One search index per language instead of mkdocs-static-i18n's single merged one.

The merged index holds every page of both languages, and Material loads it on every page: on a
phone on a rural network that is half of what a page weighs, and a reader of Vietnamese pages gets
English results. After the build, the merged ``search/search_index.json`` is split: Vietnamese
documents stay there, English ones go to ``en/search/search_index.json`` with locations relative
to ``/en/``, each with its own language for lunr. ``overrides/main.html`` points the English
pages' search at their folder (Material's ``base``).

And Material loads that index on every page, before anyone searches. So ``search_index.json``
keeps only the index's settings, and the documents go to ``search/documents.json`` beside it, which
the portal's search worker fetches at the first query (``portal-search.js``).
"""

from __future__ import annotations

import json
from pathlib import Path

INDEX = Path("search") / "search_index.json"
# The documents of a language's index, fetched by the search worker at the first query
# (docs/assets/javascripts/workers/portal-search.js); search_index.json itself keeps none.
DOCUMENTS = Path("search") / "documents.json"


def split_by_language(site_dir: Path, default: str, others: list[str]) -> dict[str, int]:
    """Split the merged index in ``site_dir``; returns the number of documents per language."""
    merged_path = site_dir / INDEX
    merged = json.loads(merged_path.read_text(encoding="utf-8"))
    docs: dict[str, list[dict]] = {lang: [] for lang in [default, *others]}
    for doc in merged["docs"]:
        lang = next((o for o in others if doc["location"].startswith(f"{o}/")), default)
        if lang != default:
            doc = {**doc, "location": doc["location"][len(lang) + 1 :]}
        docs[lang].append(doc)
    for lang, entries in docs.items():
        folder = site_dir if lang == default else site_dir / lang
        prefix = "" if lang == default else f"{lang}/"
        # Where the worker finds the documents, from the site's root.
        config = {**merged["config"], "lang": [lang], "portal_documents": f"{prefix}{DOCUMENTS.as_posix()}"}
        (folder / INDEX).parent.mkdir(parents=True, exist_ok=True)
        (folder / INDEX).write_text(json.dumps({**merged, "config": config, "docs": []}), encoding="utf-8")
        documents = json.dumps(entries, ensure_ascii=False, separators=(",", ":"))
        (folder / DOCUMENTS).write_text(documents, encoding="utf-8")
    return {lang: len(entries) for lang, entries in docs.items()}
