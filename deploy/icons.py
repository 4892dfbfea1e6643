"""Draw medlead's home-screen icons (the web app manifest's PNGs) with Pillow: ``python deploy/icons.py``.
Run once when the icon changes; the PNGs are committed under ``medlead/static/icons`` (nothing is drawn at run
time). The SVG beside them is the same drawing by hand."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

BLUE, WHITE = (0, 94, 184), (255, 255, 255)
OUT = Path(__file__).resolve().parents[1] / "medlead" / "static" / "icons"


def draw(size: int) -> Image.Image:
    image = Image.new("RGB", (size, size), BLUE)
    pen = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=size * 0.42)
    pen.text((size / 2, size / 2), "ml", fill=WHITE, font=font, anchor="mm")
    return image


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (180, 192, 512):
        draw(size).save(OUT / f"medlead-{size}.png", optimize=True)
