"""The reference scenario of DESIGN.md §1, as data: a live sign-on letter alert."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from ..core.time import utcnow

DEMO_SLUG = "mexico-human-rights-letter"
EASTERN = ZoneInfo("America/New_York")

APPEAL = """\
[[First_Name]], can you take five minutes today to contact your member of the House?

A member of the House is circulating a **Dear Colleague** letter asking the Secretary of State to
put human rights first in our relations with Mexico. Other members of Congress can sign until
**[[Deadline]]**. Last year's letter reached 82 signers — this year we can beat that.

Enter your ZIP code to see who represents you, with their phone numbers and what to say.
"""

CALL_SCRIPT = """\
Hello, my name is [[First_Name]] and I'm a constituent from [[Zip]].

I'm calling to ask [[Target_Name]] to **sign the Dear Colleague letter** asking the Secretary of
State to put human rights first in U.S. relations with Mexico. The deadline to sign is
[[Deadline]].

Thank you for passing on my message.
"""

THANK_SCRIPT = """\
Hello, my name is [[First_Name]] and I'm a constituent from [[Zip]].

I'm calling to **thank [[Target_Name]] for signing** the Dear Colleague letter on human rights
in Mexico. It matters to me, and I'll remember it.
"""

EMAIL_BODY = """\
Dear [[Target_Name]],

As your constituent, I ask you to sign the Dear Colleague letter urging the Secretary of State
to put human rights first in U.S. relations with Mexico.

Sincerely,
[[Full_Name]]
"""

ALERT_EMAIL_SUBJECT = "[[First_Name]], five minutes for human rights in Mexico?"

ALERT_EMAIL_BODY = """\
[[First_Name]], can you take five minutes today to contact your member of the House?

A Dear Colleague letter asks the Secretary of State to put human rights first in our relations
with Mexico. Members can sign until **[[Deadline]]** — last year 82 did. Your call can make this
year's letter bigger.

**[Call your member now]([[Action_Link]])** — we give you the number and what to say.

Thank you,
[[Org_Name]]

[Unsubscribe]([[Unsubscribe_Link]])
"""

THANK_YOU = """\
Thank you for speaking up! Every call is counted by the office you reached.

Now ask two friends to do the same — sharing takes ten seconds.
"""


def next_friday_5pm(now: datetime | None = None) -> datetime:
    """The Friday at 5pm Eastern at least three days away, as UTC."""
    local = (now or utcnow()).astimezone(EASTERN)
    day = local.date() + timedelta(days=3)
    while day.weekday() != 4:
        day += timedelta(days=1)
    return datetime.combine(day, time(17, 0), tzinfo=EASTERN).astimezone(ZoneInfo("UTC"))


def demo_alert_data() -> dict:
    """The reference alert, its texts as the editor would store them (trimmed)."""
    return {
        "slug": DEMO_SLUG,
        "title": "Put human rights first with Mexico: ask your member to sign the letter",
        "status": "live",
        "appeal": APPEAL.strip(),
        "target_rule": "all",
        "channels": ["call", "email"],
        "call_script": CALL_SCRIPT.strip(),
        "thank_script": THANK_SCRIPT.strip(),
        "email_subject": "Please sign the Dear Colleague letter on human rights in Mexico",
        "email_body": EMAIL_BODY.strip(),
        "deadline_at": next_friday_5pm(),
        "time_zone": "America/New_York",
        "reminder_offsets": [48, 3],
        "thank_you_text": THANK_YOU.strip(),
        "share_text": "I just called Congress to put human rights first with Mexico. "
                      "Will you take five minutes too?",
        "alert_email_subject": ALERT_EMAIL_SUBJECT,
        "alert_email_body": ALERT_EMAIL_BODY.strip(),
        "signon_goal": 83,
        "previous_signon_count": 82,
    }


APPEAL_ES = """\
[[First_Name]], ¿puede dedicar cinco minutos hoy a comunicarse con su representante en la
Cámara?

Un miembro de la Cámara de Representantes está circulando una carta **Dear Colleague** que le pide
al secretario de Estado que ponga los derechos humanos en primer lugar en nuestras relaciones con
México. Los demás miembros del Congreso pueden firmarla hasta el **[[Deadline]]**. La carta del año
pasado reunió 82 firmas: este año podemos superarlas.

Ingrese su código postal para ver quién lo representa, con sus números de teléfono y qué decir.
"""

CALL_SCRIPT_ES = """\
Hola, me llamo [[First_Name]] y vivo en el código postal [[Zip]].

Llamo para pedirle [[A_Target_Name]] que **firme la carta Dear Colleague** que le pide al
secretario de Estado que ponga los derechos humanos en primer lugar en las relaciones de
Estados Unidos con México. La fecha límite para firmar es el [[Deadline]].

Gracias por transmitir mi mensaje.
"""

THANK_SCRIPT_ES = """\
Hola, me llamo [[First_Name]] y vivo en el código postal [[Zip]].

Llamo para **agradecerle [[A_Target_Name]] por firmar** la carta Dear Colleague sobre los
derechos humanos en México. Es importante para mí y lo tendré presente.
"""

EMAIL_BODY_ES = """\
Estimado/a [[Target_Name]]:

Como residente de su distrito, le pido que firme la carta Dear Colleague que insta al secretario
de Estado a poner los derechos humanos en primer lugar en las relaciones de Estados Unidos con
México.

Atentamente,
[[Full_Name]]
"""

ALERT_EMAIL_BODY_ES = """\
[[First_Name]], ¿puede dedicar cinco minutos hoy a comunicarse con su representante en la
Cámara?

Una carta Dear Colleague le pide al secretario de Estado que ponga los derechos humanos en primer
lugar en nuestras relaciones con México. Los miembros pueden firmarla hasta el **[[Deadline]]**; el
año pasado firmaron 82. Su llamada puede hacer más grande la carta de este año.

**[Llame ahora a su representante]([[Action_Link]])**: le damos el número y qué decir.

Gracias,
[[Org_Name]]

[Cancelar la suscripción]([[Unsubscribe_Link]])
"""

THANK_YOU_ES = """\
¡Gracias por hacerse oír! La oficina a la que llamó cuenta cada llamada.

Ahora pídales a dos amistades que hagan lo mismo: compartir toma diez segundos.
"""


def demo_spanish_texts() -> dict:
    """The reference alert's texts in Spanish (its supporters include many Spanish speakers)."""
    return {
        "title": "Derechos humanos primero con México: pídale a su representante que firme "
                 "la carta",
        "appeal": APPEAL_ES.strip(),
        "call_script": CALL_SCRIPT_ES.strip(),
        "thank_script": THANK_SCRIPT_ES.strip(),
        "email_subject": "Por favor, firme la carta Dear Colleague sobre los derechos humanos "
                         "en México",
        "email_body": EMAIL_BODY_ES.strip(),
        "thank_you_text": THANK_YOU_ES.strip(),
        "share_text": "Acabo de llamar al Congreso para pedir que los derechos humanos vayan "
                      "primero con México. ¿Usted también puede dedicarle cinco minutos?",
        "alert_email_subject": "[[First_Name]], ¿cinco minutos por los derechos humanos "
                               "en México?",
        "alert_email_body": ALERT_EMAIL_BODY_ES.strip(),
    }
