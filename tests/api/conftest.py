"""API test helpers: keys of each scope, and a client that sends one."""

import pytest

from tests.factories import add_user


@pytest.fixture
def api_key(db_session):
    """api_key("read") → the token of a new key of that scope."""
    from campaign_app.api.operations import create_api_key

    def make(scope="read", name="CRM sync"):
        admin = add_user(email=f"keys-{scope}-{name[:5]}@example.org".replace(" ", ""),
                         role="admin")
        _, token = create_api_key(name, scope, by=admin)
        db_session.commit()
        return token

    return make


@pytest.fixture
def api(client, api_key):
    """api(scope) → a function that calls the API with a key of that scope."""

    def make(scope="read"):
        token = api_key(scope)

        def call(method, path, **kwargs):
            headers = {"OSDI-API-Token": token, **kwargs.pop("headers", {})}
            return client.open(path, method=method, headers=headers, **kwargs)

        return call

    return make


PERSON = {"given_name": "Ana", "family_name": "Lima",
          "email_addresses": [{"address": "ana@example.org", "status": "subscribed"}],
          "postal_addresses": [{"postal_code": "82001"}],
          "phone_numbers": [{"number": "307-555-0100"}]}
