"""Forms made from the desk operations' declarations: the inputs an operation takes, as the page draws them.

An operation declares its inputs once (``operation.Field``: name, label in both
languages, kind, choices, whether required); the commands build their options from
the same declaration. Here each becomes a field of a form, and what is posted goes
back to the operation through ``operation.from_form``, which checks and converts it.
The page adds nothing of its own but how a kind of input is drawn.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import operation

# How the page draws each kind of input.
KINDS = {
    operation.TEXT: "text",
    operation.LONG_TEXT: "longtext",
    operation.DATE: "date",
    operation.CHOICE: "choice",
    operation.FLAG: "flag",
    operation.NUMBER: "number",
    operation.FILE: "file",
    operation.OUT_FILE: "text",
    operation.FOLDER: "text",
    operation.OUT_FOLDER: "text",
}


@dataclass(frozen=True)
class Field:
    name: str
    label: str  # "Vietnamese / English", as declared
    kind: str  # text | longtext | date | choice | multichoice | flag | number | file
    choices: tuple[tuple[str, str], ...] = ()
    required: bool = False
    default: str | None = None
    help: str = ""
    suggestions: tuple[str, ...] = ()


def from_declaration(fields: tuple[operation.Field, ...], **suggestions: list[str]) -> list[Field]:
    """The form's fields of an operation's inputs; ``suggestions``: names offered as one types (the units)."""
    out = []
    for f in fields:
        kind = KINDS[f.kind]
        if f.choices and f.kind == operation.TEXT:  # a text that takes one of a list (the register's sort)
            kind = "choice"
        if kind == "choice" and f.multiple:
            kind = "multichoice"
        given = f.default
        default = str(given) if isinstance(given, str | int) and not isinstance(given, bool) and given != "" else None
        out.append(
            Field(
                name=f.name,
                label=f.label,
                kind=kind,
                choices=tuple((code, f"{vi} / {en}") for code, (vi, en) in (f.choices or {}).items()),
                required=f.required,
                default=default,
                help="" if f.kind == operation.DATE or f.hint == "(text)" else f.hint,  # the date's own shape shows
                suggestions=tuple(suggestions.get(f.name, ())),
            )
        )
    return out


def posted(fields: tuple[operation.Field, ...], form) -> dict:
    """What the form sent for these inputs, as ``operation.from_form`` reads it (a list for a multiple one)."""
    return {f.name: form.getlist(f.name) if f.multiple else form.get(f.name) for f in fields}


def values(fields: tuple[operation.Field, ...], form) -> dict:
    """The operation's values from the posted form: checked and converted by the operation's own rule."""
    return operation.from_form(fields, posted(fields, form))


def without(fields: tuple[operation.Field, ...], *names: str) -> tuple[operation.Field, ...]:
    """The inputs the person types, when the page gives the others itself (a file's path, the store)."""
    return tuple(f for f in fields if f.name not in names)
