"""Strip identifying metadata from attachments before a case is forwarded.

A photo taken on a phone carries the phone's model and often the GPS position
of where it was taken; a PDF or Word file carries its author's name, the
company and editing times. Any of these can point straight at the reporter.
Each file is recognised by its content (not its name or declared type) and
rewritten by a well-kept library:

* JPEG, PNG, WebP, TIFF, GIF: decoded and re-encoded by Pillow from the pixels
  only, so EXIF (with GPS), XMP, IPTC, ICC profiles, comments and text chunks
  are left behind;
* PDF: pikepdf removes the document information dictionary (/Author,
  /Creator, /Producer...), every XMP /Metadata stream, /PieceInfo, comment
  authors (/T) and the file /ID;
* .docx, .xlsx, .pptx (zip packages): docProps/core.xml is emptied (creator,
  lastModifiedBy, dates...), personal fields of docProps/app.xml (Company,
  Manager, Template...) and custom properties are removed, and images
  embedded in the package are cleaned as above;
* plain UTF-8 text has no metadata and passes as it is.

Every cleaned file is read back and checked. A file that cannot be cleaned
or checked (another format, an encrypted PDF, a document with comments or
tracked changes that carry their authors' names...) is reported "unverified"
with the reason: it is never passed on silently. The report of what was
removed names the fields, never their values, which could be the very names
being protected.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

CLEANED = "cleaned"
NO_METADATA = "no-metadata"
UNVERIFIED = "unverified"

IMAGE_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "TIFF": ".tif", "GIF": ".gif"}
# Image info keys that only say how to draw the pixels; anything else is dropped.
_RENDERING_KEYS = ("transparency", "duration", "loop", "background")
# TIFF keeps the description of its pixels in the same directory as EXIF: these tags are structure, not metadata.
_TIFF_STRUCTURE = frozenset(
    {
        "NewSubfileType",
        "SubfileType",
        "ImageWidth",
        "ImageLength",
        "BitsPerSample",
        "Compression",
        "PhotometricInterpretation",
        "FillOrder",
        "StripOffsets",
        "SamplesPerPixel",
        "RowsPerStrip",
        "StripByteCounts",
        "XResolution",
        "YResolution",
        "PlanarConfiguration",
        "ResolutionUnit",
        "Predictor",
        "ColorMap",
        "TileWidth",
        "TileLength",
        "TileOffsets",
        "TileByteCounts",
        "ExtraSamples",
        "SampleFormat",
    }
)
_SENSITIVE_INFO = ("exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "comment", "photoshop", "iptc", "adobe_comment")


@dataclass
class Result:
    status: str
    kind: str
    extension: str
    data: bytes | None = None
    removed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def clean(data: bytes) -> Result:
    """Recognise a file by its first bytes and clean it; never raises for a bad file."""
    try:
        if (
            data[:3] == b"\xff\xd8\xff"
            or data[:8] == b"\x89PNG\r\n\x1a\n"
            or data[:6] in (b"GIF87a", b"GIF89a")
            or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")
            or data[:4] in (b"II*\x00", b"MM\x00*")
        ):
            return clean_image(data)
        if b"%PDF-" in data[:1024]:
            return clean_pdf(data)
        if data[:4] == b"PK\x03\x04":
            return clean_office(data)
        if _is_text(data):
            return Result(NO_METADATA, "văn bản thuần (text)", ".txt", data)
    except Exception as exc:  # a damaged file of a known kind: report it, never pass it on
        return Result(
            UNVERIFIED,
            "không đọc được / unreadable",
            ".bin",
            None,
            [],
            [f"không làm sạch được: {type(exc).__name__} / could not be cleaned"],
        )
    return Result(
        UNVERIFIED,
        "không nhận dạng được / unknown format",
        ".bin",
        None,
        [],
        ["định dạng không hỗ trợ làm sạch / no cleaner for this format"],
    )


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# --- images -----------------------------------------------------------------------------------


def _image_metadata(image) -> list[str]:
    """Names of the metadata an opened image carries (for the manifest, and to check a cleaned one)."""
    from PIL import ExifTags

    found = []
    exif = image.getexif()
    names = sorted({ExifTags.TAGS.get(tag, f"0x{tag:04x}") for tag in exif} - _TIFF_STRUCTURE)
    if names:
        found.append(f"EXIF ({', '.join(names[:12])}{', …' if len(names) > 12 else ''})")
        if ExifTags.Base.GPSInfo in exif:
            found.append("GPS (vị trí chụp / location)")
    for key in _SENSITIVE_INFO:
        if key in image.info and key != "exif":
            found.append({"icc_profile": "ICC profile", "XML:com.adobe.xmp": "XMP"}.get(key, key.upper()))
    text = getattr(image, "text", None) or {}
    if text:
        found.append(f"PNG text ({', '.join(sorted(text)[:8])})")
    return found


def clean_image(data: bytes) -> Result:
    from PIL import Image, ImageOps, ImageSequence

    with Image.open(io.BytesIO(data)) as image:
        image.load()
        fmt = image.format or ""
        if fmt not in IMAGE_FORMATS:
            return Result(UNVERIFIED, f"ảnh {fmt}", ".bin", None, [], ["định dạng ảnh không hỗ trợ / unsupported"])
        removed = _image_metadata(image)
        if getattr(image, "n_frames", 1) == 1:
            # Apply the EXIF orientation before dropping it, so that the picture stays upright.
            sources = [(ImageOps.exif_transpose(image), image.info)]
        else:
            sources = [(frame.copy(), dict(frame.info)) for frame in ImageSequence.Iterator(image)]
        frames = []
        for pixels, info in sources:
            pixels.info = {k: v for k, v in info.items() if k in _RENDERING_KEYS}
            frames.append(pixels)
    out = io.BytesIO()
    options: dict = {"format": fmt}
    if fmt == "JPEG":
        options.update(quality=95)
        frames = [f.convert("RGB") if f.mode not in ("RGB", "L", "CMYK") else f for f in frames]
    if len(frames) > 1:
        options.update(save_all=True, append_images=frames[1:])
    frames[0].save(out, **options)
    cleaned = out.getvalue()
    with Image.open(io.BytesIO(cleaned)) as check:
        left = _image_metadata(check)
    kind = f"ảnh {fmt}"
    if left:
        return Result(UNVERIFIED, kind, IMAGE_FORMATS[fmt], None, removed, [f"còn lại sau khi làm sạch: {left}"])
    notes = ["ảnh được mã hóa lại từ điểm ảnh / re-encoded from its pixels"] if removed else []
    return Result(CLEANED if removed else NO_METADATA, kind, IMAGE_FORMATS[fmt], cleaned, removed, notes)


# --- PDF --------------------------------------------------------------------------------------


def clean_pdf(data: bytes) -> Result:
    import pikepdf

    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        return Result(UNVERIFIED, "PDF", ".pdf", None, [], ["PDF có mật khẩu / password-protected"])
    with pdf:
        if pdf.is_encrypted:
            return Result(UNVERIFIED, "PDF", ".pdf", None, [], ["PDF được mã hóa / encrypted PDF"])
        root = pdf.Root
        if "/Names" in root and "/EmbeddedFiles" in root.Names:
            return Result(UNVERIFIED, "PDF", ".pdf", None, [], ["PDF chứa tệp nhúng / has embedded files"])
        removed = []
        info = pdf.trailer.get("/Info")
        if info is not None:
            keys = [str(k)[1:] for k in info.keys()]
            if keys:
                removed.append(f"Document info ({', '.join(sorted(keys))})")
            del pdf.trailer["/Info"]
        streams = 0
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                for key in ("/Metadata", "/PieceInfo"):
                    if key in obj:
                        del obj[key]
                        streams += 1
        if "/Metadata" in root:
            del root["/Metadata"]
            streams += 1
        if streams:
            removed.append(f"XMP /Metadata, /PieceInfo ({streams})")
        authors = 0
        for page in pdf.pages:
            for annotation in page.obj.get("/Annots", []):
                if isinstance(annotation, pikepdf.Dictionary) and "/T" in annotation:
                    del annotation["/T"]
                    authors += 1
        if authors:
            removed.append(f"tác giả chú thích / annotation authors ({authors})")
        if "/ID" in pdf.trailer:
            removed.append("mã định danh tệp / file /ID")
        out = io.BytesIO()
        pdf.save(out, fix_metadata_version=False, deterministic_id=True)
    cleaned = out.getvalue()
    with pikepdf.open(io.BytesIO(cleaned)) as check:
        info = check.trailer.get("/Info")
        left = (info is not None and len(info.keys()) > 0) or "/Metadata" in check.Root
    if left:
        return Result(UNVERIFIED, "PDF", ".pdf", None, removed, ["siêu dữ liệu còn lại / metadata left"])
    return Result(CLEANED, "PDF", ".pdf", cleaned, removed)


# --- Office documents (OOXML) -----------------------------------------------------------------

_OOXML_KINDS = {"word/": ("Word", ".docx"), "xl/": ("Excel", ".xlsx"), "ppt/": ("PowerPoint", ".pptx")}
_APP_PERSONAL = ("Company", "Manager", "Template", "HyperlinkBase", "TotalTime")
_AUTHOR_PARTS = re.compile(
    r"^(word/comments\w*\.xml|word/people\.xml|xl/comments\d*\.xml|xl/threadedComments/|xl/persons/|"
    r"ppt/comments/|ppt/commentAuthors\.xml|ppt/authors\.xml)"
)
_MEDIA = re.compile(r"^((word|xl|ppt)/media/[^/]+|docProps/thumbnail)\.(jpe?g|png|tiff?|gif|webp)$", re.IGNORECASE)
_EMPTY_CORE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    b'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    b'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>'
)
_EMPTY_CUSTOM = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
    b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"/>'
)


def _xml(data: bytes):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    return etree.fromstring(data, parser)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _filled(element) -> list[str]:
    return [_local(child.tag) for child in element if (child.text or "").strip() or len(child)]


def clean_office(data: bytes) -> Result:
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = package.namelist()
        prefix = next((p for p in _OOXML_KINDS if any(n.startswith(p) for n in names)), None)
        if "[Content_Types].xml" not in names or prefix is None:
            return Result(UNVERIFIED, "tệp nén (zip)", ".zip", None, [], ["không phải tài liệu Office / not OOXML"])
        kind, extension = _OOXML_KINDS[prefix]
        removed: list[str] = []
        notes: list[str] = []
        authored = sorted({n for n in names if _AUTHOR_PARTS.match(n)})
        if any(b"w:author=" in package.read(n) for n in names if n.startswith("word/") and n.endswith(".xml")):
            authored.append("tracked changes (w:author)")
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for name in names:
                content = package.read(name)
                if name == "docProps/core.xml":
                    fields = _filled(_xml(content))
                    if fields:
                        removed.append(f"docProps/core.xml ({', '.join(fields)})")
                    content = _EMPTY_CORE
                elif name == "docProps/app.xml":
                    root = _xml(content)
                    personal = [c for c in root if _local(c.tag) in _APP_PERSONAL]
                    filled = [_local(c.tag) for c in personal if (c.text or "").strip()]
                    for child in personal:
                        root.remove(child)
                    if filled:
                        removed.append(f"docProps/app.xml ({', '.join(filled)})")
                    content = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
                elif name == "docProps/custom.xml":
                    fields = [c.get("name", "?") for c in _xml(content)]
                    if fields:
                        removed.append(f"docProps/custom.xml ({len(fields)} thuộc tính / properties)")
                    content = _EMPTY_CUSTOM
                elif _MEDIA.match(name):
                    image = clean_image(content)
                    if image.status == UNVERIFIED or image.data is None:
                        notes.append(f"ảnh nhúng {name} không làm sạch được / embedded image not cleaned")
                        authored.append(name)
                    else:
                        if image.removed:
                            removed.append(f"{name}: {'; '.join(image.removed)}")
                        content = image.data
                # A fixed date on every entry: the zip's own timestamps say nothing either.
                target.writestr(
                    zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), content, compress_type=zipfile.ZIP_DEFLATED
                )
    cleaned = out.getvalue()
    with zipfile.ZipFile(io.BytesIO(cleaned)) as check:
        if "docProps/core.xml" in check.namelist() and _filled(_xml(check.read("docProps/core.xml"))):
            return Result(UNVERIFIED, kind, extension, None, removed, ["core.xml còn dữ liệu / core.xml not empty"])
    if authored:
        return Result(
            UNVERIFIED,
            kind,
            extension,
            None,
            removed,
            [
                *notes,
                "có chú thích, theo dõi thay đổi hoặc tên người viết không xóa được: "
                f"{', '.join(authored)} / comments or tracked changes carry authors' names",
            ],
        )
    return Result(CLEANED if removed else NO_METADATA, kind, extension, cleaned, removed, notes)
