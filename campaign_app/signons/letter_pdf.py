"""The supporters' letter as PDF: per office, the letter then that office's constituents.

Names come from every script. With a TrueType font (DejaVu Sans on most Linux systems, or the
LETTER_FONT setting) they print as written, and a character the font lacks is transliterated
("ễ" → "e") or shown as "?". Without one, the PDF falls back to the core Helvetica, whose
encoding is Latin-1: names are transliterated the same way, so nothing can make the PDF fail.
"""

import logging
import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from ..alerts.personalize import render_text
from ..core.time import localize
from .letter import office_signers

log = logging.getLogger(__name__)

#: Tried in order when LETTER_FONT is unset: (regular, bold).
SYSTEM_FONTS = (
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
     "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/TTF/DejaVuSans.ttf", "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/dejavu/DejaVuSans.ttf", "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
     "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf"),
    ("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
     "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"),
)
FAMILY = "LetterSans"
#: Typographic characters Latin-1 lacks, and what Helvetica prints instead.
_PLAIN = str.maketrans({"‘": "'", "’": "'", "‚": ",", "“": '"', "”": '"', "„": '"',
                        "–": "-", "—": "-", "‐": "-", "…": "...", "•": "*", "€": "EUR",
                        "\u00a0": " ", "\u2009": " ", "\u202f": " "})
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


@lru_cache(maxsize=8)
def find_font(setting: str) -> tuple[str, str | None] | None:
    """(regular, bold) font files to use, or None for the core Helvetica."""
    if setting.strip().lower() == "core":
        return None
    if setting.strip():
        path = Path(setting)
        if path.is_file():
            bold = path.with_name(path.stem.removesuffix("-Regular") + "-Bold" + path.suffix)
            return str(path), str(bold) if bold.is_file() else None
        log.warning("LETTER_FONT %s is not a file: falling back", setting)
    for regular, bold in SYSTEM_FONTS:
        if Path(regular).is_file():
            return regular, bold if Path(bold).is_file() else None
    log.warning("no TrueType font found for the letter: names are transliterated to Latin-1")
    return None


def transliterate(text: str, keep: Callable[[str], bool]) -> str:
    """Each character `keep` refuses becomes its base letters ("ễ" → "e"), or "?"."""
    out = []
    for char in text.translate(_PLAIN):
        if keep(char):
            out.append(char)
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", char)
                       if not unicodedata.combining(c))
        out.append(base if base and all(keep(c) for c in base) else "?")
    return "".join(out)


class LetterDocument:
    """A PDF with one section per office; each section starts on a new page."""

    def __init__(self, *, title: str, org_name: str, font_setting: str = ""):
        self.pdf = FPDF(format="Letter", unit="mm")
        self.pdf.set_auto_page_break(auto=True, margin=18)
        self.pdf.set_margins(22, 20, 22)
        self.pdf.set_title(title)
        self.pdf.set_author(org_name)
        self.pdf.set_creator("Alerta")
        fonts = find_font(font_setting)
        if fonts is None:
            self.family, self.bold_style = "Helvetica", "B"
            self._keep = _is_latin1
        else:
            regular, bold = fonts
            self.pdf.add_font(FAMILY, "", regular)
            self.bold_style = ""
            if bold:
                self.pdf.add_font(FAMILY, "B", bold)
                self.bold_style = "B"
            self.family = FAMILY
            self.pdf.set_font(FAMILY, size=11)
            cmap = self.pdf.current_font.cmap
            self._keep = lambda char: char in "\n\t" or ord(char) in cmap
        self.org_name = org_name

    def clean(self, text: str | None) -> str:
        """Text the font can print: control characters out, the rest kept or transliterated."""
        return transliterate(_CONTROL.sub(" ", text or ""), self._keep)

    def _font(self, size: float, bold: bool = False) -> None:
        self.pdf.set_font(self.family, self.bold_style if bold else "", size)

    def _line(self, text: str, size: float = 11, bold: bool = False, height: float = 5.5):
        self._font(size, bold)
        self.pdf.multi_cell(0, height, self.clean(text), align="L",
                            new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def add_office(self, *, addressee: str, seat: str, letter: str, subject: str,
                   signers: Iterable, signer_count: int, dated: datetime,
                   time_zone: str) -> None:
        """The letter to one office, then its constituents: name, city, ZIP code."""
        pdf = self.pdf
        pdf.add_page()
        self._line(self.org_name, size=9)
        local = localize(dated, time_zone)
        self._line(f"{local:%B} {local.day}, {local.year}", size=9)
        pdf.ln(4)
        self._line(f"To: {addressee} ({seat})", bold=True)
        self._line(f"Re: {subject}")
        pdf.ln(4)
        self._line(letter or subject)
        pdf.ln(6)
        noun = "constituent" if signer_count == 1 else "constituents"
        self._line(f"Signed by {signer_count:,} {noun} of {addressee}:", bold=True)
        pdf.ln(2)
        width = pdf.w - pdf.l_margin - pdf.r_margin
        columns = (width * 0.5, width * 0.34, width * 0.16)
        self._font(9, bold=True)
        for label, column in zip(("Name", "City", "ZIP code"), columns, strict=True):
            pdf.cell(column, 6, label, border="B")
        pdf.ln(6)
        self._font(10)
        for signer in signers:
            cells = (signer.name, signer.city or "", signer.zip_code or "")
            for text, column in zip(cells, columns, strict=True):
                pdf.cell(column, 6, self._fit(self.clean(text), column))
            pdf.ln(6)

    def _fit(self, text: str, column: float) -> str:
        """A cell's text cut with an ellipsis rather than running into the next column."""
        room = column - 2
        if self.pdf.get_string_width(text) <= room:
            return text
        while text and self.pdf.get_string_width(text + "...") > room:
            text = text[:-1]
        return text + "..."

    def output(self) -> bytes:
        return bytes(self.pdf.output())


def _is_latin1(char: str) -> bool:
    return char in "\n\t" or (" " <= char <= "~") or ("\u00a0" <= char <= "\u00ff")


def letter_pdf(alert, offices, *, org_name: str, font_setting: str, dated: datetime) -> bytes:
    """One section per office: the alert's letter addressed to its member, then its signers."""
    document = LetterDocument(title=alert.title, org_name=org_name, font_setting=font_setting)
    for office in offices:
        letter = render_text(alert, "letter_text", {"target_name": office.addressee})
        document.add_office(addressee=office.addressee, seat=office.seat, letter=letter,
                            subject=alert.title, signers=office_signers(alert.id, office),
                            signer_count=office.signer_count, dated=dated,
                            time_zone=alert.time_zone)
    return document.output()
