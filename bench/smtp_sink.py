"""A counting SMTP sink for benchmarks: accepts everything, keeps only a count.

Run: python bench/smtp_sink.py PORT COUNT_FILE
"""

import sys
import time
from pathlib import Path

from aiosmtpd.controller import Controller


class Counter:
    def __init__(self, path: Path):
        self.path = path
        self.count = 0
        self.bytes = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.count += 1
        self.bytes += len(envelope.content)
        if self.count % 500 == 0:
            self.path.write_text(f"{self.count} {self.bytes}")
        return "250 OK"


def main() -> None:
    port, path = int(sys.argv[1]), Path(sys.argv[2])
    counter = Counter(path)
    controller = Controller(counter, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        while True:
            time.sleep(0.2)
            path.write_text(f"{counter.count} {counter.bytes}")
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
