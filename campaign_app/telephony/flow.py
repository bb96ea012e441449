"""What a call says and does at each step, as provider-neutral replies (provider.py): the
consent prompt, each target's script and dial, the keypad questions, the call-in ZIP."""

from flask import current_app, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from ..alerts.models import Alert
from ..alerts.personalize import merge_values, render_text
from ..alerts.translations import text_in
from ..congress.index import District, Member
from .provider import Dial, Gather, Hangup, Redirect, Reply, Say

#: The voice that reads each language's prompts (Twilio's language codes).
VOICE_LANGUAGES = {"es": "es-US", "en": "en-US"}


def hook_url(endpoint: str, **values) -> str:
    """The relative URL of a webhook step (the provider resolves it against the one it
    fetched, which is on PUBLIC_BASE_URL)."""
    return url_for(f"telephony_hooks.{endpoint}", **values)


def reply(language: str, *steps) -> Reply:
    return Reply(tuple(steps), VOICE_LANGUAGES.get(language, "en-US"))


def consent_prompt(call, alert: Alert) -> Reply:
    """Who is calling and why; nothing is connected before the supporter presses 1 (a wrong
    number or an answering machine never reaches Congress)."""
    prompt = Say(_("Hello, this is %(org)s calling about %(title)s. You asked us to connect "
                   "you to your members of Congress. Press 1 to start.",
                   org=alert_organization(), title=text_in(alert, "title")))
    return reply(call.language, Gather((prompt,), hook_url("consent_given", call_id=call.id)),
                 Say(_("We did not hear from you. Goodbye.")), Hangup())


def alert_organization() -> str:
    return current_app.config.get("ORG_NAME") or "Alerta"


def script_line(alert: Alert, supporter, member: Member) -> str:
    """The first paragraph of the call script, filled in, as plain words to read aloud."""
    html = str(render_text(alert, "call_script", merge_values(alert, supporter, target=member)))
    first = html.split("</p>", 1)[0]
    return Markup(first).striptags()  # noqa: S704 - only read for its text


def target_prompt(call, alert: Alert, supporter, member: Member, position: int,
                  number: str) -> Reply:
    """The script, then the office; * during the script skips to the next target."""
    prompts = [Say(_("Connecting you to %(name)s. Press star to skip.",
                     name=member.titled_name_with_article))]
    if supporter is not None:
        prompts.append(Say(script_line(alert, supporter, member)))
    return reply(call.language,
                 Gather(tuple(prompts), hook_url("skip", call_id=call.id, position=position),
                        timeout_seconds=1),
                 Dial(number, hook_url("dialed", call_id=call.id, position=position)))


def outcome_prompt(call, position: int, dial_status: str) -> Reply:
    """After a leg: how it went by keypad, then on to the next target."""
    next_target = hook_url("target", call_id=call.id, position=position + 1)
    if dial_status != "completed":
        return reply(call.language, Say(_("The line was busy or did not answer.")),
                     Redirect(next_target))
    return reply(call.language,
                 Gather((Say(_("How did it go? Press 1 if you talked to staff, 2 if you left "
                               "a voicemail, 3 if the line was busy or full. Press star to "
                               "go on.")),), hook_url("outcome", call_id=call.id,
                                                   position=position)),
                 Redirect(next_target))


def goodbye(call, *, thanks: bool = True) -> Reply:
    text = _("Thank you for calling Congress! Goodbye.") if thanks else _("Goodbye.")
    return reply(call.language, Say(text), Hangup())


def refused(language: str, message: str) -> Reply:
    return reply(language, Say(message), Hangup())


def zip_prompt(call) -> Reply:
    return reply(call.language,
                 Gather((Say(_("Thank you for calling. Please enter your five-digit ZIP "
                               "code.")),), hook_url("zip_code", call_id=call.id), digits=5,
                        timeout_seconds=10),
                 Say(_("We did not hear from you. Goodbye.")), Hangup())


def district_prompt(call, choices: list[tuple[District, Member | None]]) -> Reply:
    prompts = [Say(_("Your ZIP code spans several districts."))]
    for index, (district, member) in enumerate(choices, start=1):
        name = member.titled_name_with_article if member is not None else district.label
        prompts.append(Say(_("For %(name)s, press %(digit)s.", name=name, digit=index)))
    return reply(call.language, Gather(tuple(prompts), hook_url("district", call_id=call.id)),
                 Redirect(hook_url("zip_again", call_id=call.id)))
