#!/usr/bin/env bash
# Build the static portal. (Placeholder until the site lands: writes one minimal page.)
#   scripts/build-site.sh [--out DIR] [--recipients age1...,age1...]
set -euo pipefail
cd "$(dirname "$0")/.."
out=site
recipients=""
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=$2; shift 2 ;;
    --recipients) recipients=$2; shift 2 ;;
    *) echo "build-site: unknown option $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$out"
cat > "$out/index.html" <<HTML
<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Ban Quản lý Khu kinh tế tỉnh An Giang – Phản ánh, tố giác</title></head>
<body><main><h1>Cổng tiếp nhận phản ánh, tố giác</h1>
<p>Gửi phản ánh không cần JavaScript (nội dung được mã hóa ngay khi đến máy chủ):</p>
<form method="post" action="/api/v1/submissions/form" enctype="multipart/form-data">
<p><label>Loại nội dung <select name="category" required><option value="corruption">Tham nhũng</option><option value="waste">Lãng phí</option><option value="negativity">Tiêu cực</option><option value="obstruction">Gây khó khăn, phiền hà</option><option value="retaliation">Trù dập người phản ánh, tố giác</option><option value="disclosure">Tiết lộ thông tin người phản ánh, tố giác</option><option value="other">Khác</option></select></label></p>
<p><label>Nội dung phản ánh<br><textarea name="description" rows="8" cols="60" required></textarea></label></p>
<p><label><input type="checkbox" name="consent" value="yes" required> Tôi đã đọc thông báo về bảo mật thông tin.</label></p>
<p><button type="submit">Gửi phản ánh</button></p></form>
<p>Khóa công khai của Văn phòng Ban: <code>${recipients}</code></p></main></body></html>
HTML
