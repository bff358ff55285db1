"""Product images drawn as SVG from the product itself: no files, no remote URLs.

The picture is a pure function of (product name, SKU, department, image number): the same
inputs always give the same bytes, so the image can be cached for long and revalidated with an
ETag. Colours come from the palette of the product's top-level category, so a department looks
like one family; the shapes are chosen by a hash of the SKU and the image number.
"""

import hashlib
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar
from xml.sax.saxutils import escape

from django.urls import reverse

SIZE = 800

T = TypeVar("T")


@dataclass(frozen=True)
class Palette:
    background: tuple[str, str]
    accents: tuple[str, str, str]
    ink: str


# Keyed by the slug of a top-level category; others get one picked by a hash of their slug.
PALETTES: dict[str, Palette] = {
    "kitchen": Palette(("#fff4e6", "#ffd8a8"), ("#e8590c", "#f08c00", "#c2255c"), "#5c2b0b"),
    "home": Palette(("#f3f0ff", "#d0bfff"), ("#7048e8", "#ae3ec9", "#1c7ed6"), "#2b1d5c"),
    "outdoor": Palette(("#ebfbee", "#b2f2bb"), ("#2f9e44", "#0c8599", "#66a80f"), "#123d1c"),
    "office": Palette(("#e7f5ff", "#a5d8ff"), ("#1971c2", "#1098ad", "#4263eb"), "#0b2e4f"),
    "sports": Palette(("#fff0f6", "#fcc2d7"), ("#d6336c", "#f03e3e", "#f76707"), "#4f0f24"),
    "toys-games": Palette(("#fff9db", "#ffec99"), ("#f59f00", "#37b24d", "#1c7ed6"), "#4a3b00"),
}
_FALLBACKS = tuple(PALETTES.values())


def palette_for(department_slug: str) -> Palette:
    if department_slug in PALETTES:
        return PALETTES[department_slug]
    digest = hashlib.sha256(department_slug.encode()).digest()
    return _FALLBACKS[digest[0] % len(_FALLBACKS)]


def image_paths(slug: str, count: int) -> list[str]:
    """The URL paths a product stores in `images`: /api/catalog/images/<slug>/<n>.svg."""
    return [
        reverse("catalog:product-image", kwargs={"slug": slug, "n": n}) for n in range(1, count + 1)
    ]


class _Dice:
    """Deterministic numbers in [0, 1) from a seed: SHA-256 in counter mode."""

    def __init__(self, seed: str) -> None:
        self._numbers = self._stream(seed)

    @staticmethod
    def _stream(seed: str) -> Iterator[float]:
        counter = 0
        while True:
            block = hashlib.sha256(f"{seed}:{counter}".encode()).digest()
            for offset in range(0, 32, 4):
                yield int.from_bytes(block[offset : offset + 4], "big") / 2**32
            counter += 1

    def uniform(self, low: float, high: float) -> float:
        return low + (high - low) * next(self._numbers)

    def pick(self, options: Sequence[T]) -> T:
        return options[int(next(self._numbers) * len(options))]


def render_product_image(
    *, name: str, sku: str, department_slug: str, department_name: str, number: int, total: int
) -> str:
    """The SVG document of image `number` (1-based) of a product."""
    palette = palette_for(department_slug)
    dice = _Dice(f"{sku}:{number}")
    angle = int(dice.uniform(0, 360))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" '
        f'width="{SIZE}" height="{SIZE}" role="img" aria-label="{escape(name, _ATTR)}">',
        "<defs>",
        f'<linearGradient id="bg" gradientTransform="rotate({angle} 0.5 0.5)">'
        f'<stop offset="0" stop-color="{palette.background[0]}"/>'
        f'<stop offset="1" stop-color="{palette.background[1]}"/></linearGradient>',
        f'<radialGradient id="hero" cx="0.35" cy="0.3" r="0.8">'
        f'<stop offset="0" stop-color="#ffffff" stop-opacity="0.55"/>'
        f'<stop offset="0.45" stop-color="{dice.pick(palette.accents)}" stop-opacity="0.95"/>'
        f'<stop offset="1" stop-color="{palette.ink}" stop-opacity="0.9"/></radialGradient>',
        "</defs>",
        f'<rect width="{SIZE}" height="{SIZE}" fill="url(#bg)"/>',
    ]
    parts += _backdrop(dice, palette)
    parts += _hero(dice, palette)
    parts += _caption(
        name=name, department=department_name, number=number, total=total, ink=palette.ink
    )
    parts.append("</svg>")
    return "".join(parts)


_ATTR = {'"': "&quot;"}


def _backdrop(dice: _Dice, palette: Palette) -> list[str]:
    shapes = []
    for _ in range(int(dice.uniform(4, 8))):
        colour = dice.pick(palette.accents)
        opacity = round(dice.uniform(0.10, 0.28), 2)
        x, y = int(dice.uniform(0, SIZE)), int(dice.uniform(0, SIZE * 0.75))
        size = int(dice.uniform(60, 220))
        kind = dice.pick(("circle", "square", "triangle"))
        if kind == "circle":
            shapes.append(
                f'<circle cx="{x}" cy="{y}" r="{size // 2}" fill="{colour}" opacity="{opacity}"/>'
            )
        elif kind == "square":
            rotation = int(dice.uniform(0, 90))
            shapes.append(
                f'<rect x="{x - size // 2}" y="{y - size // 2}" width="{size}" height="{size}" '
                f'rx="{size // 6}" fill="{colour}" opacity="{opacity}" '
                f'transform="rotate({rotation} {x} {y})"/>'
            )
        else:
            points = _polygon(x, y, size / 2, 3, dice.uniform(0, math.tau))
            shapes.append(f'<polygon points="{points}" fill="{colour}" opacity="{opacity}"/>')
    return shapes


def _hero(dice: _Dice, palette: Palette) -> list[str]:
    """The object in the middle, on a soft shadow: a disc, a tile or a gem."""
    cx, cy = SIZE // 2, int(SIZE * 0.42)
    radius = int(dice.uniform(150, 190))
    shadow = (
        f'<ellipse cx="{cx}" cy="{cy + radius + 30}" rx="{int(radius * 0.9)}" ry="26" '
        f'fill="{palette.ink}" opacity="0.18"/>'
    )
    kind = dice.pick(("disc", "tile", "gem"))
    if kind == "disc":
        body = f'<circle cx="{cx}" cy="{cy}" r="{radius}" fill="url(#hero)"/>'
    elif kind == "tile":
        body = (
            f'<rect x="{cx - radius}" y="{cy - radius}" width="{2 * radius}" '
            f'height="{2 * radius}" rx="{radius // 3}" fill="url(#hero)"/>'
        )
    else:
        points = _polygon(cx, cy, radius * 1.1, 6, math.pi / 6)
        body = f'<polygon points="{points}" fill="url(#hero)"/>'
    ring_colour = dice.pick(palette.accents)
    ring = (
        f'<circle cx="{cx}" cy="{cy}" r="{int(radius * 0.55)}" fill="none" '
        f'stroke="#ffffff" stroke-opacity="0.6" stroke-width="10"/>'
        f'<circle cx="{cx}" cy="{cy}" r="{int(radius * 0.25)}" fill="{ring_colour}" '
        f'opacity="0.85"/>'
    )
    return [shadow, body, ring]


def _caption(*, name: str, department: str, number: int, total: int, ink: str) -> list[str]:
    lines = _wrap(name, width=24, max_lines=2)
    top = 610 if len(lines) == 1 else 585
    parts = [
        f'<rect x="40" y="{top - 60}" width="{SIZE - 80}" height="{SIZE - top + 20}" rx="28" '
        'fill="#ffffff" opacity="0.82"/>'
    ]
    for index, line in enumerate(lines):
        parts.append(
            f'<text x="{SIZE // 2}" y="{top + index * 56}" text-anchor="middle" '
            'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif" '
            f'font-size="46" font-weight="700" fill="{ink}">{escape(line)}</text>'
        )
    parts.append(
        f'<text x="{SIZE // 2}" y="{SIZE - 70}" text-anchor="middle" '
        'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif" '
        f'font-size="26" letter-spacing="3" fill="{ink}" opacity="0.7">'
        f"{escape(department.upper())} · {number}/{total}</text>"
    )
    return parts


def _wrap(text: str, *, width: int, max_lines: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if len(candidate) <= width or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: width - 1].rstrip() + "…"
    return [line if len(line) <= width + 8 else line[: width + 7] + "…" for line in lines]


def _polygon(cx: float, cy: float, radius: float, corners: int, rotation: float) -> str:
    points = []
    for corner in range(corners):
        angle = rotation + corner * math.tau / corners
        points.append(f"{cx + radius * math.cos(angle):.1f},{cy + radius * math.sin(angle):.1f}")
    return " ".join(points)
