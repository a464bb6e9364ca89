#!/usr/bin/env python3
"""Writes the playground as one self-contained HTML file (opens from file://): the built folder's
index.html with its stylesheet and scripts inlined, the worker's source and the wasm module
(base64) in inert <script> elements that app.js reads.

    python3 web/tools/standalone.py BUILT_DIR OUT.html
"""
import base64
import pathlib
import sys


def inline(text, name):
    if "</script" in text.lower() or "</style" in text.lower():
        sys.exit(f"standalone: {name} contains a closing tag; it cannot be inlined")
    return text


def main():
    built, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    html = (built / "index.html").read_text(encoding="utf-8")
    read = lambda name: inline((built / name).read_text(encoding="utf-8"), name)
    wasm = base64.b64encode((built / "playground.wasm").read_bytes()).decode("ascii")
    swaps = {
        '<link rel="stylesheet" href="style.css">': f"<style>\n{read('style.css')}</style>",
        '<script src="charts.js"></script>': f"<script>\n{read('charts.js')}</script>",
        '<script src="app.js"></script>': (
            f'<script id="worker-source" type="text/plain">\n{read("worker.js")}</script>\n'
            f'<script id="wasm-base64" type="application/octet-stream">\n{wasm}\n</script>\n'
            f"<script>\n{read('app.js')}</script>"
        ),
    }
    for old, new in swaps.items():
        if html.count(old) != 1:
            sys.exit(f"standalone: index.html should hold {old} once")
        html = html.replace(old, new)
    out.write_text(html, encoding="utf-8")


if __name__ == "__main__":
    main()
