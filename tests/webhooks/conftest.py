"""Webhook tests call the API as its clients do."""

from tests.api.conftest import api, api_key  # noqa: F401 - fixtures shared with tests/api
