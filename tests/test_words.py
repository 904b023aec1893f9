"""The public sentences both sides say are written once: intake_function/words.json.

The function's pages (Python, templates) and the browser's pages (web/src/messages.js) used to
write the same sentences twice, and drift apart in a word or a comma. These tests keep them in
one place: no sentence of messages.js or of the catalog is written again in the function's or
the site builder's Python code or templates.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
import string
import subprocess
from functools import cache
from pathlib import Path

import pytest

from intake_function import pages, words
from tests.conftest import IN_CI

ROOT = Path(__file__).resolve().parents[1]
MESSAGES_JS = ROOT / "web" / "src" / "messages.js"
# Where the public words of the function and of the site's forms are written.
PYTHON_SIDE = sorted((ROOT / "intake_function").rglob("*.py")) + sorted((ROOT / "portal_site").rglob("*.py"))
TEMPLATES = sorted((ROOT / "intake_function" / "templates").glob("*.html"))
# JavaScript string literals: "...", and `...` whose ${...} parts split the text into pieces.
_JS_STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"|`((?:[^`\\]|\\.)*)`')
_JS_SUBSTITUTION = re.compile(r"\$\{(?:[^{}]|\{[^{}]*\})*\}")


def sentence_pieces(text: str, split: re.Pattern[str]) -> list[str]:
    """The parts of a text between its placeholders that read as words (three or more)."""
    return [piece.strip() for piece in split.split(text) if len(piece.split()) >= 3]


def messages_js_pieces(source: str) -> list[str]:
    source = re.sub(r"^\s*//.*$", "", source, flags=re.MULTILINE)  # comments quote, they do not say
    pieces = []
    for match in _JS_STRING.finditer(source):
        pieces += sentence_pieces(match.group(1) if match.group(1) is not None else match.group(2), _JS_SUBSTITUTION)
    return pieces


@cache
def python_strings(path: Path) -> list[str]:
    """Every string a Python file writes (implicit concatenation joined, f-strings' literal parts)."""
    return [
        node.value
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]


def _catalog_pieces(text: str) -> list[str]:
    return sentence_pieces(text, re.compile(r"\{\w+\}"))


def writes(text: str, piece: str) -> bool:
    """Whether a text writes the piece as a sentence or a clause of its own (quoting a heading's
    name, “Bổ sung thông tin”, is not writing it, nor is "The report was not sent because...")."""
    text = text.replace(f"“{piece}”", "")
    ending = r"(?!\w| [\w{])" if piece[-1].isalnum() else ""
    return re.search(rf"(?<!\w){re.escape(piece)}{ending}", text) is not None


def places_writing(piece: str) -> list[str]:
    found = [str(p.relative_to(ROOT)) for p in PYTHON_SIDE if any(writes(s, piece) for s in python_strings(p))]
    return found + [str(p.relative_to(ROOT)) for p in TEMPLATES if writes(p.read_text(encoding="utf-8"), piece)]


def test_no_sentence_of_the_browser_or_of_the_catalog_is_written_again_in_python_or_templates():
    js_pieces = messages_js_pieces(MESSAGES_JS.read_text(encoding="utf-8"))
    catalog_pieces = [
        piece for table in words.CATALOG.values() for text in table.values() for piece in _catalog_pieces(text)
    ]
    assert len(js_pieces) > 60 and len(catalog_pieces) > 40  # the scan reads what it should
    written_twice = {piece: places_writing(piece) for piece in js_pieces + catalog_pieces if places_writing(piece)}
    assert written_twice == {}
    catalog_text = "\n".join(text for table in words.CATALOG.values() for text in table.values())
    assert not [piece for piece in js_pieces if writes(catalog_text, piece)], "messages.js repeats words.json"


def test_the_scan_finds_a_sentence_written_twice():
    assert messages_js_pieces('x: (n) => `Quá dài: tối đa ${n} ký tự.`, y: "Mở trang Theo dõi phản ánh",') == [
        "Quá dài: tối đa",
        "Mở trang Theo dõi phản ánh",
    ]
    assert places_writing(words.CATALOG["vi"]["consent"]) == []
    assert places_writing("Trang này không lưu lại nội dung phản ánh.") == ["intake_function/pages.py"]


def test_the_catalog_says_the_same_things_in_both_languages_and_every_sentence_is_used():
    vi, en = words.CATALOG["vi"], words.CATALOG["en"]
    assert list(vi) == list(en)
    for key in vi:
        fields = [{f for _, f, _, _ in string.Formatter().parse(table[key]) if f} for table in (vi, en)]
        assert fields[0] == fields[1], key
    users = MESSAGES_JS.read_text(encoding="utf-8") + "".join(
        p.read_text(encoding="utf-8") for p in PYTHON_SIDE + TEMPLATES
    )
    # Used as w.key or WORDS.vi.key (messages.js), "key" (Python), t.key (templates); the _one and
    # _many forms of a sentence by their common name.
    names = {re.sub(r"_(one|many)$", "", key) for key in vi}
    assert [name for name in sorted(names) if not re.search(rf"\b{name}\b", users)] == []
    # The pages carry every sentence of the catalog under its own key, and none of theirs overrides one.
    assert all(pages.TEXTS[lang][key] == text for lang, table in words.CATALOG.items() for key, text in table.items())


def test_the_function_and_the_browser_name_the_same_groups_of_a_receipt_code():
    assert words.listed((2, 3), "vi") == "2 và 3" and words.listed((1, 2, 3, 4), "en") == "1, 2, 3 and 4"
    assert pages.code_problem("check", (2,), "vi").startswith("Nhóm ký tự thứ 2 có ký tự bị ghi hoặc gõ nhầm")
    assert "các nhóm này" in pages.code_problem("check", (1, 2), "vi")
    assert pages.code_problem("length", (3, 4), "en").startswith("Groups 3 and 4 have too many")
    assert pages.code_problem("character", (1,), "en").startswith("Group 1 holds a character")


def test_the_browser_says_a_refused_code_as_the_function_does():
    """The browser fills words.json's placeholders itself: its sentence for each slip is the function's."""
    node, esbuild = shutil.which("node"), ROOT / "web" / "node_modules" / ".bin" / "esbuild"
    if not node or not esbuild.exists():
        if IN_CI:
            pytest.fail("node or web/node_modules is missing (scripts/setup.sh test)")
        pytest.skip("node or web/node_modules is missing")
    slips = [("swapped", (2, 3)), ("check", (2,)), ("check", (1, 2, 4)), ("character", (3,))]
    slips += [("length", (4,)), ("length", (1, 2)), ("length", ())]
    cases = [(lang, kind, list(groups)) for lang in words.CATALOG for kind, groups in slips]
    entry = f"""
        import {{ MESSAGES }} from "./src/messages.js";
        import {{ codeProblem }} from "./src/ui.js";
        import {{ CodeError }} from "./src/code.js";
        const said = {json.dumps(cases)}.map(([lang, kind, groups]) =>
          codeProblem(new CodeError("", kind, groups), MESSAGES[lang]));
        process.stdout.write(JSON.stringify(said));
    """
    bundled = subprocess.run(
        [str(esbuild), "--bundle", "--format=esm", "--platform=node", "--log-level=warning"],
        input=entry,
        cwd=ROOT / "web",
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    run = subprocess.run([node, "--input-type=module"], input=bundled, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == [pages.code_problem(kind, tuple(groups), lang) for lang, kind, groups in cases]
