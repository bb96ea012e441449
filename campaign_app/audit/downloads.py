"""Files staff download (exports, letters, lists): each audited, then built or streamed.

Every download goes through audited_file or audited_stream. Both record the audit event
and commit it before the body exists. A streamed body runs after the view has returned:
Flask has by then torn down the request's app context and removed its session, and
stream_with_context pushes the contexts again with a new session. An object the view loaded
is detached there (and the audit commit expired it), so reading it fails with
DetachedInstanceError: the client got the header row and a 200. So a stream is given as a
function of plain values (ids, slugs), called inside the new context, that loads everything
it reads itself.
"""

from collections.abc import Callable, Iterable, Iterator

from flask import Response, stream_with_context

from ..core.db import db
from .operations import record_event


def audited_file(event: str, target: str, detail: dict, *, build: Callable[[], str | bytes],
                 filename: str, mimetype: str) -> Response:
    """A file built whole in the view (a PDF, a short list), after the download's audit
    event (`event` on `target`, with `detail`) is committed."""
    record_event(event, target, detail)
    db.session.commit()
    return _attachment(build(), filename, mimetype)


def audited_stream(event: str, target: str, detail: dict, *,
                   produce: Callable[[], Iterable[str]], filename: str,
                   mimetype: str) -> Response:
    """A file streamed in flat memory, after the download's audit event is committed.
    `produce` is called once sending starts, in a fresh session: it must close over plain
    values only, never over ORM objects."""
    record_event(event, target, detail)
    db.session.commit()

    def chunks() -> Iterator[str]:
        yield from produce()

    return _attachment(stream_with_context(chunks()), filename, mimetype)


def _attachment(content, filename: str, mimetype: str) -> Response:
    # Streamed as produced (no proxy buffering) and never cached: exports hold personal data.
    return Response(content, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "X-Accel-Buffering": "no", "Cache-Control": "no-store"})
