"""Security headers on every response."""

from collections.abc import Iterable

from flask import Flask, Response


def content_security_policy(frame_ancestors: Iterable[str] = ()) -> str:
    """Our one policy: scripts, styles and images from this site only, no inline script;
    framed by nobody unless a page names the sites that may frame it."""
    ancestors = " ".join(frame_ancestors) or "'none'"
    return ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            f"object-src 'none'; base-uri 'none'; frame-ancestors {ancestors}; "
            "form-action 'self'")


CONTENT_SECURITY_POLICY = content_security_policy()


def allow_framing(response: Response, origins: Iterable[str]) -> None:
    """Let exactly these origins frame the page (an embeddable page). With none, the page
    stays unframeable, as every other page."""
    origins = list(origins)
    response.headers["Content-Security-Policy"] = content_security_policy(origins)
    if origins:
        # X-Frame-Options knows no list of sites; browsers that read frame-ancestors
        # ignore it, and DENY would refuse the embed in the rest.
        response.headers.pop("X-Frame-Options", None)
        response.is_framing_allowed = True


def init_security_headers(app: Flask) -> None:
    @app.after_request
    def _headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        if not getattr(response, "is_framing_allowed", False):
            headers.setdefault("X-Frame-Options", "DENY")
        # Personal links carry a token: never leak the URL to another site.
        headers.setdefault("Referrer-Policy", "no-referrer")
        headers.setdefault("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
        if app.config.get("SESSION_COOKIE_SECURE"):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response
