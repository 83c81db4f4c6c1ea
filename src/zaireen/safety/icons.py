"""The app icon (core/static/zaireen/icon.svg) as a PNG of any size, for home screens that
want PNG (iOS, older Android). Pure: numpy and zlib, nothing from Django."""

from __future__ import annotations

import struct
import zlib

import numpy as np

GREEN = (0x19, 0x87, 0x54)
SUPERSAMPLE = 3


def _bezier(p0, p1, p2, p3, n: int = 64) -> np.ndarray:
    t = np.linspace(0.0, 1.0, n)[:, None]
    return (
        (1 - t) ** 3 * np.array(p0)
        + 3 * (1 - t) ** 2 * t * np.array(p1)
        + 3 * (1 - t) * t**2 * np.array(p2)
        + t**3 * np.array(p3)
    )


def _masks(size: int) -> tuple[np.ndarray, np.ndarray]:
    """Coverage (0..1) of the rounded green square and of the white shape, in the SVG's
    32-unit box: `M16 5c-4 4-7 7-7 12h14c0-5-3-8-7-12z` (a dome) and `M8 19h16v8H8z`."""
    n = size * SUPERSAMPLE
    c = (np.arange(n) + 0.5) * 32.0 / n
    x, y = np.meshgrid(c, c)
    r = 6.0
    cx, cy = np.clip(x, r, 32 - r), np.clip(y, r, 32 - r)
    square = (x - cx) ** 2 + (y - cy) ** 2 <= r * r
    edge = _bezier((16, 5), (12, 9), (9, 12), (9, 17))  # the dome's left side, top to bottom
    half = 16 - np.interp(y, edge[:, 1], edge[:, 0])
    dome = (y >= 5) & (y <= 17) & (np.abs(x - 16) <= half)
    base = (x >= 8) & (x <= 24) & (y >= 19) & (y <= 27)
    shape = dome | base

    def down(mask: np.ndarray) -> np.ndarray:
        return mask.reshape(size, SUPERSAMPLE, size, SUPERSAMPLE).mean(axis=(1, 3))

    return down(square), down(shape & square)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(size: int) -> bytes:
    """The icon as an RGBA PNG of `size` × `size` pixels."""
    square, shape = _masks(size)
    rgb = np.empty((size, size, 3))
    for i, channel in enumerate(GREEN):
        # White over green where the shape is; the square's edge carries the alpha.
        rgb[..., i] = channel + (255 - channel) * np.divide(
            shape, square, out=np.zeros_like(shape), where=square > 0
        )
    rgba = np.dstack([rgb, square * 255]).round().clip(0, 255).astype(np.uint8)
    raw = b"".join(b"\x00" + row.tobytes() for row in rgba)  # filter 0 on every row
    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(raw, 9))
        + _chunk(b"IEND", b"")
    )
