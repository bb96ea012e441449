"""The API's errors, OSDI-style: a JSON body that names the field at fault, never a page."""

from flask import jsonify
from werkzeug.exceptions import HTTPException

from ..core.db import db


class ApiError(Exception):
    def __init__(self, status: int, field: str | None, message: str,
                 headers: dict | None = None):
        super().__init__(message)
        self.status = status
        self.field = field
        self.message = message
        self.headers = headers or {}


def error_body(status: int, message: str, errors: list[dict] | None = None) -> dict:
    return {"error": message, "response_code": status, "errors": errors or []}


def field_errors(messages, location: str = "") -> list[dict]:
    """marshmallow's nested {field: [messages]} as a flat list naming each field."""
    found = []

    def walk(value, path):
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(inner, f"{path}.{key}" if path else str(key))
        elif isinstance(value, list) and all(isinstance(item, str) for item in value):
            found.extend({"field": path, "description": item} for item in value)
        elif isinstance(value, list):
            for index, inner in enumerate(value):
                walk(inner, f"{path}[{index}]")
        else:
            found.append({"field": path, "description": str(value)})

    walk(messages, location)
    return found


def respond(error: ApiError):
    # A write refused halfway (a person stored, then their identifier found taken) keeps
    # nothing: the request's transaction ends here.
    db.session.rollback()
    errors = [{"field": error.field, "description": error.message}] if error.field else []
    message = f"{error.field}: {error.message}" if error.field else error.message
    response = jsonify(error_body(error.status, message, errors))
    response.status_code = error.status
    response.headers.update(error.headers)
    return response


def http_error(error: HTTPException):
    db.session.rollback()
    data = getattr(error, "data", None) or {}
    messages = data.get("messages") or data.get("errors")
    if isinstance(messages, dict) and set(messages) <= {"json", "query", "headers"}:
        # webargs files the errors under where they were read: the field name is enough
        messages = {key: value for inner in messages.values()
                    for key, value in (inner.items() if isinstance(inner, dict)
                                       else [("body", inner)])}
    errors = field_errors(messages) if messages else []
    if errors:
        message = "; ".join(f"{e['field']}: {e['description']}" for e in errors[:5])
    else:
        message = error.description or error.name
    response_body = error_body(error.code or 500, message, errors)
    response = jsonify(response_body)
    response.status_code = error.code or 500
    response.headers.update(data.get("headers") or {})
    return response
