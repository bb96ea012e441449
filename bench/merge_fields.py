"""Benchmark: render 100,000 personalized appeals with the merge-field engine.

Prints the time per message next to a floor — a plain "".join of the same pieces (literals and
already-escaped values) — and the ratio. Goal (issue 4): at most 3× the floor.
Run: .venv/bin/python bench/merge_fields.py [--count N]
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from markupsafe import escape  # noqa: E402

from campaign_app.alerts.demo import APPEAL, CALL_SCRIPT  # noqa: E402
from campaign_app.text.markdown import compile_markdown  # noqa: E402

FIRST = ["Ana", "José", "Nguyễn", "O'Brien", "Zoë", "Li", "Fatima", "Kwame", "Maria", "Sam"]
LAST = ["Gómez", "Pérez", "Tran", "O'Neil", "Smith", "Chen", "Khan", "Mensah", "Silva", "Lee"]


def recipients(count: int) -> list[dict]:
    people = []
    for i in range(count):
        first, last = FIRST[i % 10], LAST[(i // 10) % 10]
        people.append({
            "first_name": first, "last_name": last, "full_name": f"{first} {last}",
            "zip": f"{10000 + i % 89999:05d}", "target_name": "Rep. Harriet M. Hageman",
            "deadline": "Friday, July 15, 5:00 PM EDT",
        })
    return people


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    source = APPEAL + "\n\n" + CALL_SCRIPT
    template = compile_markdown(source)
    people = recipients(args.count)

    # The floor: the same literal pieces, the values escaped beforehand, joined per message.
    marker = "\x00"
    skeleton = template.render({key: marker for key in template.fields}).split(marker)
    order = [key for key, _ in template._fields]
    prepared = [[str(escape(p.get(key) or "")) for key in order] for p in people]

    def floor_run():
        out = []
        for values in prepared:
            pieces = [skeleton[0]]
            for literal, value in zip(skeleton[1:], values, strict=True):
                pieces.append(value)
                pieces.append(literal)
            out.append("".join(pieces))
        return out

    def engine_run():
        render = template.render
        return [render(p) for p in people]

    assert engine_run()[:50] == floor_run()[:50], "engine and floor must produce the same text"
    timings = {"floor": [], "engine": []}
    for _ in range(args.repeat):
        for name, run in (("floor", floor_run), ("engine", engine_run)):
            start = time.perf_counter()
            run()
            timings[name].append(time.perf_counter() - start)
    floor = statistics.median(timings["floor"]) / args.count * 1e6
    engine = statistics.median(timings["engine"]) / args.count * 1e6
    print(f"merge fields: {args.count:,} personalized appeals, {len(order)} fields each, "
          f"{len(skeleton[0]) + sum(map(len, skeleton[1:])):,} literal characters")
    print(f"  floor  (\"\".join of the same pieces): {floor:6.2f} µs/message")
    print(f"  engine (MergeTemplate.render):        {engine:6.2f} µs/message")
    print(f"  ratio: {engine / floor:.2f}× the floor (goal ≤ 3×)")


if __name__ == "__main__":
    main()
