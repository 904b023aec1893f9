"""The metadata cleaner on its own: every image format, embedded pictures, and what it must refuse."""

from __future__ import annotations

import io
import zipfile

import pikepdf
import pytest
from docx import Document
from docx.shared import Cm
from PIL import ExifTags, Image

from office.export import scrub


def _exif() -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Model] = "Phone 15"
    exif[ExifTags.Base.GPSInfo] = {1: "N", 2: (10.0, 22.0, 30.0)}
    return exif.tobytes()


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "TIFF"])
def test_images_lose_exif_and_gps(fmt):
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), (10, 200, 10)).save(buffer, fmt, exif=_exif())
    result = scrub.clean(buffer.getvalue())
    assert result.status == scrub.CLEANED, result.notes
    assert any("GPS" in item for item in result.removed)
    with Image.open(io.BytesIO(result.data)) as image:
        exif = image.getexif()  # a TIFF keeps its structural tags (sizes, strips) in the same place
        assert ExifTags.Base.Model not in exif and ExifTags.Base.GPSInfo not in exif
        assert image.size == (20, 10) and image.format == fmt


def test_an_animated_gif_keeps_its_frames_and_loses_its_comment():
    frames = [Image.new("RGB", (8, 8), color).convert("P") for color in ("red", "green", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], comment=b"Bao Mat", duration=100)
    with Image.open(io.BytesIO(buffer.getvalue())) as original:
        assert original.n_frames == 3
    result = scrub.clean(buffer.getvalue())
    assert result.status == scrub.CLEANED and any("COMMENT" in item for item in result.removed)
    with Image.open(io.BytesIO(result.data)) as image:
        assert image.n_frames == 3 and "comment" not in image.info


def test_pictures_inside_a_word_file_are_cleaned_too():
    photo = io.BytesIO()
    Image.new("RGB", (30, 30), (0, 0, 0)).save(photo, "JPEG", exif=_exif())
    document = Document()
    document.add_picture(io.BytesIO(photo.getvalue()), width=Cm(2))
    buffer = io.BytesIO()
    document.save(buffer)
    result = scrub.clean(buffer.getvalue())
    assert result.status == scrub.CLEANED
    assert any(item.startswith("word/media/") and "GPS" in item for item in result.removed)
    with zipfile.ZipFile(io.BytesIO(result.data)) as package:
        (media,) = [n for n in package.namelist() if n.startswith("word/media/")]
        with Image.open(io.BytesIO(package.read(media))) as image:
            assert not image.getexif()


def test_comments_with_authors_make_a_document_unverified():
    buffer = io.BytesIO()
    Document().save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("word/comments.xml", '<w:comments xmlns:w="x"><w:comment w:author="Bao Mat"/></w:comments>')
    result = scrub.clean(out.getvalue())
    assert result.status == scrub.UNVERIFIED and result.data is None
    assert "word/comments.xml" in result.notes[-1]


def test_encrypted_pdf_unknown_and_damaged_files_are_unverified(tmp_path):
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.save(tmp_path / "locked.pdf", encryption=pikepdf.Encryption(owner="a", user="b"))
    assert scrub.clean((tmp_path / "locked.pdf").read_bytes()).status == scrub.UNVERIFIED
    assert scrub.clean(b"\x00\x01binary junk").status == scrub.UNVERIFIED
    assert scrub.clean(b"\xff\xd8\xff\xe0 not really a jpeg").status == scrub.UNVERIFIED
    text = scrub.clean("Biên bản\n".encode())
    assert text.status == scrub.NO_METADATA and text.data == "Biên bản\n".encode()
