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

A reporter controls every byte of these files, and a file of a few hundred bytes
can ask for gigabytes (a GIF whose frames each fill a 9000×9000 canvas, a .docx
whose one part inflates to 1 GiB, a PDF stream compressed twice). Every cleaner
therefore works within ``Limits``: the budgets of the format (pixels of all frames
together, frames, bytes a package inflates to, its ratio and number of members,
objects of a PDF) are checked before the work they bound, here, on every system;
a PDF's streams are copied without being decoded; and ``bounded`` runs this module
in a child process that the system limits in memory and CPU time and a watchdog
stops, so that what the budgets do not foresee costs at most that. A file over a
limit is reported "unverified" with the limit it went over, like any other file
that could not be cleaned: it is never passed on uncleaned, and the rest of the
case is exported all the same.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from . import kinds

CLEANED = "cleaned"
NO_METADATA = "no-metadata"
UNVERIFIED = "unverified"

MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What cleaning one attachment may cost (figures in bench/bombs.py); over any of them, "unverified".

    The first three bound the child process that cleans (``bounded``): its memory where the system
    limits it (an address-space limit on POSIX, a job object on Windows), its CPU time (POSIX), and
    the watchdog's wall-clock limit everywhere. The others are budgets of the formats, checked here
    before the work they bound.
    """

    memory_bytes: int = 1536 * MIB
    cpu_seconds: int = 60
    wall_seconds: float = 120.0
    decoded_bytes: int = 256 * MIB  # what a package's members may inflate to, all together
    pixels: int = 64_000_000  # width x height of every frame (a GIF's frame is its whole canvas), all together
    frames: int = 1000
    ratio: int = 100  # how many times a member over 1 MiB may inflate
    members: int = 5000
    pdf_objects: int = 500_000


LIMITS = Limits()


class OverLimit(Exception):
    """Cleaning the file would cost more than ``Limits`` allows; the message names the limit."""


@dataclass
class _Budget:
    """What one file has spent of its limits so far (a package spends for its pictures too)."""

    limits: Limits
    pixels: int = 0
    decoded: int = 0

    def spend_pixels(self, count: int) -> None:
        self.pixels += count
        if self.pixels > self.limits.pixels:
            raise OverLimit(
                f"vượt giới hạn điểm ảnh ({self.pixels:,} > {self.limits.pixels:,}, mọi khung hình cộng lại) / "
                "over the pixel limit (all frames together)"
            )

    def spend_decoded(self, count: int) -> None:
        self.decoded += count
        if self.decoded > self.limits.decoded_bytes:
            raise OverLimit(
                f"vượt giới hạn dung lượng giải nén ({self.limits.decoded_bytes // MIB} MiB) / "
                "over the limit of what it may inflate to"
            )


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


def clean(data: bytes, name: str = "", limits: Limits = LIMITS) -> Result:
    """Recognise a file by its content and clean it within ``limits``; never raises for a bad file.

    ``name`` is the name the reporter declared: a plain-text file named .bat or .hta is a script.
    """
    kind = kinds.recognise(data, name)
    try:
        if kind in (kinds.JPEG, kinds.PNG, kinds.GIF, kinds.WEBP, kinds.TIFF):
            return clean_image(data, _Budget(limits))
        if kind is kinds.PDF:
            return clean_pdf(data, limits)
        if kind is kinds.ZIP:
            return clean_office(data, _Budget(limits))
    except OverLimit as exc:
        return Result(UNVERIFIED, kind.label, kind.extension, None, [], [str(exc)])
    except MemoryError:
        return Result(UNVERIFIED, kind.label, kind.extension, None, [], [OVER_MEMORY])
    except Exception as exc:  # a damaged file of a known kind: report it, never pass it on
        return Result(
            UNVERIFIED,
            "không đọc được / unreadable",
            ".bin",
            None,
            [],
            [f"không làm sạch được: {type(exc).__name__} / could not be cleaned"],
        )
    if kind is kinds.TEXT:
        return Result(NO_METADATA, kind.label, ".txt", data)
    if kind.active:
        return Result(
            UNVERIFIED,
            kind.label,
            ".txt" if kind.text else ".bin",
            None,
            [],
            [
                "tệp có thể chạy mã lệnh hoặc kết nối ra ngoài khi được mở; không làm sạch / active content: may "
                "run code or contact a server when opened"
            ],
        )
    return Result(UNVERIFIED, kind.label, ".bin", None, [], [NO_CLEANER])


NO_CLEANER = "định dạng không hỗ trợ làm sạch / no cleaner for this format"
OVER_MEMORY = "vượt giới hạn bộ nhớ khi làm sạch / over the memory limit while cleaning"


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


def clean_image(data: bytes, budget: _Budget) -> Result:
    from PIL import Image, ImageOps, ImageSequence

    if data[:6] in (b"GIF87a", b"GIF89a") and _gif_frames(data, budget.limits.frames) > budget.limits.frames:
        raise OverLimit(_too_many_frames(budget.limits))
    try:
        opened = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError:  # Pillow's own bound, far above ours: the same limit, said the same way
        raise OverLimit(f"vượt giới hạn điểm ảnh (hơn {budget.limits.pixels:,}) / over the pixel limit") from None
    with opened as image:
        # Sizes come from the header: checked before a single pixel is decoded.
        count = getattr(image, "n_frames", 1)
        if count > budget.limits.frames:
            raise OverLimit(_too_many_frames(budget.limits))
        budget.spend_pixels(image.size[0] * image.size[1] * count)
        image.load()
        fmt = image.format or ""
        if fmt not in IMAGE_FORMATS:
            return Result(UNVERIFIED, f"ảnh {fmt}", ".bin", None, [], ["định dạng ảnh không hỗ trợ / unsupported"])
        removed = _image_metadata(image)
        if count == 1:
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


def _too_many_frames(limits: Limits) -> str:
    return f"vượt giới hạn số khung hình ({limits.frames}) / over the limit of frames"


def _gif_frames(data: bytes, most: int) -> int:
    """How many frames a GIF holds, counted from its blocks without decoding; stops once past ``most``."""
    flags, position, frames, blocks = data[10] if len(data) > 10 else 0, 13, 0, 0
    if flags & 0x80:
        position += 3 << ((flags & 7) + 1)  # the global colour table
    while position < len(data) and frames <= most:
        blocks += 1
        if blocks > 16 * most:  # extensions without end: as costly to read as frames
            return most + 1
        block = data[position]
        if block == 0x2C:  # an image: its descriptor, a local colour table, the LZW code size, then data
            frames += 1
            local = data[position + 9] if position + 9 < len(data) else 0
            position += 10 + (3 << ((local & 7) + 1) if local & 0x80 else 0) + 1
        elif block == 0x21:  # an extension: introducer and label, then data
            position += 2
        else:
            break  # the trailer, or damage that Pillow will judge
        while position < len(data) and data[position]:  # data sub-blocks, each led by its length
            position += data[position] + 1
        position += 1
    return frames


# --- PDF --------------------------------------------------------------------------------------


def clean_pdf(data: bytes, limits: Limits) -> Result:
    import pikepdf

    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        return Result(UNVERIFIED, "PDF", ".pdf", None, [], ["PDF có mật khẩu / password-protected"])
    with pdf:
        if pdf.is_encrypted:
            return Result(UNVERIFIED, "PDF", ".pdf", None, [], ["PDF được mã hóa / encrypted PDF"])
        size = pdf.trailer.get("/Size")
        if (isinstance(size, int) and size > limits.pdf_objects) or len(pdf.objects) > limits.pdf_objects:
            raise OverLimit(f"vượt giới hạn số đối tượng PDF ({limits.pdf_objects:,}) / over the limit of PDF objects")
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
        # Streams are copied as they are, never decoded: a stream compressed twice over would
        # otherwise be inflated (to gigabytes) and compressed again, for nothing.
        pdf.save(
            out,
            fix_metadata_version=False,
            deterministic_id=True,
            stream_decode_level=pikepdf.StreamDecodeLevel.none,
            compress_streams=False,
        )
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


def _zip_entries(data: bytes) -> int:
    """How many entries a zip's end record announces (zip64 included), read before any is parsed."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0:
        return 0  # not a well-formed zip: zipfile will say so
    count = int.from_bytes(data[end + 10 : end + 12], "little")
    locator = data.rfind(b"PK\x06\x07", max(0, end - 20), end)
    if count == 0xFFFF and locator >= 0:
        record = int.from_bytes(data[locator + 8 : locator + 16], "little")
        count = int.from_bytes(data[record + 32 : record + 40], "little")
    return count


def _read_member(package: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget) -> bytes:
    """One member, inflated within the budget: its declared size and ratio are checked first, and no more
    than the declared size is ever read (a header that lies fails zipfile's CRC check instead)."""
    if info.file_size > MIB and info.file_size > budget.limits.ratio * max(info.compress_size, 1):
        raise OverLimit(
            f"vượt giới hạn tỉ lệ nén ({info.filename[:60]!r} phình {info.file_size // max(info.compress_size, 1)} "
            f"lần, tối đa {budget.limits.ratio}) / over the compression ratio limit"
        )
    budget.spend_decoded(info.file_size)
    with package.open(info) as member:
        return member.read(info.file_size)


def clean_office(data: bytes, budget: _Budget) -> Result:
    from lxml import etree

    if _zip_entries(data) > budget.limits.members:
        raise OverLimit(f"vượt giới hạn số tệp trong gói ({budget.limits.members}) / over the limit of members")
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        members = package.infolist()
        if len(members) > budget.limits.members:
            raise OverLimit(f"vượt giới hạn số tệp trong gói ({budget.limits.members}) / over the limit of members")
        names = [member.filename for member in members]
        prefix = next((p for p in _OOXML_KINDS if any(n.startswith(p) for n in names)), None)
        if "[Content_Types].xml" not in names or prefix is None:
            return Result(UNVERIFIED, "tệp nén (zip)", ".zip", None, [], ["không phải tài liệu Office / not OOXML"])
        kind, extension = _OOXML_KINDS[prefix]
        removed: list[str] = []
        notes: list[str] = []
        authored = sorted({n for n in names if _AUTHOR_PARTS.match(n)})
        tracked = False
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for member in members:
                name = member.filename
                content = _read_member(package, member, budget)
                if name.startswith("word/") and name.endswith(".xml") and b"w:author=" in content:
                    tracked = True
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
                    image = _embedded_image(content, budget)
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
        if tracked:
            authored.append("tracked changes (w:author)")
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


def _embedded_image(data: bytes, budget: _Budget) -> Result:
    """A picture inside a package, cleaned on the package's budget (a damaged one stays uncleaned)."""
    try:
        return clean_image(data, budget)
    except OverLimit:
        raise
    except Exception:
        return Result(UNVERIFIED, "ảnh nhúng / embedded image", ".bin")
