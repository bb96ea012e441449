"""The embed's look: a few CSS custom properties the organizer sets, validated so that
nothing but a color or a font list reaches the stylesheet."""

import re

from ..i18n.staff import lazy_staff_gettext, staff_gettext

#: Property → (label, kind). The embed's stylesheet (static/embed.css) reads each.
PROPERTIES = {
    "--alerta-accent": (lazy_staff_gettext("Buttons"), "color"),
    "--alerta-accent-text": (lazy_staff_gettext("Text on buttons"), "color"),
    "--alerta-text": (lazy_staff_gettext("Text"), "color"),
    "--alerta-link": (lazy_staff_gettext("Links"), "color"),
    "--alerta-background": (lazy_staff_gettext("Background"), "color"),
    "--alerta-font": (lazy_staff_gettext("Font"), "font"),
}
HEX_COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
#: Family names, quoted or not, separated by commas: `"Source Sans 3", Arial, sans-serif`.
FONT_LIST = re.compile(r"^\s*(?:\"[A-Za-z0-9 -]{1,40}\"|[A-Za-z0-9 -]{1,40})"
                       r"(?:\s*,\s*(?:\"[A-Za-z0-9 -]{1,40}\"|[A-Za-z0-9 -]{1,40}))*\s*$")
#: WCAG AA for body text: the pairs below must read at least this well.
MIN_CONTRAST = 4.5
PAIRS = (("--alerta-accent-text", "--alerta-accent"), ("--alerta-text", "--alerta-background"),
         ("--alerta-link", "--alerta-background"))


def _luminance(color: str) -> float:
    digits = color[1:]
    if len(digits) == 3:
        digits = "".join(ch * 2 for ch in digits)
    channels = []
    for index in range(0, 6, 2):
        value = int(digits[index:index + 2], 16) / 255
        channels.append(value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


#: What the embed shows for a property the organizer left empty (alerta.css's own colors),
#: so a pair can be judged when the organizer set only one of its two.
DEFAULTS = {"--alerta-accent": "#12355b", "--alerta-accent-text": "#ffffff",
            "--alerta-text": "#1b1b1b", "--alerta-link": "#0b4f9c",
            "--alerta-background": "#ffffff"}


def _format_problem(name: str, value) -> str | None:
    """Why a value can't be used (None when it can); the CSS leaves such a value out, and
    a staff form shows the reason (`style_problems`), hence the staff domain."""
    if name not in PROPERTIES:
        return staff_gettext("Not a property of the embed.")
    if not isinstance(value, str) or not value.strip():
        return staff_gettext("Empty.")
    if PROPERTIES[name][1] == "color" and not HEX_COLOR.match(value):
        return staff_gettext("A color is written #rgb or #rrggbb.")
    if PROPERTIES[name][1] == "font" and not FONT_LIST.match(value):
        return staff_gettext("Font names only (letters, digits, spaces, hyphens), separated by "
                             "commas.")
    return None


def style_problems(style: dict) -> dict[str, str]:
    """Property → why its value is refused (unknown property, bad format, poor contrast), as
    the sentence the staff form shows."""
    problems = {name: problem for name, value in style.items()
                if (problem := _format_problem(name, value))}
    if problems:
        return problems
    colors = {**DEFAULTS, **style}
    for foreground, background in PAIRS:
        if (foreground in style or background in style) and \
                contrast(colors[foreground], colors[background]) < MIN_CONTRAST:
            problems[foreground] = staff_gettext(
                "Too little contrast with %(other)s (at least %(ratio)s:1 for reading).",
                other=str(PROPERTIES[background][0]).lower(), ratio=MIN_CONTRAST)
    return problems


def stylesheet(style: dict) -> str:
    """`:root { … }` with the organizer's valid values; a stored value that is not valid
    (edited in the database) is left out."""
    lines = [f"  {name}: {value.strip()};" for name, value in (style or {}).items()
             if _format_problem(name, value) is None]
    return ":root {\n" + "\n".join(lines) + "\n}\n"
