#!/usr/bin/env bash
# Loads a study's report.html in headless Chromium and checks that it shows
# everything: no console error, every <img> decoded (naturalWidth > 0), the
# expected number of figures with an inline SVG or an image, and saves a
# screenshot to look at.
#   .ci/browser/check-report.sh RESULTS_DIR [SCREENSHOT.png]
set -euo pipefail
dir=$(cd "$1" && pwd)
shot=${2:-$dir/report-screenshot.png}
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "check-report: no chromium on PATH" >&2; exit 1; }

# A copy of the report with a check appended: it runs after every image has
# loaded and writes its verdict into the DOM, which --dump-dom prints.
page=$(mktemp --suffix=.html -p "$dir")
profile=$(mktemp -d)
trap 'rm -rf "$page" "$profile"' EXIT
sed 's#</body></html>##' "$dir/report.html" > "$page"
cat >> "$page" <<'HTML'
<script>
window.addEventListener('load', () => {
  const imgs = [...document.images];
  const broken = imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.alt);
  const figures = document.querySelectorAll('figure').length;
  const empty = [...document.querySelectorAll('figure')].filter(f => !f.querySelector('svg, img')).length;
  const out = document.createElement('pre');
  out.id = 'report-check';
  out.textContent = `REPORT-CHECK figures=${figures} images=${imgs.length} broken=${broken.length} empty=${empty}` +
    (broken.length ? ' broken:' + broken.join(',') : '');
  document.body.appendChild(out);
});
</script>
</body></html>
HTML
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --user-data-dir="$profile" --virtual-time-budget=10000
       --enable-logging=stderr --v=0)
"$browser" "${flags[@]}" --dump-dom "file://$page" > "$profile/dom.html" 2> "$profile/stderr.log" || true
line=$(grep -o '<pre id="report-check">[^<]*' "$profile/dom.html" | sed 's/.*>//' || true)
echo "check-report: ${line:-no verdict}"
if grep -E 'CONSOLE|Uncaught' "$profile/stderr.log" | grep -vi 'deprecat' ; then
    echo "check-report: console messages above" >&2
    exit 1
fi
[[ "$line" =~ figures=([0-9]+)\ images=([0-9]+)\ broken=0\ empty=0 ]] || { echo "check-report: failed" >&2; exit 1; }
[ "${BASH_REMATCH[1]}" -ge 9 ] || { echo "check-report: only ${BASH_REMATCH[1]} figures" >&2; exit 1; }
"$browser" "${flags[@]}" --window-size=1200,2400 --screenshot="$shot" "file://$dir/report.html" >/dev/null 2>&1 || true
[ -s "$shot" ] || { echo "check-report: no screenshot" >&2; exit 1; }
echo "check-report: screenshot $shot"
