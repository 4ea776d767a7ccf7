#!/usr/bin/env bash
# Opens a darkscope report in a real browser (headless Chromium, installed from Debian if missing),
# takes a screenshot and checks its pixels (bench/ReportPixels.java): the page is drawn, its text
# and tables are there and its figures appear in colour. Usage: bench/report-screenshot.sh
# [REPORT.html [MIN_FIGURES]]; without a report, the demo's (made by bin/darkscope demo if absent).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
report=${1:-$root/demo-out/report.html}
figures=${2:-10}
if [ ! -f "$report" ]; then
  "$root/bin/darkscope" demo --out "$(dirname "$report")" >/dev/null
fi
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "installing chromium from Debian ..." >&2
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  browser=$(command -v chromium)
fi
shot="$root/bench/out/report-screenshot.png"
mkdir -p "$(dirname "$shot")"
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1400,9000 \
  --screenshot="$shot" "file://$(cd "$(dirname "$report")" && pwd)/$(basename "$report")" 2>/dev/null
echo "screenshot: $shot"
java "$root/bench/ReportPixels.java" "$shot" "$figures"
