"""Forms made from an operation's declaration: the fields a command takes, as the page shows them.

Each field of a form is read from the declaration the command line is built
from (its options: name, help in Vietnamese then English, choices, whether it is
required), so a label, a choice or a "required" is written once for both faces.
The kind of input (a line, a text box, a date, a choice, a file) follows from
the declaration; the labels of choices come from the tables the commands use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import click

from intake_function import report

from .. import operation, workflow
from ..workflow import plan

# Options every command shares that the page fills in itself (the desk's folder, store, key and clerk).
SHARED = frozenset({"data", "store", "identity", "by", "fmt", "confirmed", "transfer_dir", "help"})
# What the clerk writes at length: a text box rather than a line.
LONG = frozenset(
    {
        "description",
        "result",
        "reason",
        "note",
        "how",
        "message",
        "what",
        "difficulties",
        "next_tasks",
        "persons_involved",
    }
)
DATES = frozenset({"on", "held", "received", "start", "end", "issued_on"})


@dataclass(frozen=True)
class Field:
    name: str  # the operation's own name for it (the option's destination)
    option: str  # how the command line spells it (--note), used to run the command
    label: str  # "Vietnamese / English", as the command's help says it
    kind: str  # text | longtext | date | choice | multichoice | flag | number | file | folder
    choices: tuple[tuple[str, str], ...] = ()
    required: bool = False
    default: str | None = None
    help: str = ""
    suggestions: tuple[str, ...] = ()
    empty: object = None  # what the operation takes when nothing is typed (its declared default)


def _tables() -> list[dict[str, str]]:
    """The label tables of the choices the commands offer: code -> "Vietnamese / English"."""
    tables = [
        workflow.COMPETENCE,
        workflow.FLAGS,
        workflow.CHANNELS,
        workflow.STATUSES,
        workflow.TRACKS,
        workflow.NOTICE_TO,
        workflow.NOTICE_ABOUT,
        plan.KINDS,
    ]
    out = [{code: f"{vi} / {en}" for code, (vi, en) in table.items()} for table in tables]
    out.append({code: f"{label['vi']} / {label['en']}" for code, label in report.categories().items()})
    out.append({code: f"{label['vi']} / {label['en']}" for code, label in report.status_labels().items()})
    return out


def choice_labels(codes: list[str], help_text: str) -> tuple[tuple[str, str], ...]:
    """Each code with its words: from the table holding exactly these codes, else as the help lists them."""
    for table in _tables():
        if set(codes) <= set(table):
            return tuple((code, table[code]) for code in codes)
    listed = {}
    for code in codes:
        found = re.search(rf"(?<![\w-]){re.escape(code)} \(([^)]+)\)", help_text)
        listed[code] = f"{found.group(1)} / {code}" if found else code
    return tuple((code, listed[code]) for code in codes)


def _kind(param: click.Parameter) -> str:
    kind = param.type
    if isinstance(param, click.Option) and param.is_flag:
        return "flag"
    if isinstance(kind, click.Choice):
        return "multichoice" if param.multiple else "choice"
    if isinstance(kind, click.Path):
        return "folder" if not kind.file_okay else "file"
    if isinstance(kind, click.types.IntParamType | click.IntRange):
        return "number"
    if param.name in DATES:
        return "date"
    return "longtext" if param.name in LONG else "text"


def fields_of(command: click.Command, *, skip: frozenset[str] = frozenset()) -> list[Field]:
    """The fields a person fills in to run ``command``: every option but those the desk supplies itself."""
    fields = []
    for param in command.params:
        if not isinstance(param, click.Option) or param.name in SHARED | skip:
            continue
        help_text = param.help or param.name
        kind = _kind(param)
        choices = choice_labels(list(param.type.choices), help_text) if isinstance(param.type, click.Choice) else ()
        given = param.default
        default = str(given) if isinstance(given, str | int) and not isinstance(given, bool) and given != "" else None
        fields.append(
            Field(
                name=param.name,
                option=max(param.opts, key=len),
                label=help_text,
                kind=kind,
                choices=choices,
                required=param.required,
                default=default,
            )
        )
    return fields


def arguments(fields: list[Field], values, files: dict[str, Path] | None = None) -> list[str]:
    """The command-line arguments for what was typed into the form (``values``: the posted form)."""
    args: list[str] = []
    for field in fields:
        if field.kind == "flag":
            if values.get(field.name):
                args.append(field.option)
        elif field.kind in ("multichoice", "file"):
            chosen = (files or {}).get(field.name, []) if field.kind == "file" else values.getlist(field.name)
            for value in chosen:
                args += [field.option, str(value)]
        else:
            value = (values.get(field.name) or "").strip()
            if value:
                args += [field.option, value]
    return args


# The kinds of input of the desk operations' declarations, as the page draws them.
KINDS = {
    operation.TEXT: "text",
    operation.LONG_TEXT: "longtext",
    operation.DATE: "date",
    operation.CHOICE: "choice",
    operation.FLAG: "flag",
    operation.NUMBER: "number",
    operation.FILE: "file",
    operation.OUT_FILE: "folder",
    operation.FOLDER: "folder",
    operation.OUT_FOLDER: "folder",
}


def from_declaration(fields: tuple[operation.Field, ...], **suggestions: list[str]) -> list[Field]:
    """The page's fields of an operation's declared inputs (``suggestions``: names offered for a text field)."""
    out = []
    for f in fields:
        kind = KINDS[f.kind]
        if kind == "choice" and f.multiple:
            kind = "multichoice"
        choices = tuple((code, f"{vi} / {en}") for code, (vi, en) in (f.choices or {}).items())
        if f.choices and f.kind == operation.TEXT:
            kind = "choice"
        given = f.default
        default = str(given) if isinstance(given, str | int) and not isinstance(given, bool) and given != "" else None
        out.append(
            Field(
                name=f.name,
                option=f.flag,
                label=f.label,
                kind=kind,
                choices=choices,
                required=f.required,
                default=default,
                help=f.hint,
                suggestions=tuple(suggestions.get(f.name, ())),
                empty=f.default,
            )
        )
    return out


def values_of(fields: list[Field], form, files=None) -> dict:
    """What the person typed, as an operation takes it: a flag is a bool, a repeated choice a list, empty is None."""
    values: dict = {}
    for field in fields:
        if field.kind == "flag":
            values[field.name] = bool(form.get(field.name))
        elif field.kind == "multichoice":
            values[field.name] = form.getlist(field.name)
        elif field.kind == "file":
            values[field.name] = [f for f in (files or {}).getlist(field.name) if f.filename] if files else []
        else:
            text = (form.get(field.name) or "").strip()
            values[field.name] = text or field.empty
    return values
