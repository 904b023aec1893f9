"""One search index per language instead of mkdocs-static-i18n's single merged one.

The merged index holds every page of both languages, and Material loads it on every page: on a
phone on a rural network that is half of what a page weighs, and a reader of Vietnamese pages gets
English results. After the build, the merged ``search/search_index.json`` is split: Vietnamese
documents stay there, English ones go to ``en/search/search_index.json`` with locations relative
to ``/en/``, each with its own language for lunr. ``overrides/main.html`` points the English
pages' search at their folder (Material's ``base``).
"""

from __future__ import annotations

import json
from pathlib import Path

INDEX = Path("search") / "search_index.json"


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
        index = {**merged, "config": {**merged["config"], "lang": [lang]}, "docs": entries}
        path = folder / INDEX
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return {lang: len(entries) for lang, entries in docs.items()}
