"""Every route outside the public allowlist demands a role, and refuses anyone below it."""

import pytest

from campaign_app.auth.models import ROLES

#: Endpoints anyone may reach. A new public page must be added here on purpose.
PUBLIC_ENDPOINTS = {
    "static", "auth.login", "auth.logout",
    "supporters.unsubscribe_page",  # the signed token is the credential (RFC 8058 one-click)
    "supporters.bounce_webhook",  # the mail provider's shared secret is the credential
    "language_prefix",  # /es/a/<slug>: a redirect to the page with ?lang=es (issue 15)
    "api_reference",  # the API's description, for people: no data
    # The embed (issue 17): the host's script, the frame's entry to a public alert and the
    # alert's colors; what the public action page shows anyway.
    "embeds.host_script", "embeds.frame_entry", "embeds.theme",
}
#: health: load balancers probe without logging in, and the answers name no setting;
#: frontdoor: the home page, robots.txt and security.txt (issue 19); api: the API key is the
#: credential (tests/api checks that every API route refuses a request without one);
#: api-docs: the OpenAPI description (issue 16).
#: telephony: "Call me" on the call step; telephony_hooks: the provider's webhooks, which
#: answer 403 without its signature (tests/telephony).
PUBLIC_BLUEPRINTS = {"actions", "public_signons", "health", "frontdoor", "api", "api-docs",
                     "telephony", "telephony_hooks"}


def _is_public(endpoint: str) -> bool:
    return endpoint in PUBLIC_ENDPOINTS or endpoint.split(".", 1)[0] in PUBLIC_BLUEPRINTS


def _sample_value(converter) -> str:
    if type(converter).__name__ == "AnyConverter":
        return sorted(converter.items)[0]
    return "1" if type(converter).__name__ in {"IntegerConverter", "FloatConverter"} else "x"


def _staff_routes(app):
    """(endpoint, method, url) of every non-public route, with sample values in the URL."""
    routes = []
    for rule in app.url_map.iter_rules():
        if _is_public(rule.endpoint):
            continue
        method = "GET" if "GET" in rule.methods else sorted(rule.methods - {"OPTIONS"})[0]
        routes.append((rule.endpoint, method, _build(rule)))
    return routes


def _build(rule) -> str:
    values = {name: _sample_value(conv) for name, conv in rule._converters.items()}
    return rule.build(values)[1]


def test_every_non_public_route_declares_a_role(app):
    missing = []
    for rule in app.url_map.iter_rules():
        if _is_public(rule.endpoint):
            continue
        view = app.view_functions[rule.endpoint]
        if getattr(view, "required_role", None) not in ROLES:
            missing.append(rule.endpoint)
    assert missing == [], f"routes without role_required: {missing}"


def test_there_are_staff_routes_for_every_role(app):
    roles = {getattr(app.view_functions[endpoint], "required_role", None)
             for endpoint, _, _ in _staff_routes(app)}
    assert set(ROLES) <= roles


def test_anonymous_users_are_sent_to_the_login_page(app, client):
    for endpoint, method, url in _staff_routes(app):
        response = client.open(url, method=method)
        assert response.status_code == 302, (endpoint, url, response.status_code)
        assert response.headers["Location"].startswith("/login"), endpoint


@pytest.mark.parametrize("role", ROLES[:-1])
def test_roles_below_the_required_one_are_forbidden(app, client, login, role):
    login(role)
    checked = 0
    for endpoint, method, url in _staff_routes(app):
        required = app.view_functions[endpoint].required_role
        if ROLES.index(role) >= ROLES.index(required):
            continue
        response = client.open(url, method=method)
        assert response.status_code == 403, (endpoint, role, response.status_code)
        checked += 1
    assert checked > 0
