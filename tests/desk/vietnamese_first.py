"""Which texts of the ``office`` tool read Vietnamese first: the check behind test_vietnamese_first.py.

Every message a person of the Office reads (errors, warnings, confirmations, next steps, prompts,
the help of commands and options) is Vietnamese first, then " / " and the English. The check is
deliberately simple, so that a reviewer can predict it: leave out what is code (commands, options,
placeholders, paths, quoted values, identifiers in capitals), then the first word left must be
Vietnamese, that is, carry a Vietnamese letter (ă, â, đ, ê, ô, ơ, ư or a tone mark) or be one of
the few Vietnamese words written without one (``xem``, ``theo``, ``kho``...).

``scan`` reads the source of ``office/`` with ``ast`` and finds:

* every text given to a message sink: ``click.echo``/``secho``/``prompt``/``confirm``, ``fail``,
  ``next_step``, click's exceptions, the constructor of any exception, the ``help=`` of an option
  or command;
* every other text of three words or more, wherever it is kept before being shown (a list of
  warnings, a table of reasons, a finding), so that a message built in one place and printed in
  another is read too.

The English half of a pair written side by side (``("Đã tiếp nhận", "Received")``, or
``result.add(kind, path, vi, en)``) follows its Vietnamese and is not a message of its own.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

VIETNAMESE_LETTER = re.compile("[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.IGNORECASE)
# Vietnamese words without a tone mark or a Vietnamese letter that a message may start with.
PLAIN_VIETNAMESE = frozenset(
    "anh ba ban bao cao chi cho chia con ghi gia giang giao hai hay hoa khi kho khu kinh mang nam nay ngay nhanh "
    "sai sang sao sau tham thanh theo thay thi tin tinh toan tra trang trao trong xem xin xong".split()
)
# What is code, not words: a command line, `...`, {placeholders}, office commands, --options,
# [settings sections], identifiers in capitals (ID, OFFICE_DATA, CSV), paths and dotted names,
# words with digits, printf placeholders (%(prog)s), quoted values, list markers such as "a)" and "II.".
CODE = re.compile(
    r"^\s*office\b.*$"
    r"|`[^`]*`"
    r"|\{[^{}]*\}"
    r"|\boffice(?: [a-z][a-z-]*)?"
    r"|(?<![\w-])--?[a-zA-Z][\w-]*"
    r"|\[[\w.]+\]"
    r"|\b[a-z_]+(?:\.[\w{}]+)+"
    r"|\b[A-Z][A-Z0-9_]+\b"
    r"|\S*[/\\._:=<>@|]\S*[A-Za-z]\S*"
    r"|\S*\d\S*"
    r"|%(?:\(\w+\))?[a-zA-Z]"
    r"|'[^'\n]*'|\"[^\"\n]*\"|“[^”]*”"
    r"|(?<!\w)[a-zđ]\)|^\s*[IVX]+\.",
    re.MULTILINE,
)
WORD = re.compile(r"[^\W\d_]+")


def words(text: str) -> list[str]:
    """The words of a text once its code is left out."""
    return WORD.findall(CODE.sub(" ", text))


def english_first(text: str) -> bool:
    """Whether the first word of ``text`` (code left out) is not Vietnamese."""
    found = words(text)
    return bool(found) and not (VIETNAMESE_LETTER.search(found[0]) or found[0].lower() in PLAIN_VIETNAMESE)


@dataclass(frozen=True)
class Text:
    path: str  # relative to the project, with "/"
    line: int
    text: str
    where: str  # the sink it is given to, or "kept" for a text kept before being shown

    def __str__(self) -> str:
        return f"{self.path}:{self.line} [{self.where}] {self.text[:140]!r}"


# Calls whose first argument is shown to the person.
SINK_FUNCTIONS = frozenset({"echo", "secho", "prompt", "confirm", "fail", "_fail", "next_step"})
SINK_KEYWORDS = frozenset({"help", "prompt", "message"})
# Functions whose texts are code or data, not messages (SQL, regular expressions, formats, XML).
CODE_FUNCTIONS = frozenset(
    {"execute", "executescript", "compile", "strftime", "strptime", "qn", "parse_xml", "OxmlElement", "fullmatch"}
)
SQL = re.compile(r"\s*(SELECT|INSERT|UPDATE|CREATE|DELETE|ALTER|PRAGMA|WITH|BEGIN|DROP)\b")
KEPT_WORDS = 3  # a text kept elsewhere is read from this many words on (labels and codes are shorter)


def joined(node: ast.AST) -> str | None:
    """The text of a string, an f-string (each value as {}) or a sum of them; None for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = joined(node.left), joined(node.right)
        if left is None and right is None:
            return None
        return (left if left is not None else "{}") + (right if right is not None else "{}")
    return None


def _name(func: ast.AST) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def _is_exception(name: str) -> bool:
    return name.endswith(("Error", "Exception", "Busy", "Key", "Register", "Store", "Choice", "Rejected"))


def _english_half(node: ast.AST, siblings: list[ast.AST]) -> bool:
    """A text written right after a Vietnamese one, in a tuple or a call: the English of a pair."""
    position = next((i for i, s in enumerate(siblings) if s is node), 0)
    if position == 0:
        return False
    before = joined(siblings[position - 1])
    return before is not None and bool(words(before)) and not english_first(before)


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Module)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def texts(path: Path, root: Path) -> Iterator[Text]:
    """Every message of one module: the texts given to a sink, and the longer texts kept elsewhere."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents: dict[int, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[id(child)] = node
    skip = _docstrings(tree)
    relative = path.relative_to(root).as_posix()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        parent = parents.get(id(node))
        if isinstance(parent, (ast.JoinedStr, ast.FormattedValue)):
            continue  # read as part of its f-string
        if isinstance(parent, ast.BinOp) and joined(parent) is not None:
            continue  # read as part of the sum
        text = joined(node)
        if text is None or SQL.match(text):
            continue
        where = _sink(node, parent, parents)
        if where is None:
            continue
        if where == "kept":
            siblings = []
            if isinstance(parent, (ast.Tuple, ast.List)):
                siblings = parent.elts
            elif isinstance(parent, ast.Call):
                siblings = parent.args
            if _english_half(node, siblings) or len(words(text)) < KEPT_WORDS or " " not in text.strip():
                continue
        yield Text(relative, node.lineno, text, where)


def _sink(node: ast.AST, parent: ast.AST | None, parents: dict[int, ast.AST]) -> str | None:
    """Where a text goes: a sink's name, "kept", or None for code and data."""
    # Through a conditional expression: "a" if x else "b" goes where the expression goes.
    while isinstance(parent, ast.IfExp):
        node, parent = parent, parents.get(id(parent))
    if isinstance(parent, ast.keyword):
        call = parents.get(id(parent))
        if parent.arg in SINK_KEYWORDS:
            return f"{_name(call.func) if isinstance(call, ast.Call) else '?'}({parent.arg}=)"
        return None if parent.arg in ("name", "metavar", "default", "encoding", "envvar", "type") else "kept"
    if isinstance(parent, ast.Call):
        name = _name(parent.func)
        if name in CODE_FUNCTIONS:
            return None
        if parent.args and parent.args[0] is node and (name in SINK_FUNCTIONS or _is_exception(name)):
            return name
        return "kept"
    if isinstance(parent, (ast.Compare, ast.Subscript, ast.Attribute)):
        return None
    if isinstance(parent, ast.Dict) and node in parent.keys:
        return None
    return "kept"


def scan(package: Path, root: Path) -> list[Text]:
    return [text for path in sorted(package.rglob("*.py")) for text in texts(path, root)]
