"""Self-check quizzes of the training pages: ``docs/data/quizzes/<slug>.<lang>.yml``.

Format (written by the content writers)::

    title: "Tự kiểm tra: Chỉ thị 27-CT/TW"
    questions:
      - q: "Question text"
        options: ["option A", "option B", "option C"]
        answer: 1          # zero-based index of the right option
        explain: "Why, one or two sentences."

The marker ``<!-- quiz: SLUG -->`` in a page renders the quiz in the page's language. A malformed
file stops the build with a message naming the file and the question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")  # used with fullmatch
MIN_OPTIONS, MAX_OPTIONS = 2, 6


class QuizError(ValueError):
    """A quiz file is missing or malformed; the message names the file and the question."""


@dataclass(frozen=True)
class Question:
    text: str
    options: tuple[str, ...]
    answer: int
    explain: str


@dataclass(frozen=True)
class Quiz:
    slug: str
    lang: str
    title: str
    questions: tuple[Question, ...]


def quiz_path(folder: Path, slug: str, lang: str) -> Path:
    return folder / f"{slug}.{lang}.yml"


def _text(value: Any, where: str) -> str:
    if isinstance(value, str | int | float) and not isinstance(value, bool) and str(value).strip():
        return str(value).strip()
    raise QuizError(f"{where}: expected non-empty text, got {value!r}")


def _question(item: Any, where: str) -> Question:
    if not isinstance(item, dict):
        raise QuizError(f"{where}: expected a mapping with q, options, answer, explain")
    unknown = sorted(set(item) - {"q", "options", "answer", "explain"})
    missing = sorted({"q", "options", "answer", "explain"} - set(item))
    if unknown or missing:
        raise QuizError(f"{where}: " + "; ".join(
            ([f"unknown key(s) {unknown}"] if unknown else []) + ([f"missing key(s) {missing}"] if missing else [])
        ))  # fmt: skip
    options = item["options"]
    if not isinstance(options, list) or not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
        raise QuizError(f"{where}: options must be a list of {MIN_OPTIONS} to {MAX_OPTIONS} choices")
    texts = tuple(_text(option, f"{where}, option {i + 1}") for i, option in enumerate(options))
    if len(set(texts)) != len(texts):
        raise QuizError(f"{where}: two options are the same")
    answer = item["answer"]
    if isinstance(answer, bool) or not isinstance(answer, int) or not 0 <= answer < len(texts):
        raise QuizError(f"{where}: answer must be the zero-based index of the right option (0 to {len(texts) - 1})")
    return Question(_text(item["q"], f"{where}, q"), texts, answer, _text(item["explain"], f"{where}, explain"))


def parse_quiz(document: Any, slug: str, lang: str, source: str) -> Quiz:
    if not isinstance(document, dict) or set(document) != {"title", "questions"}:
        raise QuizError(f"{source}: expected exactly the keys title and questions")
    questions = document["questions"]
    if not isinstance(questions, list) or not questions:
        raise QuizError(f"{source}: questions must be a non-empty list")
    return Quiz(
        slug=slug,
        lang=lang,
        title=_text(document["title"], f"{source}: title"),
        questions=tuple(_question(item, f"{source}: question {n}") for n, item in enumerate(questions, 1)),
    )


def load_quiz(folder: Path, slug: str, lang: str) -> Quiz:
    """The quiz ``slug`` in ``lang``; QuizError if the file is missing or malformed."""
    if not SLUG.fullmatch(slug):
        raise QuizError(f"quiz slug {slug!r}: use lower-case letters, digits and hyphens")
    path = quiz_path(folder, slug, lang)
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise QuizError(f"{path}: quiz file not found (marker <!-- quiz: {slug} --> in a {lang} page)") from None
    except yaml.YAMLError as exc:
        raise QuizError(f"{path}: not valid YAML ({exc})") from None
    return parse_quiz(document, slug, lang, str(path))


def all_quiz_files(folder: Path) -> list[tuple[str, str]]:
    """(slug, lang) of every quiz file, so a build can check even quizzes no page uses yet."""
    found = []
    for path in sorted(folder.glob("*.yml")):
        slug, _, lang = path.name[: -len(".yml")].rpartition(".")
        if slug:
            found.append((slug, lang))
    return found
