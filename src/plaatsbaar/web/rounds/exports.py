"""The "no photo" list of a class: who may not be photographed, as CSV and printable PDF.

A pupil is on the list when, for at least one of the chosen consent
categories, their current answer for the media kind (default photo) is not
yes: "no", or no answer at all (no answer means no consent). The default
categories are all active categories of the school that have a channel (the
website, newsletter and social media); a single category can be chosen.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from plaatsbaar.web.consent.models import MEDIA_KINDS, ConsentCategory
from plaatsbaar.web.consent.services import current_state
from plaatsbaar.web.organisation.models import Group, School
from plaatsbaar.web.rounds.names import sort_key
from plaatsbaar.web.rounds.services import active_pupils

MEDIA_LABELS = dict(MEDIA_KINDS)
CSV_HEADER = ["achternaam", "roepnaam", "groep", "nee gezegd voor", "geen antwoord voor"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FONT, BOLD = "PlaatsbaarSans", "PlaatsbaarSans-Bold"
CONFIDENTIAL = "Vertrouwelijk: alleen voor de begeleiders. Na gebruik vernietigen."


class UnknownCategory(ValueError):
    """A category code the school does not have (the message is Dutch)."""


@dataclass(frozen=True)
class NoPhotoRow:
    """A pupil on the list with the category labels answered "no" and those never answered."""

    pupil_id: int
    last_name: str
    first_name: str
    refused: list[str]
    unanswered: list[str]


def chosen_categories(school: School, code: str | None = None) -> list[ConsentCategory]:
    """The category with ``code``, or by default every active category with a channel.

    Raises :class:`UnknownCategory` for a code the school does not have (or not active).
    """
    categories = school.consent_categories.filter(active=True)
    if code:
        found = list(categories.filter(code=code))
        if not found:
            raise UnknownCategory(f"onbekende toestemmingscategorie: {code!r}")
        return found
    return list(categories.exclude(channel=""))


def no_photo_list(group: Group, categories: list[ConsentCategory], media_kind: str = "photo", today: date | None = None) -> list[NoPhotoRow]:
    """Active pupils of ``group`` without a yes for ``media_kind`` in some of ``categories``; by surname (Dutch order). Two queries."""
    pupils = active_pupils([group.school_id], today or timezone.localdate()).filter(group=group)
    pupils = sorted(pupils, key=lambda p: (sort_key(p.last_name, p.first_name), p.pk))
    state = current_state(pupils)
    rows = []
    for pupil in pupils:
        answers = {category_id: event.answer for (category_id, kind), event in state[pupil.pk].items() if kind == media_kind}
        refused = [c.label for c in categories if answers.get(c.pk) is False]
        unanswered = [c.label for c in categories if c.pk not in answers]
        if refused or unanswered:
            rows.append(NoPhotoRow(pupil.pk, pupil.last_name, pupil.first_name, refused, unanswered))
    return rows


def no_photo_csv(rows: list[NoPhotoRow], group: Group) -> str:
    """The list as CSV (``;``-separated, for Dutch spreadsheet programs); labels joined with ``, ``.

    Only what the teacher needs: name, class and the reasons (data minimisation).
    """
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for row in rows:
        cells = [row.last_name, row.first_name, group.name, ", ".join(row.refused), ", ".join(row.unanswered)]
        writer.writerow([_inert(cell) for cell in cells])
    return out.getvalue()


def _inert(cell: str) -> str:
    """A cell a spreadsheet will not run as a formula (``=``, ``+``, ``-``, ``@`` get a leading ``'``)."""
    return "'" + cell if cell[:1] in FORMULA_STARTS else cell


def _register_fonts() -> None:
    """Bitstream Vera (shipped with reportlab): covers Dutch, Turkish and Polish names."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    fonts = Path(reportlab.__file__).parent / "fonts"
    pdfmetrics.registerFont(TTFont(FONT, str(fonts / "Vera.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(fonts / "VeraBd.ttf")))


def _para(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (names may contain ``&`` or ``<``)."""
    return Paragraph(escape(text), style)


def _table(rows: list[NoPhotoRow], cell: ParagraphStyle) -> Table:
    data = [["Leerling", "Nee gezegd voor", "Geen antwoord voor"]]
    data += [[_para(f"{r.last_name}, {r.first_name}", cell), _para(", ".join(r.refused), cell), _para(", ".join(r.unanswered), cell)] for r in rows]
    table = Table(data, colWidths=[60 * mm, 55 * mm, 55 * mm], repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, 0), BOLD, 10),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.grey),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f1f1f1")]),
    ]))
    return table


def no_photo_pdf(rows: list[NoPhotoRow], group: Group, categories: list[ConsentCategory], media_kind: str = "photo", today: date | None = None) -> bytes:
    """The list as a printable A4 PDF (title, date, categories, table, confidentiality note)."""
    _register_fonts()
    title = ParagraphStyle("title", fontName=BOLD, fontSize=16, leading=20)
    text = ParagraphStyle("text", fontName=FONT, fontSize=10, leading=13)
    day = today or timezone.localdate()
    kind = MEDIA_LABELS.get(media_kind, media_kind)
    story = [
        _para(f"Geen toestemming voor {kind}: {group.name}", title),
        _para(f"{group.school.name} · schooljaar {group.school_year} · stand van {day:%d-%m-%Y}", text),
        _para("Gekeken naar: " + ", ".join(c.label for c in categories), text),
        Spacer(1, 4 * mm),
        _table(rows, text) if rows else _para(f"Alle leerlingen van deze groep hebben toestemming voor {kind} bij deze onderdelen.", text),
        Spacer(1, 6 * mm),
        _para(CONFIDENTIAL, text),
    ]
    out = io.BytesIO()
    document = SimpleDocTemplate(out, pagesize=A4, title=f"Geen {kind} - {group.name}", leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm, bottomMargin=18 * mm)
    footer = _footer(f"{group.name} · {day:%d-%m-%Y} · vertrouwelijk")
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()


def _footer(text: str):
    """A page callback printing ``text`` and the page number at the foot of every page."""

    def draw(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.drawString(20 * mm, 10 * mm, text)
        canvas.drawRightString(A4[0] - 20 * mm, 10 * mm, f"pagina {document.page}")
        canvas.restoreState()

    return draw
