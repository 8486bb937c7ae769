"""Consent from CSV: the most specific row wins, no row means no consent."""

from __future__ import annotations

import pytest

from plaatsbaar.core.consent import ConsentError, load_consent
from plaatsbaar.core.vocabulary import Channel, MediaKind


def write(tmp_path, body: str):
    path = tmp_path / "consent.csv"
    path.write_text("person_id,channel,media,consent\n" + body, encoding="utf-8")
    return path


def test_most_specific_row_wins(tmp_path):
    registry = load_consent(write(tmp_path, "p1,*,*,yes\np1,facebook,*,no\np1,facebook,video,ja\np1,*,audio,nee\n"))
    assert registry.allows("p1", Channel.WEBSITE, MediaKind.PHOTO)
    assert not registry.allows("p1", Channel.FACEBOOK, MediaKind.PHOTO)
    assert registry.allows("p1", Channel.FACEBOOK, MediaKind.VIDEO)
    assert not registry.allows("p1", Channel.WEBSITE, MediaKind.AUDIO)


def test_channel_beats_media_kind(tmp_path):
    registry = load_consent(write(tmp_path, "p1,*,photo,no\np1,website,*,yes\n"))
    assert registry.allows("p1", Channel.WEBSITE, MediaKind.PHOTO)


def test_no_row_means_no_consent(tmp_path):
    registry = load_consent(write(tmp_path, "p1,*,*,yes\n"))
    assert not registry.allows("p2", Channel.WEBSITE, MediaKind.PHOTO)


@pytest.mark.parametrize(
    "body, message",
    [
        ("p1,myspace,photo,yes\n", "regel 2, kolom channel"),
        ("p1,facebook,hologram,yes\n", "regel 2, kolom media"),
        ("p1,facebook,photo,misschien\n", "regel 2, kolom consent"),
        ("p1,facebook,photo,yes\n,facebook,photo,yes\n", "regel 3, kolom person_id"),
    ],
)
def test_bad_rows_name_line_and_column(tmp_path, body, message):
    with pytest.raises(ConsentError, match=message):
        load_consent(write(tmp_path, body))


def test_missing_columns(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("id,consent\np1,yes\n", encoding="utf-8")
    with pytest.raises(ConsentError, match="kolommen ontbreken: person_id, channel, media"):
        load_consent(path)


def test_missing_file(tmp_path):
    with pytest.raises(ConsentError, match="niet gevonden"):
        load_consent(tmp_path / "nope.csv")
