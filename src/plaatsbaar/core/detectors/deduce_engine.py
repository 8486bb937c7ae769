"""The one process-wide ``deduce.Deduce`` instance (it holds about 1.2 GB).

deduce keeps its name, street and place lists as lookup structures in a pickled
cache inside the installed package. Loading that cache takes about 10 s; when it
is missing or stale (first use, a new deduce version, changed source lists)
deduce rebuilds it, which takes 1-2 minutes. Before either, ``announce`` gets a
Dutch message so that the user never wonders whether the program hangs.

Two side effects of deduce are tamed here:

- importing deduce calls ``logging.basicConfig(stream=sys.stdout, level=DEBUG)``,
  which would send every library's debug output into our stdout (and into JSON
  output); the root logger is restored to its state before the import;
- deduce logs an English "Please wait 1-2 minutes …" on a rebuild; our Dutch
  announcement replaces it.
"""

from __future__ import annotations

import logging
import pickletools
import re
import threading
from itertools import islice
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    import deduce as deduce_module

BUILD_MESSAGE = "Deduce bouwt eenmalig zijn opzoeklijsten (1-2 minuten)…"
LOAD_MESSAGE = "Deduce laden (±10 s)…"

#: deduce processors whose output the personal-data detector never uses (part
#: of :func:`skipped_processors`). ``identifier`` (any run of 7+ digits) would
#: otherwise hide phone numbers such as 0612345678.
UNUSED_PROCESSORS = frozenset({"identifier", "url", "institutions", "patient_name", "redactor"})

#: deduce processors (names of deduce 3.0.6's base_config.json and loader) that
#: annotate nothing in a text without a digit: every regex of these groups needs
#: one (dates, ages, BSN, phone numbers, postcode, postbus), and street names
#: only survive with a house number (``housenumber`` extends ``straat`` with a
#: number; ``remove_street_tags`` drops the rest).
_NEED_A_DIGIT = frozenset(
    {
        "street_pattern",
        "street_lookup",
        "housenumber",
        "remove_street_tags",
        "clean_street_tags",
        "postal_code",
        "postbus",
        "dates",
        "ages",
        "identifiers",
        "phone_numbers",
    }
)
#: deduce's e-mail regex needs an "@".
_NEED_AN_AT = frozenset({"email_addresses"})
_DIGIT = re.compile(r"\d")  # the same digits as deduce's ``\d`` (any Unicode decimal digit)
_SKIPPED = {
    (digit, at): UNUSED_PROCESSORS | (frozenset() if digit else _NEED_A_DIGIT) | (frozenset() if at else _NEED_AN_AT)
    for digit in (False, True)
    for at in (False, True)
}


def skipped_processors(text: str) -> frozenset[str]:
    """The deduce processors to disable for ``text``: pass as ``deidentify(text, disabled=...)``.

    :data:`UNUSED_PROCESSORS`, plus the processors that cannot add an
    annotation to this text (no digit: dates, ages, numbers, addresses; no
    "@": e-mail). Speed only: the annotations are the same as with
    :data:`UNUSED_PROCESSORS` alone.
    """
    return _SKIPPED[_DIGIT.search(text) is not None, "@" in text]


_lock = threading.Lock()
_instance: deduce_module.Deduce | None = None


def _import_deduce() -> ModuleType:
    """Import deduce, undoing the ``logging.basicConfig`` its import performs."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    import deduce

    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
    root.setLevel(level)
    return deduce


class _DropBuildNotice(logging.Filter):
    """Drops deduce's English 'Please wait …' notice (logged on the root logger)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Please wait 1-2 minutes")


def _cache_header(cache_file: Path) -> dict[str, str] | None:
    """``deduce_version`` and ``saved_datetime`` from the head of deduce's pickle.

    Reads only the first opcodes (the cache is a dict whose first keys are
    these two strings), not the 75 MB of lookup structures. ``None`` when the
    file is missing or does not start that way.
    """
    try:
        with cache_file.open("rb") as handle:
            strings = [arg for _op, arg, _pos in islice(pickletools.genops(handle), 16) if isinstance(arg, str)]
    except (OSError, ValueError):
        return None
    header = dict(zip(strings[0::2], strings[1::2]))
    if {"deduce_version", "saved_datetime"} <= header.keys():
        return header
    return None


def lookup_structures_ready(cache_path: Path | None = None) -> bool:
    """True when deduce will load its cached lookup structures instead of rebuilding them.

    ``cache_path``: deduce's cache directory (default: deduce's own, inside the
    installed package). Applies deduce's own validation (same deduce version,
    no source list changed since the cache was saved) to the cache's header.
    """
    if _instance is not None and cache_path is None:
        return True
    _import_deduce()
    try:  # deduce internals (pinned deduce==3.0.6); when they move, assume a build
        from deduce import __version__
        from deduce.deduce import _LOOKUP_LIST_PATH
        from deduce.lookup_structs import _CACHE_FILE, _CACHE_SUBDIR, validate_lookup_struct_cache
    except ImportError:
        return False
    lookup_path = Path(_LOOKUP_LIST_PATH)
    header = _cache_header((cache_path or lookup_path) / _CACHE_SUBDIR / _CACHE_FILE)
    if header is None:
        return False
    try:
        return validate_lookup_struct_cache(header, lookup_path, __version__)
    except (OSError, ValueError):
        return False


class DeduceLoadError(RuntimeError):
    """deduce could not build, save or load its lookup structures (Dutch message)."""


def _load(announce: Callable[[str], None] | None) -> deduce_module.Deduce:
    deduce = _import_deduce()
    if announce is not None:
        announce(LOAD_MESSAGE if lookup_structures_ready() else BUILD_MESSAGE)
    notice_filter = _DropBuildNotice()
    root = logging.getLogger()
    root.addFilter(notice_filter)
    try:
        return deduce.Deduce()
    except OSError as exc:
        raise DeduceLoadError(
            f"deduce kon zijn opzoeklijsten niet bouwen, opslaan of laden ({exc.__class__.__name__}: {exc}); "
            "controleer of de map van het deduce-pakket schrijfbaar is en draai 'plaatsbaar prepare'"
        ) from None
    finally:
        root.removeFilter(notice_filter)


def get_deduce(announce: Callable[[str], None] | None = None) -> deduce_module.Deduce:
    """The shared ``deduce.Deduce`` instance, loaded on first call (thread-safe).

    ``announce`` receives a Dutch message just before a slow load: the
    one-time build (1-2 minutes) or the load from cache (about 10 s). Never
    create another ``Deduce``: each holds about 1.2 GB. Raises
    :class:`DeduceLoadError` when the lookup structures cannot be built or read.
    """
    global _instance
    if _instance is None:
        with _lock:
            if _instance is None:
                _instance = _load(announce)
    return _instance


def prepare(announce: Callable[[str], None] | None = None) -> None:
    """Build (first use) or load deduce's lookup structures ahead of time."""
    get_deduce(announce)
