"""The staff form of an alert's embed: allowed sites and look."""

from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from ..core.forms import BaseForm, strip_whitespace
from ..i18n.staff import lazy_staff_gettext, staff_gettext
from .origins import MAX_ORIGINS, parse_origins
from .style import PROPERTIES, style_problems

#: Form field name → CSS custom property.
STYLE_FIELDS = {name.removeprefix("--alerta-").replace("-", "_"): name for name in PROPERTIES}


class EmbedSettingsForm(BaseForm):
    uses_own_origins = BooleanField(lazy_staff_gettext("This alert has its own list of sites"))
    origins = TextAreaField(
        lazy_staff_gettext("Sites allowed to embed this alert"),
        validators=[Optional(), Length(max=4000)], filters=[strip_whitespace],
        description=lazy_staff_gettext("One origin per line, as https://example.org (no path). "
                                       "Any other site is refused by the browser."))
    accent = StringField(lazy_staff_gettext("Buttons"), validators=[Optional(), Length(max=7)],
                         filters=[strip_whitespace],
                         description=lazy_staff_gettext("A color: #rrggbb"))
    accent_text = StringField(lazy_staff_gettext("Text on buttons"),
                              validators=[Optional(), Length(max=7)], filters=[strip_whitespace])
    text = StringField(lazy_staff_gettext("Text"), validators=[Optional(), Length(max=7)],
                       filters=[strip_whitespace])
    link = StringField(lazy_staff_gettext("Links"), validators=[Optional(), Length(max=7)],
                       filters=[strip_whitespace])
    background = StringField(lazy_staff_gettext("Background"),
                             validators=[Optional(), Length(max=7)], filters=[strip_whitespace])
    font = StringField(lazy_staff_gettext("Font"), validators=[Optional(), Length(max=200)],
                       filters=[strip_whitespace],
                       description=lazy_staff_gettext('Font names separated by commas: '
                                                      '"Source Sans 3", Arial, sans-serif'))

    def validate_origins(self, field):
        origins, refused = parse_origins(field.data)
        if refused:
            raise ValidationError(staff_gettext("Not an origin (scheme://host[:port], no path): ")
                                  + ", ".join(refused))
        if len(origins) > MAX_ORIGINS:
            raise ValidationError(staff_gettext("At most %(count)s sites.", count=MAX_ORIGINS))

    def chosen_origins(self) -> list[str] | None:
        return parse_origins(self.origins.data)[0] if self.uses_own_origins.data else None

    def chosen_style(self) -> dict:
        return {prop: getattr(self, name).data for name, prop in STYLE_FIELDS.items()
                if getattr(self, name).data}

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for prop, problem in style_problems(self.chosen_style()).items():
            field = getattr(self, prop.removeprefix("--alerta-").replace("-", "_"))
            field.errors = [*field.errors, problem]
            valid = False
        return valid

    @classmethod
    def for_alert(cls, alert, **kwargs):
        style = alert.embed_style or {}
        data = {name: style.get(prop, "") for name, prop in STYLE_FIELDS.items()}
        data.update(uses_own_origins=alert.embed_origins is not None,
                    origins=alert.embed_origins or "")
        return cls(data=data, **kwargs)
