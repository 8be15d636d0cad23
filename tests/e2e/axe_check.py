"""axe-core in our browser tests (issue 22): run axe on a page, keep what must fail a test.

axe comes from axe-playwright-python (pinned in requirements-dev.txt), which ships axe.min.js in its
wheel: nothing is fetched at run time. We run axe ourselves (not the package's `Axe.run`) to get
the "incomplete" results too: axe cannot decide colour contrast for text over a background image, a
gradient or an overlapping element, and leaves those nodes "incomplete". `unresolved_contrast`
measures them: the text's colour from the computed style, the background from a screenshot of the
element with its text made transparent, and the lowest ratio between the text colour and any
background pixel behind it (the worst place a letter can sit).

"Behind it" is only what a reader sees there: the part of the text inside every box that clips it
(at the box's padding edge, and at the edge of the <svg> it is drawn in), within the window, and
not under another element (a sticky bar): such a text is scrolled clear of it first, and scrolling
is instant, so that the screenshot shows the page where the text was measured. Issue 22's "white
names over light fills" on the booth maps were the frame's border, the sticky save bar and a
smooth scroll still under way, read as the background."""

import io
import re

from axe_playwright_python.base import AXE_SCRIPT
from PIL import Image

FAILING_IMPACTS = {"serious", "critical"}
AXE_OPTIONS = {"resultTypes": ["violations", "incomplete"]}


def run_axe(page) -> dict:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)
    return page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)


def serious_violations(results) -> list[str]:
    """One line per serious or critical violation: rule, impact, the first elements it names."""
    lines = []
    for violation in results["violations"]:
        if violation["impact"] in FAILING_IMPACTS:
            targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"][:4])
            lines.append(f"{violation['id']} ({violation['impact']}, {len(violation['nodes'])}×): {targets}")
    return lines


def _rgba(css: str) -> tuple[float, float, float, float]:
    numbers = [float(n) for n in re.findall(r"[\d.]+", css)]
    if len(numbers) == 3:
        numbers.append(1.0)
    return tuple(numbers[:4])


def _luminance(rgb) -> float:
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a, b) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _blend(fg, bg):
    alpha = fg[3]
    return tuple(fg[i] * alpha + bg[i] * (1 - alpha) for i in range(3))


# For each element: the text's colour and size, and the part of the viewport its text covers (the
# glyph box of SVG text, the line boxes of the element's own text, else the content box, which leaves
# out a select's arrow and a button's border), cut by every ancestor that clips it.
_MEASURE_JS = """selectors => selectors.map(selector => {
    const el = document.querySelector(selector);
    if (!el) return null;
    const s = getComputedStyle(el);
    const svg = el instanceof SVGElement;
    const size = parseFloat(s.fontSize), weight = parseInt(s.fontWeight, 10);
    const item = {selector, color: svg ? s.fill : s.color, large: size >= 24 || (size >= 18.66 && weight >= 700)};
    let rect;
    const texts = [...el.childNodes].filter(n => n.nodeType === 3 && n.textContent.trim());
    if (svg || ['INPUT', 'SELECT', 'TEXTAREA', 'BUTTON'].includes(el.tagName) || !texts.length) {
        const r = el.getBoundingClientRect();
        const px = name => svg ? 0 : parseFloat(s[name]) || 0;
        rect = {
            left: r.left + px('borderLeftWidth') + px('paddingLeft'),
            top: r.top + px('borderTopWidth') + px('paddingTop'),
            right: r.right - px('borderRightWidth') - px('paddingRight'),
            bottom: r.bottom - px('borderBottomWidth') - px('paddingBottom'),
        };
    } else {
        const range = document.createRange();
        rect = {left: Infinity, top: Infinity, right: -Infinity, bottom: -Infinity};
        for (const node of texts) {
            range.selectNodeContents(node);
            const r = range.getBoundingClientRect();
            rect = {left: Math.min(rect.left, r.left), top: Math.min(rect.top, r.top),
                    right: Math.max(rect.right, r.right), bottom: Math.max(rect.bottom, r.bottom)};
        }
    }
    const clip = {left: 0, top: 0, right: innerWidth, bottom: innerHeight};
    for (let a = el.parentElement; a; a = a.parentElement) {
        if (a === document.body || a === document.documentElement) continue;  // the window clips them
        const cs = getComputedStyle(a);
        if (cs.overflow === 'visible' && cs.overflowX === 'visible' && cs.overflowY === 'visible') continue;
        // Inside an SVG only the outermost <svg> clips, at its edge (its viewport).
        const root = a instanceof SVGSVGElement && !(a.parentElement instanceof SVGElement);
        if (a instanceof SVGElement && !root) continue;
        // A box clips its content at its padding edge: its border is never behind the text.
        const r = a.getBoundingClientRect();
        const top = r.top + a.clientTop, left = r.left + a.clientLeft;
        const inner = root ? {left: r.left, top: r.top, right: r.right, bottom: r.bottom}
            : {left, top, right: left + a.clientWidth, bottom: top + a.clientHeight};
        clip.left = Math.max(clip.left, inner.left); clip.top = Math.max(clip.top, inner.top);
        clip.right = Math.min(clip.right, inner.right); clip.bottom = Math.min(clip.bottom, inner.bottom);
    }
    item.box = [rect.left, rect.top, rect.right, rect.bottom].map(Math.round);
    // Whole pixels inside the clip only (a pixel half under a frame's edge is the frame's).
    item.shown = [Math.ceil(Math.max(rect.left, clip.left)), Math.ceil(Math.max(rect.top, clip.top)),
                  Math.floor(Math.min(rect.right, clip.right)), Math.floor(Math.min(rect.bottom, clip.bottom))];
    item.whole = rect.left >= clip.left - 1 && rect.top >= clip.top - 1 && rect.right <= clip.right + 1
        && rect.bottom <= clip.bottom + 1 && rect.right - rect.left >= 2 && rect.bottom - rect.top >= 2;
    // Covered where another element (a sticky bar, a dialog) is on top of the text: what shows there
    // is that element, not the text's background; the text is measured once scrolled clear of it.
    const [l, t, r, b] = item.shown, owner = svg ? el.ownerSVGElement || el : el;
    const points = [[(l + r) / 2, (t + b) / 2], [l + 1, t + 1], [r - 1, t + 1], [l + 1, b - 1], [r - 1, b - 1]];
    item.covered = r - l >= 2 && b - t >= 2 && points.some(([x, y]) => {
        const top = document.elementFromPoint(x, y);
        return top && !(top === el || el.contains(top) || top.contains(el) || owner.contains(top));
    });
    return item;
})"""
# Every text on the page made transparent, so that a neighbour's letters are not taken for the
# background (SVG shapes keep their fill; only SVG text is hidden).
# A constructed stylesheet (CSSOM), which the pages' Content-Security-Policy allows where a <style>
# element would be refused.
_HIDE_TEXT_JS = """() => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(`*:not(svg, svg *), *::placeholder, *::marker {
        color: transparent !important; -webkit-text-fill-color: transparent !important;
        text-shadow: none !important; caret-color: transparent !important; }
        svg text, svg tspan { fill: transparent !important; stroke: transparent !important; }`);
    window.axeHideText = sheet;
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}"""
_SHOW_TEXT_JS = """() => {
    document.adoptedStyleSheets = document.adoptedStyleSheets.filter(s => s !== window.axeHideText);
}"""


_SCROLL_JS = "el => el.scrollIntoView({block: 'center', inline: 'center', behavior: 'instant'})"


def _visible(item):
    # The whole text on screen, not cut by the window or a scrolling box, nothing on top of it.
    return item["whole"] and not item["covered"]


def measure_contrast(page, selectors: list[str]) -> dict[str, tuple[float, float]]:
    """selector → (lowest ratio of the text's colour against any pixel behind its text, the ratio WCAG
    asks for: 3 for large text, else 4.5). Every text is made transparent and the viewport
    photographed; elements scrolled out of view are scrolled in, a batch at a time."""
    measured, remaining = {}, list(dict.fromkeys(selectors))
    # Colours and sizes read before the texts are made transparent.
    styles = {i["selector"]: i for i in page.evaluate(_MEASURE_JS, remaining) if i}
    page.evaluate(_HIDE_TEXT_JS)
    try:
        while remaining:
            items = [i for i in page.evaluate(_MEASURE_JS, remaining) if i]
            remaining = [i["selector"] for i in items]
            if not any(_visible(i) for i in items) and remaining:
                page.locator(remaining[0]).first.evaluate(_SCROLL_JS)
                items = [i for i in page.evaluate(_MEASURE_JS, remaining) if i]
                first = items[0]
                left, top, right, bottom = first["shown"]
                if right - left < 2 or bottom - top < 2:  # hidden or off the page: nobody reads it there
                    remaining = remaining[1:]
                    continue
                if not first["whole"]:  # taller or wider than the window: the part that shows
                    first["box"], first["whole"] = first["shown"], True
                first["covered"] = False  # still under something when centred: measured as it shows
            shot = Image.open(io.BytesIO(page.screenshot(animations="disabled"))).convert("RGB")
            for item in filter(_visible, items):
                style = styles[item["selector"]]
                foreground = _rgba(style["color"])
                left, top, right, bottom = item["box"]  # within the screenshot (a rounded edge may not be)
                box = (max(left, 0), max(top, 0), min(right, shot.width), min(bottom, shot.height))
                pixels = set(shot.crop(box).get_flattened_data())
                worst = min(contrast_ratio(_blend(foreground, pixel), pixel) for pixel in pixels)
                measured[item["selector"]] = (worst, 3.0 if style["large"] else 4.5)
            remaining = [s for s in remaining if s not in measured]
    finally:
        page.evaluate(_SHOW_TEXT_JS)
    return measured


def unresolved_contrast(page, results) -> list[str]:
    """Colour-contrast nodes axe left incomplete whose measured contrast is too low."""
    selectors = [
        node["target"][-1]
        for result in results["incomplete"]
        if result["id"] == "color-contrast"
        for node in result["nodes"]
        if isinstance(node["target"][-1], str)
    ]
    if not selectors:
        return []
    return [
        f"color-contrast measured {ratio:.2f}:1 < {needed}:1: {selector}"
        for selector, (ratio, needed) in measure_contrast(page, selectors).items()
        if ratio < needed
    ]
