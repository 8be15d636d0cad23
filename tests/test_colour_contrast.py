"""Colour contrast of the theme (issue 22): every text and control colour we declare reaches WCAG
2.2 AA on the backgrounds it appears on, computed from the stylesheets themselves.

The stylesheets are parsed (tinycss2, a WeasyPrint dependency) into a cascade by exact selector:
Bootstrap's vendored file first, then ours in the order the pages load them. `var()` references
are resolved against the merged :root, translucent colours are blended over their background,
and the WCAG 2.x relative luminance gives the ratio. A later change of a colour that breaks a
pairing fails here, naming the pairing."""

import re
from functools import cache
from pathlib import Path

import pytest
import tinycss2

STATIC = Path(__file__).resolve().parent.parent / "static"
SHEETS = [
    "vendor/bootstrap/bootstrap.min.css",
    "css/app.css",
    "css/public.css",
    "css/allocation.css",
]
TEXT = 4.5  # WCAG 1.4.3, normal-size text (badges and small buttons are small text)
NON_TEXT = 3.0  # WCAG 1.4.11, control boundaries and focus indicators

# --- a WCAG contrast calculator ---------------------------------------------------------------


def _channel(value: float) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(rgb) -> float:
    r, g, b = (_channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one, other) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_calculator_matches_known_ratios():
    assert contrast((0, 0, 0), (255, 255, 255)) == pytest.approx(21)
    assert contrast((0x0D, 0x6E, 0xFD), (0xF8, 0xF9, 0xFA)) == pytest.approx(4.27, abs=0.01)  # issue 22
    assert contrast((0xB8, 0x86, 0x0B), (255, 255, 255)) == pytest.approx(3.25, abs=0.01)  # issue 22


# --- the cascade, by exact selector -----------------------------------------------------------


@cache
def cascade() -> dict[str, dict[str, str]]:
    """selector -> {property: value}, later sheets and later rules winning. Rules inside @media
    are left out: the colours in question are declared at the top level."""
    rules: dict[str, dict[str, str]] = {}
    for sheet in SHEETS:
        parsed = tinycss2.parse_stylesheet((STATIC / sheet).read_text(), skip_comments=True, skip_whitespace=True)
        for rule in parsed:
            if rule.type != "qualified-rule":
                continue
            selectors = [s.strip() for s in tinycss2.serialize(rule.prelude).split(",")]
            declarations = tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True)
            for declaration in declarations:
                if declaration.type != "declaration":
                    continue
                value = tinycss2.serialize(declaration.value).strip()
                if declaration.important:
                    value += " !important"
                for selector in selectors:
                    rules.setdefault(selector, {})[declaration.name] = value
    return rules


def declared(selector: str, prop: str) -> str:
    try:
        return cascade()[selector][prop]
    except KeyError:
        raise AssertionError(f"{selector} {{ {prop} }} is not declared") from None


VAR = re.compile(r"var\(\s*(--[\w-]+)\s*(?:,\s*([^()]*))?\)", re.IGNORECASE)


def resolve(value: str, scope: str = ":root") -> str:
    """Substitute var() from `scope` then :root, innermost first."""
    for _ in range(20):
        match = VAR.search(value)
        if not match:
            return value
        name, fallback = match.groups()
        found = cascade().get(scope, {}).get(name) or cascade()[":root"].get(name) or fallback
        assert found is not None, f"{name} is not declared"
        value = value[: match.start()] + found + value[match.end() :]
    raise AssertionError(f"var() loop in {value}")


def rgba(value: str, scope: str = ":root"):
    """A colour value as (r, g, b, alpha)."""
    value = resolve(value, scope).replace("!important", "").strip().lower()
    if value in ("#fff", "white"):
        return (255, 255, 255, 1.0)
    if value in ("#000", "black"):
        return (0, 0, 0, 1.0)
    if m := re.fullmatch(r"#([0-9a-f]{6})", value):
        hexa = m.group(1)
        return (int(hexa[0:2], 16), int(hexa[2:4], 16), int(hexa[4:6], 16), 1.0)
    if m := re.fullmatch(r"rgba?\(([^)]*)\)", value):
        parts = [float(p) for p in m.group(1).split(",")]
        return (*parts[:3], parts[3] if len(parts) > 3 else 1.0)
    raise AssertionError(f"cannot read the colour {value!r}")


def over(fg, bg):
    """fg blended over an opaque bg, as an opaque (r, g, b)."""
    alpha = fg[3]
    return tuple(f * alpha + b * (1 - alpha) for f, b in zip(fg[:3], bg[:3], strict=True))


def ratio(fg: str, bg: str, *, fg_scope=":root", bg_scope=":root") -> float:
    background = over(rgba(bg, bg_scope), (255, 255, 255, 1.0))
    return contrast(over(rgba(fg, fg_scope), background), background)


# --- the pairings ---------------------------------------------------------------------------

PAGE = "var(--bs-tertiary-bg)"  # base.html: <body class="bg-body-tertiary">
CARD = "var(--bs-body-bg)"  # cards, tables, sections with bg-body
BAR = "var(--th-primary)"  # the navbar (.navbar.bg-primary)
BACKGROUNDS = {"page": PAGE, "card": CARD}


@pytest.mark.parametrize("where", BACKGROUNDS)
@pytest.mark.parametrize(
    "name, colour",
    [
        ("link", "var(--bs-link-color)"),
        ("link on hover", "var(--bs-link-hover-color)"),
        ("muted text (text-body-secondary)", "var(--bs-secondary-color)"),
        ("text-primary", "rgb(var(--bs-primary-rgb))"),
        ("text-secondary", "rgb(var(--bs-secondary-rgb))"),
        ("text-success", "rgb(var(--bs-success-rgb))"),
        ("text-danger", "rgb(var(--bs-danger-rgb))"),
        ("OCOP badge", "var(--th-ocop)"),
    ],
)
def test_text_colour_on_page_and_card_reaches_aa(name, colour, where):
    assert ratio(colour, BACKGROUNDS[where]) >= TEXT, f"{name} on the {where}"


OUTLINE_BUTTONS = [".btn-outline-primary", ".btn-outline-secondary", ".btn-outline-success", ".btn-outline-danger"]


@pytest.mark.parametrize("where", BACKGROUNDS)
@pytest.mark.parametrize("button", OUTLINE_BUTTONS)
def test_outline_button_text_on_page_and_card_reaches_aa(button, where):
    assert ratio(declared(button, "--bs-btn-color"), BACKGROUNDS[where], fg_scope=button) >= TEXT


FILLED_BUTTONS = [".btn-primary", ".btn-secondary", ".btn-success", ".btn-danger", ".btn-warning", ".btn-light"]


@pytest.mark.parametrize(
    "button, state",
    [(b, s) for b in FILLED_BUTTONS for s in ("", "hover-", "active-")]
    + [(b, s) for b in OUTLINE_BUTTONS for s in ("hover-", "active-")],  # at rest: checked above
)
def test_button_text_on_its_fill_reaches_aa(button, state):
    fg = declared(button, f"--bs-btn-{state}color")
    bg = declared(button, f"--bs-btn-{state}bg")
    assert ratio(fg, bg, fg_scope=button, bg_scope=button) >= TEXT, f"{button} {state or 'at rest'}"


@pytest.mark.parametrize("prop", ["--bs-navbar-color", "--bs-navbar-hover-color", "--bs-navbar-active-color"])
def test_navbar_links_on_the_blue_bar_reach_aa(prop):
    assert "--th-primary" in declared(".navbar.bg-primary", "background-color")
    assert ratio(declared(".navbar-dark", prop), BAR) >= TEXT


def test_navbar_buttons_on_the_blue_bar_reach_aa():
    """Log out, Sign up and the language switch are btn-outline-light on the bar."""
    assert ratio(declared(".btn-outline-light", "--bs-btn-color"), BAR) >= TEXT


TEXT_BG = ["primary", "secondary", "success", "danger", "warning", "info", "light", "dark"]


@pytest.mark.parametrize("variant", TEXT_BG)
def test_text_bg_badges_reach_aa(variant):
    selector = f".text-bg-{variant}"
    assert ratio(declared(selector, "color"), declared(selector, "background-color")) >= TEXT


def _status_badges():
    """Every .application-status-*, .event-status-*, .generated-status-*, .allocation-status-*,
    .plan-change-* rule we declare: the badge's own colour or Bootstrap's white badge text."""
    families = ("application-status", "event-status", "generated-status", "allocation-status", "plan-change")
    return sorted(s for s in cascade() if s.startswith(tuple(f".{f}" for f in families)) and "," not in s)


def test_status_badge_families_are_found():
    badges = _status_badges()
    assert ".application-status-draft" in badges and ".event-status-draft" in badges
    assert ".plan-change-moved" in badges and ".generated-status-queued" in badges


@pytest.mark.parametrize("selector", _status_badges())
def test_status_badges_reach_aa(selector):
    rules = cascade()[selector]
    if "background-color" not in rules:
        pytest.skip("no fill of its own")
    fg = rules.get("color") or declared(".badge", "--bs-badge-color")
    assert ratio(fg, rules["background-color"]) >= TEXT


def test_draft_badge_is_no_longer_white_on_light_grey():
    """Issue 22: "Bản nháp" was white on #adb5bd, 2.07:1."""
    rules = cascade()[".application-status-draft"]
    assert ratio(rules["color"], rules["background-color"]) >= 7


@pytest.mark.parametrize("where", BACKGROUNDS)
def test_focus_ring_stands_out_on_page_and_card(where):
    outline = declared(":focus-visible", "outline")
    assert "3px solid" in outline and "!important" in outline
    ring = outline.replace("3px solid", "").replace("!important", "").strip()
    assert ratio(ring, BACKGROUNDS[where]) >= NON_TEXT


def test_focus_ring_stands_out_on_the_blue_bar():
    ring = declared(".navbar :focus-visible", "outline-color")
    assert ratio(ring, BAR) >= NON_TEXT
    assert ratio(ring, "var(--th-focus-ring)") >= NON_TEXT, "the bar's ring must differ from the page's"


@pytest.mark.parametrize("where", BACKGROUNDS)
def test_form_control_borders_reach_three_to_one(where):
    for selector in (".form-control", ".form-select", ".form-check-input"):
        assert ratio(declared(selector, "border-color"), BACKGROUNDS[where]) >= NON_TEXT, selector


@pytest.mark.parametrize("token", ["primary", "secondary", "success", "danger"])
def test_bootstrap_rgb_triplets_match_the_tokens(token):
    """Bootstrap draws text-* and text-bg-* from --bs-*-rgb, which cannot be a var() of a hex
    token: the triplet has to be kept equal by hand, and this keeps it honest."""
    triplet = rgba(f"rgb(var(--bs-{token}-rgb))")
    assert triplet == rgba(f"var(--th-{token})")
    assert rgba(f"var(--bs-{token})") == triplet
