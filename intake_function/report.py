"""The documents inside envelopes: reading, validating, padding.

    report/1     a report (schemas/report-1.schema.json)
    followup/1   information a reporter adds with the receipt code
    reply/1      the Office's answer to a reporter

The contracts themselves are the JSON Schema files in ``schemas/``, which the
browser code reads too (categories, labels, limits). This module adds what a
schema cannot say: text is NFC-normalised before it is checked, every problem
is reported with the field's name in words a person can act on, and the
``pad`` filler rounds a document up to a size bucket.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from . import words

SCHEMA_ID = "report/1"
FOLLOWUP_ID = "followup/1"
REPLY_ID = "reply/1"
SCHEMA_DIR = Path(__file__).with_name("schemas")
SCHEMA_FILES = {SCHEMA_ID: "report-1", FOLLOWUP_ID: "followup-1", REPLY_ID: "reply-1"}
# Plaintext sizes a padded report is rounded up to: 1 KiB, 2 KiB, ... 256 KiB.
PAD_BUCKETS = tuple(1024 << i for i in range(9))


class ReportError(ValueError):
    """A report is not a valid ``report/1`` document; ``problems`` lists every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p.field}: {p.message_en}" for p in problems))


@dataclass(frozen=True)
class Problem:
    field: str
    message_vi: str
    message_en: str

    def as_dict(self) -> dict[str, str]:
        return {
            "field": self.field,
            "label": field_label(self.field),
            "message": self.message_vi,
            "message_en": self.message_en,
        }


@cache
def schema(schema_id: str = SCHEMA_ID) -> dict[str, Any]:
    return json.loads((SCHEMA_DIR / f"{SCHEMA_FILES[schema_id]}.schema.json").read_text(encoding="utf-8"))


def status_labels() -> dict[str, dict[str, str]]:
    """Reply status code -> {"vi", "en"}, in the order of the Office's workflow."""
    return schema(REPLY_ID)["properties"]["status"]["x-labels"]


def max_attachments() -> int:
    """How many files a report may attach."""
    return schema()["properties"]["attachments"]["maxItems"]


def categories() -> dict[str, dict[str, str]]:
    """Category code -> {"vi", "en", "hint_vi", "hint_en"}, in the order of the plan."""
    return schema()["properties"]["category"]["x-labels"]


def field_label(field: str, language: str = "vi") -> str:
    """The name a person sees for a field ("reporter.email" -> "Thư điện tử")."""
    base = field.split("[", 1)[0]
    for schema_id in (SCHEMA_ID, FOLLOWUP_ID):
        label = schema(schema_id)["x-field-labels"].get(base, {}).get(language)
        if label:
            return label
    return field


def category_label(code: str, language: str = "vi") -> str:
    return categories().get(code, {}).get(language, code)


@cache
def _validator(schema_id: str):
    # Imported on first use: the intake function's cold start stays light.
    import jsonschema
    from referencing import Registry, Resource

    registry = Registry().with_resources(
        (schema(known)["$id"], Resource.from_contents(schema(known))) for known in SCHEMA_FILES
    )
    return jsonschema.Draft202012Validator(schema(schema_id), registry=registry)


def normalise(value: Any) -> Any:
    """NFC-normalise every string in a JSON value (keys included)."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {normalise(k): normalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalise(v) for v in value]
    return value


def validate(document: Any, accept: tuple[str, ...] = (SCHEMA_ID,)) -> dict[str, Any]:
    """Return the NFC-normalised document, or raise ReportError listing every problem.

    The document's own ``schema`` member picks the schema, among those ``accept`` allows.
    """
    document = normalise(document)
    declared = document.get("schema") if isinstance(document, dict) else None
    schema_id = declared if declared in accept else accept[0]
    problems = {_describe(error) for error in _validator(schema_id).iter_errors(document)}
    if problems:
        # Two rules can say the same thing of one field (an empty text is too short and blank).
        unique = {p.field: p for p in sorted(problems, key=lambda p: p.message_en)}
        raise ReportError(sorted(unique.values(), key=lambda p: p.field))
    return document


# Bounds for reading a decrypted document: the largest padded one is 256 KiB and the deepest
# (a report's attachments) three levels; anything far beyond is not a document of ours.
MAX_DOCUMENT_BYTES = 1024 * 1024
MAX_DOCUMENT_DEPTH = 8


def parse(plaintext: bytes, accept: tuple[str, ...] = (SCHEMA_ID,)) -> dict[str, Any]:
    """Decode and validate the plaintext of an envelope (a report unless ``accept`` says more).

    The plaintext came from a stranger's browser: it is read under a size and
    depth bound, and duplicate keys are refused (``decode.load_json``).
    """
    from . import decode

    try:
        document = decode.load_json(plaintext, max_bytes=MAX_DOCUMENT_BYTES, max_depth=MAX_DOCUMENT_DEPTH)
    except decode.DecodeError as exc:
        raise ReportError([Problem("", "Không phải tài liệu JSON hợp lệ.", f"not valid JSON: {exc}")]) from None
    return validate(document, accept)


def _field_name(path) -> str:
    name = ""
    for part in path:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else part)
    return name


def _describe(error) -> Problem:
    field = _field_name(error.absolute_path)
    kind, arg = error.validator, error.validator_value
    if kind == "required":
        missing = error.message.split("'")[1]
        field = f"{field}.{missing}" if field else missing
        return Problem(field, "Trường này là bắt buộc.", "This field is required.")
    if kind == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        name = ", ".join(extra)
        return Problem(
            f"{field}.{extra[0]}" if field else extra[0],
            f"Trường không có trong mẫu: {name}.",
            f"Not a field of the form: {name}.",
        )
    if kind == "maxLength":
        return Problem(field, words.say("too_long", "vi", n=arg), words.say("too_long", "en", n=arg))
    if kind in ("minLength",) or (kind == "pattern" and arg == "\\S"):
        return Problem(field, "Không được để trống.", "Must not be empty.")
    if kind == "maxItems":
        return Problem(field, f"Quá nhiều mục: tối đa {arg}.", f"Too many items: at most {arg}.")
    if kind == "minProperties":
        return Problem(
            field,
            "Thông tin người gửi đang trống; hãy bỏ hẳn phần này nếu muốn gửi ẩn danh.",
            "The reporter block is empty; leave it out to report anonymously.",
        )
    if kind in ("enum", "const"):
        # What a person can choose, in words: never the codes of the schema ("corruption, waste...").
        if field == "category":
            return Problem(
                field,
                "Vui lòng chọn một trong các loại: " + ", ".join(c["vi"] for c in categories().values()) + ".",
                "Please choose one of: " + ", ".join(c["en"] for c in categories().values()) + ".",
            )
        return Problem(field, "Giá trị không hợp lệ: vui lòng chọn lại trên biểu mẫu.", "Not a value the form offers.")
    if kind == "pattern":
        return Problem(field, *_PATTERN_MESSAGES.get(field.rsplit(".", 1)[-1], _FORMAT_MESSAGE))
    if kind in ("minimum", "maximum"):
        return Problem(field, "Giá trị nằm ngoài giới hạn cho phép.", "The value is out of range.")
    if kind == "type":
        return Problem(field, "Sai kiểu dữ liệu.", f"Wrong type: expected {arg}.")
    return Problem(field, "Giá trị không hợp lệ.", error.message[:200])


_FORMAT_MESSAGE = ("Sai định dạng.", "Wrong format.")
_PATTERN_MESSAGES = {
    "phone": (words.say("phone", "vi"), words.say("phone", "en")),
    "email": (words.say("email", "vi"), words.say("email", "en")),
    "pad": ("Phần đệm chỉ được chứa dấu cách.", "The pad may hold only spaces."),
}


def dumps(document: dict[str, Any]) -> bytes:
    """Serialise a report the way every sender does: compact UTF-8 JSON."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def padded(document: dict[str, Any]) -> bytes:
    """Serialise a report with a ``pad`` of spaces that brings it to the next size bucket.

    The envelope's size then tells an observer only the bucket, not the length
    of what was written. Documents beyond the largest bucket are not padded.
    """
    document = {k: v for k, v in document.items() if k != "pad"}
    bare = dumps(document)
    overhead = len(b',"pad":""') if document else len(b'"pad":""')
    for bucket in PAD_BUCKETS:
        filler = bucket - len(bare) - overhead
        if filler >= 0:
            return dumps({**document, "pad": " " * filler})
    return bare
