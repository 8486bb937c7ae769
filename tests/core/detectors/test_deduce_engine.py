"""The one shared deduce instance and how it reports its (slow) loading."""

from __future__ import annotations

import pickle
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from plaatsbaar.core.detectors import deduce_engine
from plaatsbaar.core.detectors import deduce_engine as deduce_engine_module
from plaatsbaar.core.detectors.deduce_engine import get_deduce, lookup_structures_ready, prepare


def test_one_instance_per_process(deduce_engine):
    assert get_deduce() is deduce_engine
    assert get_deduce(print) is deduce_engine


def test_prepare_after_loading_announces_nothing(deduce_engine):
    messages: list[str] = []
    prepare(messages.append)
    assert messages == []


def test_lookup_structures_are_ready_once_built(deduce_engine):
    assert lookup_structures_ready()


def _write_cache(cache_dir: Path, version: str, saved: datetime) -> None:
    (cache_dir / "cache").mkdir()
    header = {"deduce_version": version, "saved_datetime": str(saved), "lookup_structs": None}
    (cache_dir / "cache" / "lookup_structs.pickle").write_bytes(pickle.dumps(header, protocol=4))


def test_no_cache_means_a_build(tmp_path: Path):
    assert not lookup_structures_ready(tmp_path)


def test_cache_of_another_deduce_version_means_a_build(tmp_path: Path):
    _write_cache(tmp_path, "0.0.1", datetime.now())
    assert not lookup_structures_ready(tmp_path)


def test_cache_older_than_the_source_lists_means_a_build(tmp_path: Path):
    from deduce import __version__

    _write_cache(tmp_path, __version__, datetime(2000, 1, 1))
    assert not lookup_structures_ready(tmp_path)


def test_fresh_cache_of_this_version_is_ready(tmp_path: Path):
    from deduce import __version__

    _write_cache(tmp_path, __version__, datetime.now())
    assert lookup_structures_ready(tmp_path)


def test_announcements_are_dutch():
    assert "1-2 minuten" in deduce_engine.BUILD_MESSAGE and "eenmalig" in deduce_engine.BUILD_MESSAGE
    assert deduce_engine.LOAD_MESSAGE.startswith("Deduce laden")


def test_importing_deduce_leaves_the_logging_setup_alone():
    """deduce's import configures DEBUG logging to stdout; that would pollute our JSON output."""
    script = (
        "import logging\n"
        "from plaatsbaar.core.detectors.deduce_engine import lookup_structures_ready\n"
        "lookup_structures_ready()\n"
        "logging.getLogger('PIL').debug('debug noise')\n"
        "print(len(logging.getLogger().handlers), logging.getLogger().level)\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True)
    assert run.stdout.strip() == "0 30"


# --- skipped_processors: speed only, never fewer annotations -------------------------------------

SAME_ANNOTATIONS = [
    "Sem de Vries uit groep 5 woont aan de Kerkstraat 12 in Utrecht.",
    "Post graag naar Postbus 1234, 3500 AB Utrecht.",
    "Op 3 maart 2027 gaan we met groep 7 naar Artis; Noor wordt dan 9 jaar.",
    "Mail juf Anne via anne.bakker@wilgenhoek.nl of bel 06-12345678.",
    "BSN 111222333 en postcode 1234 AB horen niet op Facebook.",
    "De Kerkstraat is afgesloten; Daan Jansen en Lotte Smit lopen om.",
    "Mail naar info@school zonder cijfers.",
    "Alle kanjers van de Wilgenhoek: wat een mooie sportdag!",
]


def _annotations(deduce, text: str, disabled: frozenset[str]) -> list[tuple[str, int, int, str]]:
    document = deduce.deidentify(text, disabled=set(disabled))
    return sorted((a.tag, a.start_char, a.end_char, a.text) for a in document.annotations)


def test_skipping_processors_keeps_every_annotation(deduce_engine):
    for text in SAME_ANNOTATIONS:
        skipped = deduce_engine_module.skipped_processors(text)
        assert _annotations(deduce_engine, text, skipped) == _annotations(
            deduce_engine, text, deduce_engine_module.UNUSED_PROCESSORS
        ), text


def test_texts_without_digits_or_at_skip_the_number_and_e_mail_processors():
    skipped = deduce_engine_module.skipped_processors("Alle kanjers van de Wilgenhoek!")
    assert {"dates", "phone_numbers", "email_addresses", "street_lookup"} <= skipped
    assert not {"dates", "email_addresses"} & deduce_engine_module.skipped_processors("3 maart, juf@school.nl")
