"""`office export`: the case without its reporter, attachments without metadata, and a manifest.

The fixtures carry known metadata (a JPEG with GPS, a PNG with text chunks, a
PDF with an author and XMP, a .docx with author and company); the checks read
the exported files back with the same libraries, and with exiftool when it is
installed.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pikepdf
import pytest
from docx import Document
from PIL import ExifTags, Image, PngImagePlugin

from tests.desk.conftest import NAME, PHONE, add, office

AUTHOR = "Bao Mat Nguoi Gui"  # ASCII: EXIF and PDF Info strings, found byte for byte below


def _jpeg(path: Path) -> None:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Phone 15"
    exif[ExifTags.Base.Artist] = AUTHOR
    exif[ExifTags.Base.Orientation] = 6  # shot sideways: the export must turn it upright
    exif[ExifTags.Base.GPSInfo] = {1: "N", 2: (10.0, 22.0, 30.0), 3: "E", 4: (105.0, 26.0, 15.0)}
    Image.new("RGB", (64, 32), (200, 30, 30)).save(path, "JPEG", exif=exif.tobytes(), comment=AUTHOR.encode())


def _png(path: Path) -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", AUTHOR)
    info.add_itxt("Description", "Ảnh của người gửi")
    Image.new("RGBA", (16, 16), (0, 0, 255, 128)).save(path, "PNG", pnginfo=info)


def _pdf(path: Path) -> None:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.docinfo["/Author"] = AUTHOR
    pdf.docinfo["/Creator"] = "Word for " + AUTHOR
    pdf.docinfo["/Producer"] = "PDF maker"
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:creator"] = [AUTHOR]
    pdf.save(path)


def _docx(path: Path) -> None:
    document = Document()
    document.add_paragraph("Biên bản cuộc họp")
    document.core_properties.author = AUTHOR
    document.core_properties.last_modified_by = AUTHOR
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "docProps/app.xml":
                content = content.replace(b"<TotalTime>", f"<Company>{AUTHOR} Co</Company><TotalTime>".encode())
            target.writestr(item, content)


@pytest.fixture
def exported(desk_env, tmp_path):
    """A case with five attachments (one that cannot be cleaned), exported twice."""
    files = tmp_path / "files"
    files.mkdir()
    _jpeg(files / "anh-hien-truong.jpg")
    _png(files / "so-do.png")
    _pdf(files / "bien-ban.pdf")
    _docx(files / "to-trinh.docx")
    (files / "ghi-am.m4a").write_bytes(b"\x00\x00\x00\x20ftypM4A " + bytes(range(256)) * 4)
    number = add(
        desk_env,
        "--channel",
        "email",
        "--category",
        "corruption",
        "--name",
        NAME,
        "--phone",
        PHONE,
        "--description",
        f"Tôi là {NAME}, điện thoại 0912.345.678, chứng kiến cán bộ nhận tiền.",
        "--place",
        "Khu công nghiệp Bình Hòa",
        *[
            arg
            for name in ("anh-hien-truong.jpg", "so-do.png", "bien-ban.pdf", "to-trinh.docx", "ghi-am.m4a")
            for arg in ("--attach", str(files / name))
        ],
    )
    out = tmp_path / "chuyen"
    result = office("export", number, "--out", str(out), "--reason", "chuyển Thanh tra tỉnh", env=desk_env)
    return desk_env, number, out, result


def test_case_document_has_no_identity_and_masks_it_in_the_text(exported):
    env, number, out, result = exported
    assert result.stdout.decode().strip() == str(out)
    text = (out / f"ho-so-{number}.txt").read_text(encoding="utf-8")
    assert "Loại nội dung: Tham nhũng" in text and "Khu công nghiệp Bình Hòa" in text
    assert "chứng kiến cán bộ nhận tiền" in text
    assert NAME not in text and "0912" not in text and text.count("[đã che]") == 2
    document = Document(str(out / f"ho-so-{number}.docx"))
    assert document.core_properties.author == "" and "python-docx" not in document.core_properties.comments
    assert document.core_properties.title == f"HỒ SƠ PHẢN ÁNH, TỐ GIÁC SỐ {number}"
    assert document.core_properties.created.year >= 2026  # not the template's 2013
    with zipfile.ZipFile(out / f"ho-so-{number}.docx") as package:  # nor its app.xml ("Microsoft Macintosh Word")
        assert "docProps/app.xml" not in package.namelist() and "docProps/thumbnail.jpeg" not in package.namelist()
    assert "chứng kiến cán bộ nhận tiền" in "\n".join(p.text for p in document.paragraphs)
    for path in out.rglob("*"):
        if path.is_file():
            assert NAME.encode() not in path.read_bytes(), path
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["masked_in_text"] == 2 and manifest["reporter_identity"] == "removed"
    assert "đọc lại nội dung" in result.stderr.decode()
    trail = json.loads(office("audit", "list", "--format", "json", env=env).stdout)
    (entry,) = [e for e in trail if e["action"] == "export"]
    assert entry["reason"] == "chuyển Thanh tra tỉnh" and entry["details"]["unverified"] == 1


def test_attachment_metadata_is_gone(exported):
    _, _, out, _ = exported
    files = {f["position"]: f for f in json.loads((out / "manifest.json").read_text(encoding="utf-8"))["files"]}
    assert [files[n]["status"] for n in range(1, 6)] == ["cleaned", "cleaned", "cleaned", "cleaned", "unverified"]
    assert any("GPS" in item for item in files[1]["removed"])
    assert any("Author" in item for item in files[3]["removed"])
    assert any("creator" in item for item in files[4]["removed"])
    assert any("Company" in item for item in files[4]["removed"])
    assert not any(AUTHOR in json.dumps(f) for f in files.values())  # names the fields, never the values

    with Image.open(out / "tai-lieu" / "tep-01.jpg") as image:
        assert not image.getexif() and "comment" not in image.info and image.size == (32, 64)  # upright
    with Image.open(out / "tai-lieu" / "tep-02.png") as image:
        assert not image.text and image.mode == "RGBA"
    with pikepdf.open(out / "tai-lieu" / "tep-03.pdf") as pdf:
        assert len(pdf.docinfo.keys()) == 0 and "/Metadata" not in pdf.Root and len(pdf.pages) == 1
    document = Document(str(out / "tai-lieu" / "tep-04.docx"))
    assert document.core_properties.author == "" and document.core_properties.last_modified_by == ""
    assert "Biên bản cuộc họp" in document.paragraphs[0].text
    with zipfile.ZipFile(out / "tai-lieu" / "tep-04.docx") as package:
        assert b"Company" not in package.read("docProps/app.xml")
    for path in (out / "tai-lieu").iterdir():
        assert AUTHOR.encode() not in path.read_bytes(), path

    # The file that could not be cleaned is listed, not passed on.
    assert files[5]["file"] is None and not (out / "unverified").exists()
    assert sorted(p.name for p in (out / "tai-lieu").iterdir()) == [
        "tep-01.jpg",
        "tep-02.png",
        "tep-03.pdf",
        "tep-04.docx",
    ]
    manifest = (out / "manifest.txt").read_text(encoding="utf-8")
    assert "CHƯA LÀM SẠCH, KHÔNG ĐƯA VÀO" in manifest and "GPS" in manifest


def test_exiftool_agrees(exported):
    exiftool = shutil.which("exiftool")
    if exiftool is None:  # optional, even in CI: the libraries' own checks above always run
        pytest.skip("exiftool is not installed (apt-get install libimage-exiftool-perl)")
    _, _, out, _ = exported
    paths = sorted((out / "tai-lieu").iterdir())
    tags = json.loads(
        subprocess.run([exiftool, "-json", "-a", "-G1", *map(str, paths)], check=True, capture_output=True).stdout
    )
    for found in tags:
        keys = " ".join(found)
        assert "GPS" not in keys and "Make" not in keys and "Artist" not in keys, found["SourceFile"]
        assert not any(AUTHOR in str(value) for value in found.values()), found["SourceFile"]
        assert not any(
            key.endswith((":Author", ":Creator", ":LastModifiedBy", ":Company")) and value
            for key, value in found.items()
        ), found["SourceFile"]


def test_unverified_files_only_on_request_and_an_empty_folder_is_required(exported, tmp_path):
    env, number, out, _ = exported
    again = office("export", number, "--out", str(out), env=env, ok=False)
    assert again.returncode == 1 and "not empty" in again.stderr.decode()
    second = tmp_path / "voi-tep-chua-lam-sach"
    result = office("export", number, "--out", str(second), "--include-unverified", env=env)
    assert "không làm sạch được" in result.stderr.decode()
    assert (second / "unverified" / "tep-05.bin").read_bytes().startswith(b"\x00\x00\x00\x20ftyp")
    assert "CHƯA LÀM SẠCH" in (second / "unverified" / "README.txt").read_text(encoding="utf-8")
