#!/usr/bin/python3
"""Builds the hostile image fixtures of uvis's tests, small and deterministic.

    /usr/bin/python3 tests/data/images/make_images.py tests/data/images

lying_header.png: a valid 2×2 PNG whose header says 100000×100000 (10 gigapixels). It must be
refused from its header ("image too large"), not handed to a decoder.
"""
import os
import struct
import sys
import zlib


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png(width: int, height: int, rows: bytes) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def main(out: str) -> None:
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "lying_header.png"), "wb") as f:
        f.write(png(100000, 100000, b"\x00\x00\x00" * 2))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__)))
