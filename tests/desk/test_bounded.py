"""Cleaning attachments within limits: the formats' budgets, and the child process the system bounds.

The bombs of the red-team review each ask for gigabytes or minutes; each is stopped by the budget of
its format before a pixel or a byte of it is decoded, and named in the note. What no budget foresees
is bounded by the child process: its memory, its CPU time and the watchdog each end a file that is
legal by every budget but too costly, and the next file is cleaned by a new child.
"""

from __future__ import annotations

import pytest

from office.export import bounded, scrub
from tests.desk import hostile_files

MIB = hostile_files.MIB


@pytest.mark.parametrize(
    ("name", "make", "limit"),
    [
        ("anh.gif", lambda: hostile_files.gif_bomb(9000, 9000, 6), "điểm ảnh"),  # 158 bytes, 3.45 GB before
        ("anh.gif", lambda: hostile_files.gif_bomb(100, 100, 5000), "khung hình"),
        ("anh.gif", lambda: hostile_files.gif_bomb(20000, 20000, 1), "điểm ảnh"),  # past Pillow's own bound too
        ("so-do.png", lambda: hostile_files.png_bomb(8200, 8200), "điểm ảnh"),
        ("to-trinh.docx", lambda: hostile_files.docx_bomb(256 * MIB), "tỉ lệ nén"),  # 2.1 GB for 1 GiB before
    ],
)
def test_each_bomb_is_stopped_by_its_formats_budget(name, make, limit):
    result = scrub.clean(make(), name)
    assert result.status == scrub.UNVERIFIED and result.data is None
    assert limit in result.notes[0], result.notes


def test_a_pdf_stream_compressed_twice_is_copied_not_inflated():
    bomb = hostile_files.pdf_bomb(256 * MIB)  # 51-77 s of CPU per 4 GiB before
    result = scrub.clean(bomb, "bien-ban.pdf")
    assert result.status == scrub.CLEANED and len(result.data) < 4 * len(bomb)


def test_a_package_of_too_many_parts_or_of_too_much_in_all_is_unverified():
    import io
    import zipfile

    many = io.BytesIO()
    with zipfile.ZipFile(many, "w") as package:
        package.writestr("[Content_Types].xml", hostile_files.CONTENT_TYPES)
        for n in range(60):
            package.writestr(f"word/media/{n}.xml", b"<a/>")
    small = scrub.Limits(members=50)
    assert "số tệp" in scrub.clean(many.getvalue(), "a.docx", small).notes[0]
    assert "dung lượng giải nén" in scrub.clean(many.getvalue(), "a.docx", scrub.Limits(decoded_bytes=100)).notes[0]


def test_the_child_is_stopped_by_memory_cpu_time_and_the_watchdog_and_replaced():
    # 1000 frames of 250x250: 23 KB, legal by every budget, and about 3.5 s of CPU and 270 MB to clean.
    heavy = hostile_files.gif_bomb(250, 250, 1000)
    for limits, said in [
        (scrub.Limits(memory_bytes=160 * MIB), "bộ nhớ"),
        (scrub.Limits(cpu_seconds=1), "thời gian CPU"),
        (scrub.Limits(wall_seconds=0.3), "thời gian (0.3 giây)"),
    ]:
        over, after = bounded.clean_all([(heavy, "anh.gif"), ("Biên bản".encode(), "bien-ban.txt")], limits)
        assert over.status == scrub.UNVERIFIED and said in over.notes[0], (limits, over.notes)
        assert after.status == scrub.NO_METADATA and after.data == "Biên bản".encode()
    (cleaned,) = bounded.clean_all([(heavy, "anh.gif")])
    assert cleaned.status == scrub.NO_METADATA and cleaned.extension == ".gif"


def test_the_windows_job_limits_have_the_layout_windows_expects():
    """The structure handed to SetInformationJobObject (tested here for its layout; Windows runs it)."""
    import ctypes

    if ctypes.sizeof(ctypes.c_void_p) == 8:
        assert ctypes.sizeof(bounded.job_limits_structure()) == 144
