"""Draw the favicon and the touch icon from the department's emblem (static/img/logo.svg).

    .venv/bin/python scripts/favicon.py

Chromium (the one the browser tests drive) renders the SVG, Pillow writes:
- static/favicon.ico: 16, 32 and 48 px (transparent corners), served at /favicon.ico too;
- static/img/apple-touch-icon.png: 180 px, the emblem on white with a margin (iOS fills transparency
  with black and rounds the corners itself).
Run it again whenever the logo changes; the files are committed.
"""

import os
from io import BytesIO
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
LOGO = ROOT / "static" / "img" / "logo.svg"
ICO = ROOT / "static" / "favicon.ico"
TOUCH = ROOT / "static" / "img" / "apple-touch-icon.png"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
RENDER = 512


def render_logo(size=RENDER):
    svg = LOGO.read_text("utf-8")
    html = f"<style>html,body{{margin:0;background:transparent}}svg{{display:block;width:{size}px;height:{size}px}}</style>{svg}"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": size, "height": size})
        page.set_content(html)
        png = page.locator("svg").screenshot(omit_background=True)
        browser.close()
    return Image.open(BytesIO(png)).convert("RGBA")


def main():
    logo = render_logo()
    logo.save(ICO, format="ICO", sizes=[(16, 16), (32, 32), (48, 48)])
    touch = Image.new("RGBA", (180, 180), "#ffffff")
    emblem = logo.resize((148, 148), Image.LANCZOS)
    touch.alpha_composite(emblem, (16, 16))
    touch.convert("RGB").save(TOUCH, format="PNG", optimize=True)
    print(
        f"{ICO.relative_to(ROOT)} ({ICO.stat().st_size} bytes), {TOUCH.relative_to(ROOT)} ({TOUCH.stat().st_size} bytes)"
    )


if __name__ == "__main__":
    main()
