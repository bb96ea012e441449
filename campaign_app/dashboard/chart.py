"""A bar chart as inline SVG, drawn on the server: no script, so the strict CSP holds."""

from markupsafe import Markup, escape

WIDTH, HEIGHT = 720, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 16, 40


def _nice_max(value: int) -> int:
    if value <= 5:
        return 5
    step = 10 ** (len(str(value)) - 1)
    return ((value + step - 1) // step) * step


def activity_chart(points: list[tuple[str, int, int]], *, title: str) -> Markup:
    """Bars of actions and a line of supporters per bucket: (label, actions, supporters).

    Each supporter count is also drawn as a dot: a line through a single bucket has no
    length, and would show nothing at all.
    """
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top_value = _nice_max(max((max(a, s) for _, a, s in points), default=0))
    slot = plot_width / max(len(points), 1)
    bar = max(slot * 0.7, 1)

    def y(value: int) -> float:
        return TOP + plot_height - plot_height * value / top_value

    parts = [f'<svg class="chart" id="activity-chart" xmlns="http://www.w3.org/2000/svg" '
             f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="chart-title">',
             f'<title id="chart-title">{escape(title)}</title>']
    for fraction in (0, 0.5, 1):
        value = round(top_value * fraction)
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" '
                     f'y2="{y(value):.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end" '
                     f'font-size="11" fill="#555">{value}</text>')
    line, dots = [], []
    label_every = max(1, len(points) // 8)
    for index, (label, actions, supporters) in enumerate(points):
        x = LEFT + index * slot + (slot - bar) / 2
        parts.append(f'<rect class="bar" x="{x:.1f}" y="{y(actions):.1f}" width="{bar:.1f}" '
                     f'height="{TOP + plot_height - y(actions):.1f}" fill="#12355b" '
                     f'data-label="{escape(label)}" data-value="{actions}">'
                     f'<title>{escape(label)}: {actions} actions, {supporters} supporters'
                     f'</title></rect>')
        center = LEFT + index * slot + slot / 2
        line.append(f"{center:.1f},{y(supporters):.1f}")
        dots.append(f'<circle class="point" cx="{center:.1f}" cy="{y(supporters):.1f}" r="3.5" '
                    f'fill="#c2410c" stroke="#fff" stroke-width="1" '
                    f'data-value="{supporters}"><title>{escape(label)}: {supporters} '
                    f'supporters</title></circle>')
        if index % label_every == 0:
            parts.append(f'<text x="{LEFT + index * slot + slot / 2:.1f}" '
                         f'y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" font-size="11" '
                         f'fill="#555">{escape(label[5:])}</text>')
    if line:
        parts.append(f'<polyline points="{" ".join(line)}" fill="none" stroke="#c2410c" '
                     f'stroke-width="2"/>')
    parts.extend(dots)  # after the line, so each dot sits on top of it
    parts.append(f'<rect x="{LEFT}" y="{HEIGHT - 14}" width="10" height="10" fill="#12355b"/>'
                 f'<text x="{LEFT + 14}" y="{HEIGHT - 5}" font-size="11">actions</text>'
                 f'<rect x="{LEFT + 80}" y="{HEIGHT - 10}" width="10" height="3" '
                 f'fill="#c2410c"/><text x="{LEFT + 94}" y="{HEIGHT - 5}" font-size="11">'
                 f'supporters</text></svg>')
    return Markup("".join(parts))  # noqa: S704 (every value above is escaped or a number)
