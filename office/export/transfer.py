"""What a package is for, and what it goes with: a transfer a competent authority can act on.

Three purposes, told from the register (``purpose_of``):

* **a denunciation transferred** (``office forward --denunciation``): the receiving authority can
  only accept a denunciation that names the denouncer (Luật Tố cáo Điều 23, 25; LEGAL_FACTS
  §3.3, §3.4), and must notify them (Điều 9.1.c). So the package goes with the denouncer's
  identity, in a separate part marked MẬT with the request to keep it secret (Điều 9.1.b: the
  denouncer's name, address, handwriting and other personal details are kept secret); the
  main part stays without it, so that it can be worked on without revealing them (content
  review H1);
* **a phản ánh forwarded**: the reporter's identity goes only with their consent, recorded
  (how and when they agreed), in the same separate part; without it, none;
* **a case handled inside the Board** (exported for the unit assigned): never titled as a
  transfer, never with the identity.

The package's documents are the Board's (``office/layout.py``): header block, number, place and
date, signature, as the half-year report and the notices. Every identity part written is in the
audit trail with the fields it holds and why.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from .. import layout, register

PURPOSES: dict[str, tuple[str, str]] = {
    "denunciation": ("Chuyển tố cáo đến cơ quan có thẩm quyền", "a denunciation transferred"),
    "forwarded": ("Chuyển phản ánh đến cơ quan có thẩm quyền", "a report forwarded"),
    "internal": ("Giao phòng, đơn vị của Ban xử lý", "a case handled by one of the Board's units"),
}
IDENTITY_FILE = "MAT-thong-tin-nguoi-to-cao"
REPORTER_FILE = "MAT-thong-tin-nguoi-phan-anh"
SECRECY = (
    "Đề nghị {to} giữ bí mật họ tên, địa chỉ, bút tích và thông tin cá nhân khác của {who} theo quy định của pháp "
    "luật; không chuyển phần này cho người bị tố cáo, người bị phản ánh hay cơ quan, tổ chức, cá nhân không có thẩm "
    "quyền."
)
FIELDS = (("name", "Họ và tên"), ("address", "Địa chỉ"), ("phone", "Số điện thoại"), ("email", "Thư điện tử"))


class TransferError(ValueError):
    """The package cannot be made as asked; the message says what to do."""


@dataclass(frozen=True)
class Purpose:
    code: str  # PURPOSES
    authority: str | None  # where it goes: the authority, or the unit
    consent: str | None = None  # a phản ánh's reporter agreed to pass their identity on (how, when)

    @property
    def transfer(self) -> bool:
        return self.code in ("denunciation", "forwarded")

    @property
    def with_identity(self) -> bool:
        return self.code == "denunciation" or self.consent is not None

    @property
    def person(self) -> str:
        return "người tố cáo" if self.code == "denunciation" else "người phản ánh"


def purpose_of(case: register.Case, notices: list[register.Notice], consent: str | None = None) -> Purpose:
    """What a case's package is for: a transfer (of a denunciation, of a phản ánh) or a unit's handling."""
    consent = " ".join((consent or "").split()) or None
    if case.forwarded_at:
        if any(n.about == "transferred" for n in notices):
            return Purpose("denunciation", case.forwarded_to)
        if consent and case.anonymous:
            raise TransferError(
                f"hồ sơ {case.number} là phản ánh ẩn danh: không có danh tính để chuyển / case {case.number} is "
                "anonymous: there is no identity to pass on"
            )
        return Purpose("forwarded", case.forwarded_to, consent)
    if consent:
        raise TransferError(
            f"hồ sơ {case.number} không chuyển cơ quan khác: danh tính người phản ánh không bao giờ được giao cho "
            f"phòng, đơn vị xử lý; bỏ --consent / case {case.number} was not forwarded: a unit of the Board never "
            "receives the reporter's identity; drop --consent"
        )
    return Purpose("internal", case.unit)


def heading(number: str, purpose: Purpose) -> list[str]:
    """The first lines of the case text: what the package is, where it goes, what it goes with."""
    if purpose.code == "internal":
        where = f"giao {purpose.authority} xử lý" if purpose.authority else "giao phòng, đơn vị của Ban xử lý"
        return [f"HỒ SƠ PHẢN ÁNH, TỐ GIÁC SỐ {number}", f"({where}; không gồm thông tin người phản ánh, tố giác)"]
    to = purpose.authority or "cơ quan có thẩm quyền"
    if purpose.with_identity:
        part = IDENTITY_FILE if purpose.code == "denunciation" else REPORTER_FILE
        goes = f"thông tin về {purpose.person} ở phần riêng, MẬT ({part}.docx)"
    else:
        goes = "không gồm thông tin người phản ánh, tố giác"
    title = "HỒ SƠ TỐ CÁO SỐ" if purpose.code == "denunciation" else "HỒ SƠ PHẢN ÁNH, TỐ GIÁC SỐ"
    return [f"{title} {number}", f"(Bản chuyển {to}; {goes})"]


def identity_lines(number: str, reporter: dict[str, Any], purpose: Purpose) -> list[str]:
    """The separate part: who the denouncer (or the consenting reporter) is, marked MẬT, with the request."""
    who = purpose.person
    lines = ["MẬT", f"THÔNG TIN VỀ {who.upper()}", f"(Kèm theo hồ sơ số {number}, chuyển {purpose.authority or ''})"]
    lines.append("")
    for key, label in FIELDS:
        value = " ".join(str(reporter.get(key) or "").split())
        lines.append(f"{label}: {value or '-'}")
    if purpose.consent:
        lines.append(f"Người phản ánh đồng ý chuyển thông tin này: {purpose.consent}")
    lines += ["", SECRECY.format(to=purpose.authority or "cơ quan nhận", who=who)]
    return lines


def identity_fields(reporter: dict[str, Any]) -> list[str]:
    return sorted(key for key, _ in FIELDS if str(reporter.get(key) or "").strip())


def package_docx(
    lines: list[str], settings: dict[str, Any], drafted: date, *, confidential: bool = False, signed: bool = True
) -> bytes:
    """A document of the package in the Board's layout: header block, title, the lines, the signature."""
    from docx import Document

    document = Document()
    layout.page_setup(document)
    if confidential:
        layout.paragraph(document, lines[0], bold=True, size=layout.NUMBER_PT, after=0)
        lines = lines[1:]
    head = layout.Letterhead(
        settings["superior_body"],
        settings["issuing_body"],
        layout.number_for(settings, "transfer"),
        layout.undated_line(settings["place"], drafted.year),
    )
    layout.header_block(document, head)
    layout.title_block(document, lines[0], lines[1].strip("()"))
    for line in lines[2:]:
        if line:
            layout.paragraph(document, line, align="justify")
    if signed:
        layout.signature_block(document, layout.signature_of(settings))
    layout.finish_package(document, title=lines[0], author="")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
