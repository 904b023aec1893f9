"""What a decompression bomb costs ``office export`` now, against an ordinary photo cleaned in the same run.

Each attachment goes through ``office.export.bounded.clean_all``, as ``office export`` sends it: the
formats' budgets, then the child process under its limits. Each is measured in a subprocess of its
own (the best of three runs), for its wall time (the child's start included) and the peak memory of
the cleaning process, and printed as a ratio against the floor: a 12-megapixel JPEG with EXIF and
GPS, cleaned the same way in the same run.

Before the limits (red-team review 2026-12, finding 2, same bombs): the 158-byte GIF took 3.45 GB
and 37.5 s, the 940-byte GIF hit a 6 GB cap, the 1 MB .docx took 2.14 GB and 19.7 s, the 7.2 KB PDF
51-77 s of CPU. Target now: every bomb at most the floor's time and memory x 1.5 (each is refused by
a budget before it is decoded, or copied without being inflated), and a legal but heavy picture
within the child's limits.

Run: ``.venv/bin/python -m bench.bombs`` (``--json FILE`` to keep the figures).
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import ExifTags, Image

from tests.desk import hostile_files

MIB = hostile_files.MIB
TARGET_RATIO = 1.5


def photo() -> bytes:
    """A 12-megapixel phone photo with EXIF and GPS: the floor."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.GPSInfo] = {1: "N", 2: (10.0, 22.0, 30.0), 3: "E", 4: (105.0, 26.0, 15.0)}
    image = Image.linear_gradient("L").resize((4000, 3000)).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif.tobytes())
    return out.getvalue()


CASES = {
    "GIF 9000x9000, 6 frames": lambda: (hostile_files.gif_bomb(9000, 9000, 6), "anh.gif"),
    "GIF 9000x9000, 40 frames": lambda: (hostile_files.gif_bomb(9000, 9000, 40), "anh.gif"),
    "PNG 9000x9000 of zeros": lambda: (hostile_files.png_bomb(9000, 9000), "so-do.png"),
    ".docx, 1 GiB document.xml": lambda: (hostile_files.docx_bomb(1024 * MIB), "to-trinh.docx"),
    "PDF, 1 GiB stream, Flate twice": lambda: (hostile_files.pdf_bomb(1024 * MIB), "bien-ban.pdf"),
}
HEAVY = ("PNG 4000x4000 of noise (legal, heavy)", lambda: (hostile_files.noise_png(4000, 4000), "anh.png"))

MEASURE = """
import json, resource, sys, time
from office.export import bounded
data = open(sys.argv[1], "rb").read()
start = time.perf_counter()
(result,) = bounded.clean_all([(data, sys.argv[2])])
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak, "status": result.status, "notes": result.notes}))
"""


def measure(data: bytes, name: str, work: Path) -> dict:
    path = work / "input"
    path.write_bytes(data)
    done = subprocess.run([sys.executable, "-c", MEASURE, str(path), name], capture_output=True, check=True)
    return {**json.loads(done.stdout), "bytes": len(data)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    options = parser.parse_args()
    figures = {}
    with tempfile.TemporaryDirectory(prefix="bench-bombs-") as tmp:
        work = Path(tmp)
        floor = min((measure(photo(), "anh.jpg", work) for _ in range(3)), key=lambda f: f["seconds"])
        print(f"floor: a 12 MP photo, {floor['bytes']:,} bytes: {floor['seconds']:.2f} s, {floor['peak_mb']:.0f} MB")
        figures["floor"] = floor
        verdicts = []
        for label, make in [*CASES.items(), HEAVY]:
            started = time.perf_counter()
            data, name = make()
            made = time.perf_counter() - started
            got = min((measure(data, name, work) for _ in range(3)), key=lambda f: f["seconds"])
            figures[label] = got
            time_ratio, memory_ratio = got["seconds"] / floor["seconds"], got["peak_mb"] / floor["peak_mb"]
            bomb = label != HEAVY[0]
            ok = not bomb or (time_ratio <= TARGET_RATIO and memory_ratio <= TARGET_RATIO)
            verdicts.append(ok)
            print(
                f"  {label:<40} {got['bytes']:>11,} B  {got['seconds']:6.2f} s (x{time_ratio:4.2f})  "
                f"{got['peak_mb']:6.0f} MB (x{memory_ratio:4.2f})  {got['status']}"
                f"{'' if ok else '  OVER TARGET'}  [made in {made:.1f} s]"
            )
            for note in got["notes"]:
                print(f"      {note}")
    print(f"target: each bomb within x{TARGET_RATIO} of the floor's time and memory: {'ok' if all(verdicts) else 'NO'}")
    if options.json:
        options.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False))
    return 0 if all(verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
