"""Source codes: where a supporter came from (a mailing, a post, a partner, an embedding
site), read from a link's `?source=` or its standard `utm_*` parameters."""

import re

#: Letters, digits and the punctuation of codes and origins ("mailing-12",
#: "https://blog.example.org", "utm:newsletter/email/july").
CODE = re.compile(r"^[A-Za-z0-9._~:/+-]{1,100}$")
UTM_PARTS = ("utm_source", "utm_medium", "utm_campaign")


def valid_source(code: str | None) -> str | None:
    code = (code or "").strip()
    return code if CODE.match(code) else None


def source_from_args(args) -> str | None:
    """`?source=` when valid; else the utm parameters as one code, `utm:source/medium/
    campaign` (the medium and campaign when given). Anything malformed is ignored: a link
    with a broken code still opens the page."""
    code = valid_source(args.get("source"))
    if code:
        return code
    parts = [(args.get(name) or "").strip() for name in UTM_PARTS]
    if not parts[0]:
        return None
    return valid_source("utm:" + "/".join(part for part in parts if part))


def mailing_source(mailing_id: int) -> str:
    """The code every link of a mailing carries."""
    return f"mailing-{mailing_id}"
