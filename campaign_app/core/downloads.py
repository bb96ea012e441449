"""Files staff download: exports, letters, lists."""

from flask import Response


def attachment(body, filename: str, mimetype: str) -> Response:
    """A download, streamed as produced (no proxy buffering) and never cached: exports hold
    personal data."""
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "X-Accel-Buffering": "no", "Cache-Control": "no-store"})
