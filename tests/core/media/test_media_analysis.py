"""Faces × consent → MediaReport, the media.* facts and the blurred copies."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from plaatsbaar.core.consent import ConsentRegistry
from plaatsbaar.core.detectors.faces import FaceBox
from plaatsbaar.core.media.analysis import MediaReport, analyse_media, media_facts, write_fixed_media
from plaatsbaar.core.media.io import MediaError, load_image
from plaatsbaar.core.media.video import iter_frames, probe_video
from plaatsbaar.core.post import MediaItem, TaggedPerson
from plaatsbaar.core.vocabulary import FACTS, Channel, MediaKind, MediaSource, Role
from tests.media_factory import face_box, gps_exif, write_group_photo, write_wav

CHANNEL = Channel.INSTAGRAM


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """klas.jpg (3 faces, with GPS), solo.jpg (1 face), leeg.jpg (no face), stem.wav (a tone)."""
    folder = tmp_path_factory.mktemp("post")
    write_group_photo(folder / "klas.jpg", 3, exif=gps_exif())
    write_group_photo(folder / "solo.jpg", 1)
    Image.fromarray(np.full((400, 600, 3), 128, dtype=np.uint8)).save(folder / "leeg.jpg")
    write_wav(folder / "stem.wav", 1.0)
    return folder


@pytest.fixture(scope="module")
def consent() -> ConsentRegistry:
    """yes_* consent everywhere; no_* never; photo_only may be on photos only; other_channel only on the website."""
    registry = ConsentRegistry()
    for person in ("yes_a", "yes_b", "yes_c", "staff"):
        registry.record(person, "*", "*", True)
    registry.record("no_x", "*", "*", False)
    registry.record("photo_only", "*", "photo", True)
    registry.record("other_channel", "website", "*", True)
    return registry


def _person(pid: str, box: int | None = None, role: Role = Role.PUPIL) -> TaggedPerson:
    return TaggedPerson(id=pid, role=role, box=None if box is None else face_box(box))


def _analyse(folder, consent, detector, path, people=(), kind=MediaKind.PHOTO, **item) -> MediaReport:
    media = MediaItem(path=path, kind=kind, people=list(people), **item)
    return analyse_media(media, folder, CHANNEL, consent, detector)


def _tiles(boxes: list[FaceBox]) -> list[int]:
    """Which astronaut (0, 1, 2 from the left) each box is on."""
    return sorted(int(box.centre[0] // 512) for box in boxes)


def test_untagged_faces_are_all_to_blur(folder, consent, detector):
    report = _analyse(folder, consent, detector, "klas.jpg")
    assert (report.faces, report.faces_to_blur) == (3, 3)
    assert _tiles(report.boxes_to_blur) == [0, 1, 2]
    assert report.people_without_consent == [] and not report.single_child


def test_boxed_consenting_people_cover_their_faces(folder, consent, detector):
    people = [_person("yes_a", 0), _person("yes_b", 1), _person("yes_c", 2)]
    report = _analyse(folder, consent, detector, "klas.jpg", people)
    assert report.faces_to_blur == 0 and report.boxes_to_blur == []


def test_a_boxed_person_without_consent_gets_only_their_face_blurred(folder, consent, detector):
    people = [_person("yes_a", 0), _person("no_x", 1), _person("yes_c", 2)]
    report = _analyse(folder, consent, detector, "klas.jpg", people)
    assert report.faces_to_blur == 1
    assert _tiles(report.boxes_to_blur) == [1]
    assert report.people_without_consent == ["no_x"]


def test_a_loose_box_matches_by_its_centre(folder, consent, detector):
    x, y, w, h = face_box(1)
    loose = TaggedPerson(id="no_x", box=(x - 2 * w, y - h, 5 * w, 4 * h))  # IoU far below 0.3
    report = _analyse(folder, consent, detector, "klas.jpg", [loose, _person("yes_a", 0), _person("yes_c", 2)])
    assert _tiles(report.boxes_to_blur) == [1]


def test_unboxed_people_cover_faces_only_when_they_can_account_for_all(folder, consent, detector):
    everyone = [_person("yes_a"), _person("yes_b"), _person("yes_c")]
    assert _analyse(folder, consent, detector, "klas.jpg", everyone).faces_to_blur == 0
    two_of_three = everyone[:2]
    assert _analyse(folder, consent, detector, "klas.jpg", two_of_three).faces_to_blur == 3


def test_one_refusing_unboxed_person_means_every_unmatched_face_is_blurred(folder, consent, detector):
    people = [_person("yes_a"), _person("no_x"), _person("yes_c")]
    report = _analyse(folder, consent, detector, "klas.jpg", people)
    assert report.faces_to_blur == 3
    assert report.people_without_consent == ["no_x"]


def test_boxed_and_unboxed_people_together(folder, consent, detector):
    covered = [_person("yes_a", 0), _person("yes_b"), _person("yes_c")]
    assert _analyse(folder, consent, detector, "klas.jpg", covered).faces_to_blur == 0
    too_few = [_person("yes_a", 0), _person("yes_b")]
    report = _analyse(folder, consent, detector, "klas.jpg", too_few)
    assert report.faces_to_blur == 2 and _tiles(report.boxes_to_blur) == [1, 2]
    refusing_boxed = [_person("no_x", 0), _person("yes_b"), _person("yes_c")]
    report = _analyse(folder, consent, detector, "klas.jpg", refusing_boxed)
    assert report.faces_to_blur == 1 and _tiles(report.boxes_to_blur) == [0]


def test_consent_is_per_channel_and_kind(folder, consent, detector):
    people = [_person("other_channel", 0), _person("photo_only", 1), _person("yes_c", 2)]
    report = _analyse(folder, consent, detector, "klas.jpg", people)
    assert report.people_without_consent == ["other_channel"]
    assert _tiles(report.boxes_to_blur) == [0]


def test_refusing_person_whose_face_is_not_found_is_still_blurred(folder, consent, detector):
    hidden = TaggedPerson(id="no_x", box=(1300, 380, 80, 80))  # on the helmet: no face detected there
    report = _analyse(folder, consent, detector, "klas.jpg", [hidden, _person("yes_a", 0), _person("yes_b", 1),
                                                                _person("yes_c", 2)])
    assert report.faces_to_blur == 0
    assert report.boxes_to_blur == [FaceBox.from_xywh((1300, 380, 80, 80), score=0.0)]


@pytest.mark.parametrize(
    ("path", "people", "expected"),
    [
        ("solo.jpg", [], True),
        ("solo.jpg", [_person("yes_a")], True),
        ("solo.jpg", [_person("staff", role=Role.STAFF)], False),
        ("leeg.jpg", [_person("yes_a")], True),
        ("leeg.jpg", [_person("staff", role=Role.STAFF)], False),
        ("leeg.jpg", [], False),
        ("leeg.jpg", [_person("yes_a"), _person("staff", role=Role.STAFF)], False),
        ("klas.jpg", [_person("yes_a")], False),
    ],
)
def test_single_child(folder, consent, detector, path, people, expected):
    assert _analyse(folder, consent, detector, path, people).single_child is expected


@pytest.mark.parametrize(
    ("people", "expected"),
    [([], True), ([_person("yes_a")], False), ([_person("yes_a"), _person("photo_only")], True)],
)
def test_audio_without_consent(folder, consent, detector, people, expected):
    report = _analyse(folder, consent, detector, "stem.wav", people, kind=MediaKind.AUDIO)
    assert report.audio_without_consent is expected
    assert report.faces == 0


def test_third_party_media(folder, consent, detector):
    report = _analyse(folder, consent, detector, "solo.jpg", source=MediaSource.THIRD_PARTY)
    assert report.third_party
    assert not _analyse(folder, consent, detector, "solo.jpg").third_party


def test_video_faces_are_the_most_on_one_frame(astronaut_video, consent, detector):
    folder, name = astronaut_video.parent, astronaut_video.name
    untagged = _analyse(folder, consent, detector, name, kind=MediaKind.VIDEO)
    assert (untagged.faces, untagged.faces_to_blur, untagged.boxes) == (1, 1, [])
    consenting = _analyse(folder, consent, detector, name, [_person("yes_a", 0)], kind=MediaKind.VIDEO)
    assert consenting.faces_to_blur == 0
    photo_only = _analyse(folder, consent, detector, name, [_person("photo_only")], kind=MediaKind.VIDEO)
    assert photo_only.faces_to_blur == 1 and photo_only.people_without_consent == ["photo_only"]
    assert not untagged.single_child


def test_unreadable_media_raise(folder, consent, detector, tmp_path):
    broken = tmp_path / "half.jpg"
    broken.write_bytes((folder / "solo.jpg").read_bytes()[:3000])
    with pytest.raises(MediaError, match="half.jpg"):
        _analyse(tmp_path, consent, detector, "half.jpg")
    with pytest.raises(MediaError, match="niet gevonden"):
        _analyse(folder, consent, detector, "weg.wav", kind=MediaKind.AUDIO)
    with pytest.raises(MediaError, match="klas.jpg: is een foto, geen video"):
        _analyse(folder, consent, detector, "klas.jpg", kind=MediaKind.VIDEO)


def test_media_facts_count_and_explain(folder, consent, detector):
    reports = [
        _analyse(folder, consent, detector, "klas.jpg", [_person("yes_a", 0), _person("no_x", 1)]),
        _analyse(folder, consent, detector, "solo.jpg", [_person("yes_a")], source=MediaSource.THIRD_PARTY),
        _analyse(folder, consent, detector, "stem.wav", [], kind=MediaKind.AUDIO),
    ]
    facts = {fact.name: fact for fact in media_facts(reports)}
    assert set(facts) == {name for name in FACTS if name.startswith("media.")}
    values = {name: fact.value for name, fact in facts.items()}
    assert values == {
        "media.photos": 2, "media.videos": 0, "media.audio": 1, "media.faces": 4, "media.faces_to_blur": 2,
        "media.people_without_consent": 1, "media.single_child_photos": 1, "media.audio_without_consent": 1,
        "media.third_party": 1,
    }
    [blur] = facts["media.faces_to_blur"].evidence
    assert (blur.label, blur.text, blur.source, blur.start, blur.end) == (
        "gezicht zonder toestemming", "2 van 3 gezichten in klas.jpg", "klas.jpg", None, None)
    assert [e.text for e in facts["media.people_without_consent"].evidence] == ["no_x in klas.jpg"]
    assert [e.source for e in facts["media.single_child_photos"].evidence] == ["solo.jpg"]
    assert "niemand getagd" in facts["media.audio_without_consent"].evidence[0].text


def test_no_media_gives_zero_counts():
    zeros = {name: 0 for name in FACTS if name.startswith("media.")}
    assert {fact.name: fact.value for fact in media_facts([])} == zeros


def test_report_to_json(folder, consent, detector):
    report = _analyse(folder, consent, detector, "klas.jpg", [_person("no_x", 1)])
    data = json.loads(json.dumps(report.to_json()))
    assert data["faces"] == 3 and data["faces_to_blur"] == 3 and data["kind"] == "photo"
    assert len(data["boxes"]) == 3 and len(data["boxes"][0]) == 5
    assert data["people_without_consent"] == ["no_x"] and data["error"] is None


def test_fixed_photo_blurs_only_faces_without_consent(folder, consent, detector, tmp_path):
    report = _analyse(folder, consent, detector, "klas.jpg", [_person("yes_a", 0), _person("no_x", 1)])
    written = write_fixed_media(report, folder, tmp_path / "fixed")
    assert written == tmp_path / "fixed" / "klas.jpg"
    assert _tiles(detector.detect(load_image(written))) == [0]  # only the consenting face is still visible
    with Image.open(written) as image:
        assert len(image.getexif()) == 0  # no GPS, no camera data


def test_fixed_media_never_overwrite_the_source(folder, consent, detector):
    report = _analyse(folder, consent, detector, "klas.jpg")
    with pytest.raises(MediaError, match="origineel"):
        write_fixed_media(report, folder, folder)
    audio = _analyse(folder, consent, detector, "stem.wav", kind=MediaKind.AUDIO)
    with pytest.raises(MediaError, match="geluidsopname"):
        write_fixed_media(audio, folder, folder / "fixed")


def test_fixed_video_has_no_faces_and_keeps_sound(astronaut_video, consent, detector, tmp_path):
    report = _analyse(astronaut_video.parent, consent, detector, astronaut_video.name, kind=MediaKind.VIDEO)
    written = write_fixed_media(report, astronaut_video.parent, tmp_path)
    info = probe_video(written)
    assert info.has_audio
    assert sum(len(detector.detect(frame)) for frame in iter_frames(written, info)) == 0


def test_a_failed_report_counts_only_as_attached_media():
    item = MediaItem(path="kapot.jpg", source=MediaSource.THIRD_PARTY)
    report = MediaReport.failed(item, "afbeelding is beschadigd")
    values = {fact.name: fact.value for fact in media_facts([report])}
    assert values["media.photos"] == 1 and values["media.third_party"] == 1
    assert values["media.faces"] == 0 and values["media.single_child_photos"] == 0
    assert report.to_json()["error"] == "afbeelding is beschadigd"
