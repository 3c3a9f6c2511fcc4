"""Draw the integration's brand images (icon and logo) with Pillow.

Run once after changing the design: ``.venv/bin/python scripts/make_brand_images.py``.
"""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

BRAND = Path(__file__).parent.parent / "custom_components" / "bemmelhor" / "brand"
GREEN = (0, 150, 110, 255)
WHITE = (255, 255, 255, 255)
DARK = (33, 33, 33, 255)


def handset(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int]) -> None:
    """Draw a telephone handset inside ``box``."""
    left, top, right, bottom = box
    width, height = right - left, bottom - top
    thick = max(2, width // 7)
    draw.arc(
        (left + width // 8, top, right - width // 8, bottom + height // 3),
        start=200,
        end=340,
        fill=WHITE,
        width=thick,
    )
    ear = (left, top + height // 5, left + width // 3, top + height // 2)
    mouth = (right - width // 3, top + height // 5, right, top + height // 2)
    draw.rounded_rectangle(ear, radius=thick // 2, fill=WHITE)
    draw.rounded_rectangle(mouth, radius=thick // 2, fill=WHITE)


def icon(size: int) -> Image.Image:
    """Return the square icon: a white handset on a green rounded square."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=size // 5, fill=GREEN)
    margin = size // 5
    handset(draw, (margin, margin + size // 10, size - margin, size - margin))
    return image


def logo(height: int, text_color: tuple[int, int, int, int]) -> Image.Image:
    """Return the logo: the icon followed by the brand name."""
    font = ImageFont.load_default(size=height * 2 // 5)
    text = "Bem Melhor"
    text_width = int(font.getlength(text))
    image = Image.new("RGBA", (height + height // 4 + text_width, height), (0, 0, 0, 0))
    image.paste(icon(height), (0, 0))
    draw = ImageDraw.Draw(image)
    draw.text(
        (height + height // 4, height // 2),
        text,
        font=font,
        fill=text_color,
        anchor="lm",
    )
    return image


def main() -> None:
    """Write every brand image."""
    BRAND.mkdir(parents=True, exist_ok=True)
    icon(256).save(BRAND / "icon.png", optimize=True)
    icon(512).save(BRAND / "icon@2x.png", optimize=True)
    logo(128, DARK).save(BRAND / "logo.png", optimize=True)
    logo(256, DARK).save(BRAND / "logo@2x.png", optimize=True)
    logo(128, WHITE).save(BRAND / "dark_logo.png", optimize=True)
    logo(256, WHITE).save(BRAND / "dark_logo@2x.png", optimize=True)


if __name__ == "__main__":
    main()
