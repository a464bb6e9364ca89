#!/usr/bin/env python3
"""Where each claim's quote sits in the paper's text, for
harness/tests/claims_quotes.rs.

The paper ("Why Weight Initialization Still Matters: An Empirical Study of
Training Stability in Feedforward Neural Networks", Data Made Simple) states
no licence, so its text is not committed; this file records, for every quote
of both claims registries, the CRC-32 (zlib's) of the quote's UTF-8 bytes,
its character offset and length in the paper's text with every run of
whitespace squashed to one space, and its first words; and, in its header,
the squashed paper's length and CRC-32, so that a test can check the
positions again whenever the paper is at hand.

Run from the repository's root:
    python3 harness/tests/reference/paper_quotes.py PATH/TO/paper.txt \
        > harness/tests/reference/paper_quotes.txt
"""
import re
import sys
import zlib

REGISTRIES = ["harness/src/claims/registry.rs", "harness/src/claims/v2/registry/claims.rs"]


def squash(s):
    return " ".join(s.split())


def quotes(path):
    text = open(path, encoding="utf-8").read()
    for m in re.finditer(r'quote: "((?:[^"\\]|\\.)*)",', text):
        yield m.group(1).replace('\\"', '"').replace("\\\\", "\\")


def main():
    paper = squash(open(sys.argv[1], encoding="utf-8").read())
    crc = zlib.crc32(paper.encode("utf-8"))
    print(f"# Why Weight Initialization Still Matters (Data Made Simple): squashed text {len(paper)} characters, CRC-32 {crc:08x}")
    print("# CRC-32 of the quote, its character offset and length in the squashed text, its first words")
    seen = set()
    for reg in REGISTRIES:
        for q in quotes(reg):
            q = squash(q)
            if q in seen:
                continue
            seen.add(q)
            at = paper.find(q)
            if at < 0:
                sys.exit(f"{reg}: quote not in the paper: {q[:60]}…")
            print(f"{zlib.crc32(q.encode('utf-8')):08x} {at} {len(q)} {' '.join(q.split()[:6])}")


if __name__ == "__main__":
    main()
