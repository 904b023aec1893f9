"""``python -m portal_site check [--data FILE]``: is the data file well formed, and what is still missing?

Exit status 0 when the file is well formed, even with placeholders (they are listed: each shows
as "đang cập nhật" on the site); 1 when it is malformed (each bad field is named); 2 for a usage
error. It also says whether the notice "Thông tin tiếp nhận chưa đầy đủ" shows on the home and
report pages (and why), and whether the confidentiality procedure shows as a draft. Output is in
Vietnamese: the Office runs it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from intake_function import envelope

from . import data as data_module
from .texts import label


def check(path: Path) -> int:
    try:
        # As a build would see it: PORTAL_RECIPIENTS and PORTAL_API_URL, when set, replace the file's.
        data = data_module.apply_overrides(data_module.load(path))
    except data_module.DataError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"{path}: tệp dữ liệu hợp lệ.")
    if data.overrides:
        print(f"(Dùng giá trị từ biến môi trường: {', '.join(data.overrides)}.)")
    if data.placeholders:
        print(f"Còn {len(data.placeholders)} mục chưa có thông tin (trang web hiển thị “đang cập nhật”):")
        width = max(len(p.path) for p in data.placeholders)
        for item in data.placeholders:
            print(f"  - {item.path.ljust(width)}  {item.label}")
    else:
        print("Đã có đủ thông tin; không còn mục nào “đang cập nhật”.")
    gaps = data.setup_gaps
    notice = "Thông báo “Thông tin tiếp nhận chưa đầy đủ” trên trang chủ và trang Gửi phản ánh trực tuyến:"
    if gaps:
        print(f"{notice} ĐANG HIỂN THỊ, vì còn thiếu:")
        for name in gaps:
            print(f"  - {label('vi', f'channel_{name}')}")
        print("  Thông báo tự ẩn khi các mục trên được điền và trang được dựng lại.")
    else:
        print(f"{notice} KHÔNG hiển thị (đã có khóa công khai và đủ thông tin các kênh tiếp nhận).")
    if data.procedure_is_draft:
        print("Quy trình bảo mật: hiển thị là DỰ THẢO, chờ Lãnh đạo Ban phê duyệt (procedure.approval còn trống).")
    else:
        print(f"Quy trình bảo mật: ĐÃ PHÊ DUYỆT theo {data.procedure_approval}.")
    for key in data.keys or ():
        print(f"Khóa {key.recipient}\n  mã nhận dạng khóa (dấu vân tay): {key.fingerprint}")
        print(f"  loại khóa: {envelope.kind_label(key.recipient)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m portal_site",
        description="Kiểm tra tệp dữ liệu của Cổng (docs/data/portal.yml) và liệt kê các mục còn trống.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    check_parser = commands.add_parser("check", help="kiểm tra tệp dữ liệu, liệt kê các mục “đang cập nhật”")
    check_parser.add_argument(
        "--data", type=Path, help="tệp dữ liệu (mặc định: biến PORTAL_DATA, hoặc docs/data/portal.yml)"
    )
    args = parser.parse_args(argv)
    return check(args.data or data_module.data_path())


if __name__ == "__main__":
    sys.exit(main())
