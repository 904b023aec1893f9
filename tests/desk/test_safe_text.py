"""The rules for text leaving the desk (``office.safe_text``): terminal, document, CSV cell, file name."""

from __future__ import annotations

import json

import pytest
from docx import Document

from office.safe_text import MAX_NAME_BYTES, MAX_NAME_CHARS, csv_cell, file_name, for_document, json_for_terminal


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("bien-ban.pdf", False, "bien-ban.pdf"),
        ("Ảnh hiện trường.JPG", False, "Ảnh hiện trường.JPG"),
        ("bang-chung.hta", True, "bang-chung.hta.txt"),
        ("lien-ket.url", True, "lien-ket.url.txt"),
        ("bang.csv", True, "bang.csv.txt"),
        ("setup.exe", False, "setup.exe.bin"),
        ("hoa-don\u202egpj.exe", False, "hoa-don_gpj.exe.bin"),
        ("../../etc/cron.d/evil", True, "_.._etc_cron.d_evil.txt"),
        ("C:\\Windows\\evil.dll", False, "C__Windows_evil.dll.bin"),
        ("report.pdf:Zone.Identifier", False, "report.pdf_Zone.Identifier.bin"),
        ("CON", False, "_CON.bin"),
        ("nul.txt", True, "_nul.txt"),
        ("com1 .pdf", False, "_com1 .pdf"),
        ("...", False, "tep.bin"),
        ("-rf.txt", True, "rf.txt"),
        ("ten. ", True, "ten.txt"),
    ],
)
def test_file_names_are_safe(name, text, expected):
    assert file_name(name, text=text) == expected


@pytest.mark.parametrize("name", ["x" * 251 + ".pdf", "ệ" * 255, "ả" * 70 + "." + "b" * 15, "tệp " * 60 + ".docx"])
def test_names_of_any_length_are_shortened_keeping_their_extension(name):
    short = file_name(name)
    assert len(short) <= MAX_NAME_CHARS and len(short.encode()) <= MAX_NAME_BYTES
    assert short.endswith(("~.pdf", "~.bin", "~.docx")), short


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\uff1d1+1", "'\uff1d1+1"),
        ("-12", "-12"),
        ("-", "-"),
        ("+84 912", "'+84 912"),
        ("Phòng A", "Phòng A"),
        (7, 7),
        ("tên\x00\x1b[2J", "tên\\u0000\\u001b[2J"),
    ],
)
def test_csv_cells_never_run_as_formulas(value, expected):
    assert csv_cell(value) == expected


def test_documents_hold_every_character_a_report_can_carry(tmp_path):
    text = "a\x00b\x0bc\x0cd\x01e\ud800f\u202eg\r\nh\ti\ufffej\U000e0041"
    safe = for_document(text)
    assert safe == "a\\u0000b\\u000bc\\u000cd\\u0001e\\ud800f\\u202eg\nh\ti\\ufffej\\U000e0041"
    safe.encode("utf-8")  # no lone surrogate left
    document = Document()
    document.add_paragraph(safe)  # python-docx refuses what XML cannot hold
    document.save(tmp_path / "x.docx")


def test_json_for_a_terminal_is_the_same_document_with_nothing_raw():
    document = {"persons": "Giám đốc\r", "d": "\x1b]0;x\x07\u202e\ud800\x9b\U000f0001", "n": ["\u2028"]}
    shown = json_for_terminal(document)
    assert json.loads(shown) == document
    assert all(c == "\n" or c.isprintable() for c in shown), shown
    assert "\\udb80\\udc01" in shown  # beyond the first plane: a surrogate pair, valid JSON


def test_printable_text_passes_unchanged_because_no_hidden_character_is_printable():
    """for_document and for_terminal skip their per-character loop for printable text (the report's annex has
    thousands of cells): that shortcut is exact only if no hidden character is printable."""
    from office.safe_text import _hidden

    assert [hex(code) for code in range(0x110000) if chr(code).isprintable() and _hidden(chr(code))] == []
