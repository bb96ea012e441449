"""The embed's look: a few CSS custom properties the organizer sets, validated so that
nothing but a color or a font list reaches the stylesheet."""

import re

#: Property → (label, kind). The embed's stylesheet (static/embed.css) reads each.
PROPERTIES = {
    "--alerta-accent": ("Buttons", "color"),
    "--alerta-accent-text": ("Text on buttons", "color"),
    "--alerta-text": ("Text", "color"),
    "--alerta-link": ("Links", "color"),
    "--alerta-background": ("Background", "color"),
    "--alerta-font": ("Font", "font"),
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
    if name not in PROPERTIES:
        return "not a property of the embed"
    if not isinstance(value, str) or not value.strip():
        return "empty"
    if PROPERTIES[name][1] == "color" and not HEX_COLOR.match(value):
        return "a color is written #rgb or #rrggbb"
    if PROPERTIES[name][1] == "font" and not FONT_LIST.match(value):
        return "font names only (letters, digits, spaces, hyphens), separated by commas"
    return None


def style_problems(style: dict) -> dict[str, str]:
    """Property → why its value is refused (unknown property, bad format, poor contrast)."""
    problems = {name: problem for name, value in style.items()
                if (problem := _format_problem(name, value))}
    if problems:
        return problems
    colors = {**DEFAULTS, **style}
    for foreground, background in PAIRS:
        if (foreground in style or background in style) and \
                contrast(colors[foreground], colors[background]) < MIN_CONTRAST:
            problems[foreground] = (f"too little contrast with {PROPERTIES[background][0]} "
                                    f"(at least {MIN_CONTRAST}:1 for reading)")
    return problems


def stylesheet(style: dict) -> str:
    """`:root { … }` with the organizer's valid values; a stored value that is not valid
    (edited in the database) is left out."""
    lines = [f"  {name}: {value.strip()};" for name, value in (style or {}).items()
             if _format_problem(name, value) is None]
    return ":root {\n" + "\n".join(lines) + "\n}\n"
