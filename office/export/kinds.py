"""What a file is, told by its content: the desk never trusts the name or the type a reporter declared.

A reporter's browser declares a type (``application/pdf``) and a name (``bang-chung.hta``) for each
attachment, and a hostile reporter declares whatever hides the file best. ``recognise`` looks at the
first bytes instead, and ``disagreement`` says when the declaration does not fit what the content is,
so that ``office show``, ``extract`` and ``export`` can say so.

A file is *active* when opening it on the Office's computer may run or fetch something: HTML, SVG
(a browser runs its scripts), scripts (.bat, .cmd, .ps1, .vbs, .js, .hta...), shortcuts (.url, .lnk,
.scf, whose icon path alone makes Explorer contact a server), registry files, programs, RTF (which
embeds OLE objects), and the old Office formats (macros). An active file is never cleaned or
renamed into something that looks harmless: the export keeps it out (or, when asked, in
``unverified/`` as ``.txt``/``.bin``), and the extraction adds a neutral extension after its own.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import PurePath


@dataclass(frozen=True)
class Kind:
    code: str
    label: str  # "ảnh JPEG", "văn bản thuần (text)"...: for the manifest and the terminal
    types: tuple[str, ...] = ()  # declared MIME types that agree with the content
    extensions: tuple[str, ...] = ()  # names that agree with it; the first is the one a cleaned copy carries
    active: bool = False

    @property
    def extension(self) -> str:
        return self.extensions[0] if self.extensions else ".bin"

    @property
    def text(self) -> bool:
        return self.code in _TEXT_CODES


JPEG = Kind("jpeg", "ảnh JPEG", ("image/jpeg", "image/pjpeg", "image/jpg"), (".jpg", ".jpeg", ".jpe", ".jfif"))
PNG = Kind("png", "ảnh PNG", ("image/png", "image/apng"), (".png", ".apng"))
GIF = Kind("gif", "ảnh GIF", ("image/gif",), (".gif",))
WEBP = Kind("webp", "ảnh WebP", ("image/webp",), (".webp",))
TIFF = Kind("tiff", "ảnh TIFF", ("image/tiff",), (".tif", ".tiff"))
PDF = Kind("pdf", "PDF", ("application/pdf", "application/x-pdf"), (".pdf",))
ZIP = Kind(
    "zip",
    "tệp nén (zip) hoặc tài liệu Office",
    (
        "application/zip",
        "application/x-zip-compressed",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/vnd.oasis.opendocument.text",
        "application/vnd.oasis.opendocument.spreadsheet",
    ),
    (".zip", ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp"),
)
TEXT = Kind(
    "text",
    "văn bản thuần (text)",
    ("text/plain", "text/csv", "text/markdown", "text/tab-separated-values", "application/csv"),
    (".txt", ".csv", ".md", ".log", ".tsv"),
)
HTML = Kind("html", "trang web (HTML)", ("text/html",), (".html", ".htm", ".xhtml", ".mht"), True)
SVG = Kind("svg", "ảnh vector (SVG)", ("image/svg+xml",), (".svg", ".svgz"), True)
XML = Kind("xml", "tài liệu XML (XML)", ("text/xml", "application/xml"), (".xml",), True)
SCRIPT = Kind("script", "tệp lệnh (script)", (), (), True)
SHORTCUT = Kind("shortcut", "lối tắt Windows (shortcut)", (), (".url", ".lnk", ".scf", ".website"), True)
REGISTRY = Kind("registry", "tệp registry của Windows", (), (".reg",), True)
PROGRAM = Kind(
    "program",
    "chương trình (program)",
    ("application/x-msdownload", "application/x-dosexec", "application/x-executable"),
    (".exe", ".dll", ".scr", ".com", ".msi", ".sys"),
    True,
)
RTF = Kind("rtf", "tài liệu RTF (có thể nhúng đối tượng)", ("application/rtf", "text/rtf"), (".rtf",), True)
OLD_OFFICE = Kind(
    "ole",
    "tài liệu Office đời cũ hoặc gói cài đặt (có thể có macro)",
    ("application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint"),
    (".doc", ".xls", ".ppt", ".msi", ".msg"),
    True,
)
AUDIO_VIDEO = Kind(
    "media",
    "âm thanh, video",
    ("audio/mp4", "audio/x-m4a", "audio/mpeg", "audio/wav", "audio/ogg", "video/mp4", "video/quicktime", "video/3gpp"),
    (".m4a", ".mp3", ".wav", ".ogg", ".mp4", ".mov", ".3gp", ".aac", ".amr", ".webm"),
)
HEIF = Kind("heif", "ảnh HEIC/AVIF", ("image/heic", "image/heif", "image/avif"), (".heic", ".heif", ".avif"))
UNKNOWN = Kind("unknown", "không nhận dạng được / unknown format")

KINDS = (JPEG, PNG, GIF, WEBP, TIFF, HEIF, PDF, ZIP, TEXT, HTML, SVG, XML, SCRIPT, SHORTCUT, REGISTRY, PROGRAM)
KINDS += (RTF, OLD_OFFICE, AUDIO_VIDEO, UNKNOWN)
_TEXT_CODES = frozenset({"text", "html", "svg", "xml", "script", "shortcut", "registry", "rtf"})
# Declared types that claim nothing (the browser did not know).
_NO_CLAIM = frozenset({"", "application/octet-stream", "binary/octet-stream", "application/unknown"})

# What Windows (or a shell) runs or hands to an interpreter when the file is opened.
SCRIPT_EXTENSIONS = frozenset(
    ".bat .cmd .ps1 .psm1 .psd1 .ps1xml .vbs .vbe .js .jse .wsf .wsh .wsc .hta .sct .jar .py .pyw .pl .rb .sh "
    ".bash .zsh .command .desktop .inf .application .appref-ms .gadget .cpl .msc .settingcontent-ms .library-ms "
    ".search-ms .diagcab .iqy .slk .xll .chm .pif .ins .isp".split()
)
_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<iframe", b"<meta", b"<a ")
# What only a script starts with (other scripts are told by their name: a .bat is plain text).
_SCRIPT_STARTS = (b"#!", b"@echo off", b"<hta:", b"<job", b"<package", b"<scriptlet", b'<?xml version="1.0"?><job')


HEAD = 4096  # the bytes ``recognise`` reads (and all of them, for a file that may be text)


def recognise(data: bytes, name: str = "") -> Kind:
    """The kind of a file from its first bytes (and, for text, the name's extension: a .bat is plain text)."""
    head = data[:HEAD]
    if head[:3] == b"\xff\xd8\xff":
        return JPEG
    if head[:8] == b"\x89PNG\r\n\x1a\n":
        return PNG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return TIFF
    if b"%PDF-" in head[:1024]:
        return PDF
    if head[:4] == b"PK\x03\x04":
        return ZIP
    if head[:2] == b"MZ" or head[:4] == b"\x7fELF":
        return PROGRAM
    if head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return OLD_OFFICE
    if head[:20] == b"L\x00\x00\x00\x01\x14\x02\x00\x00\x00\x00\x00\xc0\x00\x00\x00\x00\x00\x00\x46":
        return SHORTCUT
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"heim", b"heis", b"mif1", b"msf1", b"avif"):
        return HEIF
    if head[4:8] == b"ftyp" or head[:3] == b"ID3" or head[:4] in (b"OggS", b"#!AM") or head[8:12] == b"WAVE":
        return AUDIO_VIDEO
    if not is_text(data):
        return UNKNOWN
    return _text_kind(head, PurePath(name).suffix.lower())


def is_text(data: bytes) -> bool:
    """UTF-8 without NUL (``data`` may be a file's first bytes only, cut inside a character)."""
    if b"\x00" in data:
        return False
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _text_kind(head: bytes, suffix: str) -> Kind:
    lower = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lower.startswith(b"{\\rtf"):
        return RTF
    if lower.startswith((b"[internetshortcut]", b"[shell]", b"[{000214a0")) or b"\niconfile=" in lower:
        return SHORTCUT
    if lower.startswith((b"windows registry editor", b"regedit4")):
        return REGISTRY
    if b"<svg" in lower:
        return SVG
    if (
        lower.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<iframe"))
        or b"<script" in lower
    ):
        return HTML
    if lower.startswith(b"<?xml"):
        return XML
    if suffix in HTML.extensions:
        return HTML
    if suffix in SCRIPT_EXTENSIONS or lower.startswith(_SCRIPT_STARTS):
        return SCRIPT
    if suffix in SHORTCUT.extensions:
        return SHORTCUT
    if suffix in REGISTRY.extensions:
        return REGISTRY
    return TEXT


def disagreement(kind: Kind, declared_type: str | None, declared_name: str | None) -> str | None:
    """What in a file's declaration does not fit its content, in words for the Office; None if it fits."""
    declared_type = (declared_type or "").strip().lower()
    suffix = PurePath(declared_name or "").suffix.lower()
    wrong = []
    if declared_type not in _NO_CLAIM and declared_type not in kind.types:
        wrong.append(declared_type)
    known = any(suffix in other.extensions for other in KINDS if other is not kind)
    if suffix and known and suffix not in kind.extensions:
        wrong.append(f"*{suffix}")
    if not wrong:
        return None
    what = ", ".join(wrong)
    return (
        f"khác khai báo ({what}): nội dung là {kind.label} / not what was declared ({what}): the content is {kind.code}"
    )


def by_code(code: str | None) -> Kind | None:
    """The kind recorded under ``code`` (``office.register.contents``); None for an unknown code."""
    return next((kind for kind in KINDS if kind.code == code), None)
