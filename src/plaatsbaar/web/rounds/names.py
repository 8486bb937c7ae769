"""Sorting pupils the Dutch way: "de Vries" under V, case and accents ignored."""

from __future__ import annotations

import unicodedata

# Dutch name particles (tussenvoegsels) that are skipped when sorting.
PARTICLES = {"van", "de", "der", "den", "het", "'t", "te", "ten", "ter", "in", "op", "aan", "bij", "uit", "onder", "voor"}


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def sort_key(last_name: str, first_name: str) -> tuple[str, str, str]:
    """Key for alphabetical lists: surname without leading particles, then first name.

    ``sort_key("de Vries", "Sem") < sort_key("Yılmaz", "Zoë")``; "Öztürk" sorts as "Ozturk".
    """
    words = last_name.split()
    while len(words) > 1 and words[0].casefold() in PARTICLES:
        words = words[1:]
    return (_plain(" ".join(words)), _plain(first_name), _plain(last_name))
