"""Media of a post → faces, consent and the ``media.*`` facts.

People are tagged by staff; we never recognise faces (AVG art. 9). A face is
*covered* when it belongs to a tagged person who consented (AVG art. 6/7) to
this channel and media kind; every face that is not covered is to be blurred.

Matching, for photos:

- a tagged person with a ``box`` ``[x, y, w, h]`` takes the unclaimed
  detected face with the highest IoU (≥ :data:`MIN_IOU`) or else the one
  whose centre lies in the box (nearest to the box centre), in tag order;
- the faces left over are covered only when every tagged person without a box
  consents and there are no more left-over faces than such people (otherwise
  we cannot tell whose face is whose, so all of them are blurred).

For video the boxes of tagged people are not matched (faces move); every
tagged person counts as unboxed and ``faces`` is the most faces on one frame.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plaatsbaar.core.consent import ConsentRegistry
from plaatsbaar.core.detectors.faces import FaceBox, FaceDetector, get_face_detector
from plaatsbaar.core.findings import Evidence, Fact
from plaatsbaar.core.media.blur import blur_faces
from plaatsbaar.core.media.io import MediaError, load_image, save_image
from plaatsbaar.core.media.video import (
    blur_video,
    check_audio,
    output_path_for,
    scan_video,
    strip_video_metadata,
)
from plaatsbaar.core.post import MediaItem, TaggedPerson
from plaatsbaar.core.vocabulary import Channel, MediaKind, MediaSource, Role

#: A tagged box and a detected face belong together from this overlap on.
MIN_IOU = 0.3

#: Video frames between face counts when analysing (blurring looks at every frame).
SCAN_EVERY = 5


@dataclass
class MediaReport:
    """What we found in one attached file.

    ``path``: as given in the post; ``kind``: photo, video or audio;
    ``faces``: faces detected (video: most on one frame); ``boxes``: the
    detected faces (photos); ``boxes_to_blur``: faces not covered plus the boxes
    of tagged people without consent whose face was not detected (score 0);
    ``faces_to_blur``: detected faces not covered; ``people_without_consent``:
    tagged ids lacking consent for this channel and kind; ``single_child``: a
    photo of one child alone; ``audio_without_consent``: a recording with
    voices we have no consent for; ``third_party``: made by someone else;
    ``error``: why the file could not be analysed (then the rest is empty).
    """

    path: str
    kind: str
    faces: int = 0
    boxes: list[FaceBox] = field(default_factory=list)
    boxes_to_blur: list[FaceBox] = field(default_factory=list)
    faces_to_blur: int = 0
    people_without_consent: list[str] = field(default_factory=list)
    single_child: bool = False
    audio_without_consent: bool = False
    third_party: bool = False
    error: str | None = None

    @classmethod
    def failed(cls, item: MediaItem, error: str) -> "MediaReport":
        """A report for a file that could not be analysed."""
        return cls(item.path, item.kind.value, third_party=item.source is MediaSource.THIRD_PARTY, error=error)

    def to_json(self) -> dict[str, Any]:
        """The report as ``--format json`` prints it (boxes as ``[x1, y1, x2, y2, score]``)."""
        return {
            "path": self.path,
            "kind": self.kind,
            "faces": self.faces,
            "boxes": [box.to_json() for box in self.boxes],
            "boxes_to_blur": [box.to_json() for box in self.boxes_to_blur],
            "faces_to_blur": self.faces_to_blur,
            "people_without_consent": list(self.people_without_consent),
            "single_child": self.single_child,
            "audio_without_consent": self.audio_without_consent,
            "third_party": self.third_party,
            "error": self.error,
        }


def analyse_media(
    item: MediaItem,
    base_dir: Path,
    channel: Channel,
    consent: ConsentRegistry,
    detector: FaceDetector | None = None,
) -> MediaReport:
    """Detect faces in ``item`` (relative to ``base_dir``) and check them against ``consent``.

    Raises :class:`~plaatsbaar.core.media.io.MediaError` for a missing,
    unreadable, truncated or oversized file.
    """
    path = Path(base_dir) / item.path
    without_consent = _without_consent(item.people, channel, item.kind, consent)
    report = MediaReport(
        item.path,
        item.kind.value,
        people_without_consent=without_consent,
        third_party=item.source is MediaSource.THIRD_PARTY,
    )
    if item.kind is MediaKind.PHOTO:
        _analyse_photo(report, path, item.people, without_consent, detector or get_face_detector())
    elif item.kind is MediaKind.VIDEO:
        _analyse_video(report, path, item.people, without_consent, detector or get_face_detector())
    else:
        check_audio(path)
        report.audio_without_consent = not item.people or bool(without_consent)
    return report


def _without_consent(
    people: list[TaggedPerson], channel: Channel, kind: MediaKind, consent: ConsentRegistry
) -> list[str]:
    """Ids of tagged people without consent for ``channel`` and ``kind``, in tag order, once each."""
    ids = [person.id for person in people if not consent.allows(person.id, channel, kind)]
    return list(dict.fromkeys(ids))


def _analyse_photo(report: MediaReport, path: Path, people: list[TaggedPerson], refused: list[str],
                   detector: FaceDetector) -> None:
    faces = detector.detect(load_image(path))
    covered, unmatched_boxes = cover_faces(faces, people, set(refused))
    report.faces = len(faces)
    report.boxes = faces
    report.boxes_to_blur = [face for face, ok in zip(faces, covered) if not ok] + unmatched_boxes
    report.faces_to_blur = covered.count(False)
    report.single_child = is_single_child(len(faces), people)


def _analyse_video(report: MediaReport, path: Path, people: list[TaggedPerson], refused: list[str],
                   detector: FaceDetector) -> None:
    scan = scan_video(path, sample_every=SCAN_EVERY, detector=detector)
    report.faces = scan.max_faces
    everyone_consents = bool(people) and not refused and scan.max_faces <= len(people)
    report.faces_to_blur = 0 if everyone_consents else scan.max_faces


def cover_faces(
    faces: list[FaceBox], people: list[TaggedPerson], refused: set[str]
) -> tuple[list[bool], list[FaceBox]]:
    """Which ``faces`` are covered by consent, and the boxes of refusing people that matched no face.

    ``refused``: ids of tagged people without consent. Returns one flag per
    face (True: may be shown) and, for tagged people with a box but without
    consent whose face was not detected, their box (to blur it anyway).
    """
    covered = [False] * len(faces)
    claimed: set[int] = set()
    unmatched: list[FaceBox] = []
    for person in (p for p in people if p.box is not None):
        tagged = FaceBox.from_xywh(person.box, score=0.0)  # score 0: given by staff, not detected
        index = match_face(tagged, faces, claimed)
        if index is None:
            if person.id in refused:
                unmatched.append(tagged)
            continue
        claimed.add(index)
        covered[index] = person.id not in refused
    remaining = [i for i in range(len(faces)) if i not in claimed]
    unboxed = [p for p in people if p.box is None]
    if all(p.id not in refused for p in unboxed) and len(remaining) <= len(unboxed):
        for index in remaining:
            covered[index] = True
    return covered, unmatched


def match_face(tagged: FaceBox, faces: list[FaceBox], claimed: set[int]) -> int | None:
    """Index of the unclaimed face that best fits the tagged box, or ``None``.

    Best IoU when it is at least :data:`MIN_IOU`; otherwise the face whose
    centre lies in the box, nearest to the box centre.
    """
    free = [i for i in range(len(faces)) if i not in claimed]
    if not free:
        return None
    best = max(free, key=lambda i: tagged.iou(faces[i]))
    if tagged.iou(faces[best]) >= MIN_IOU:
        return best
    inside = [i for i in free if tagged.contains(*faces[i].centre)]
    if not inside:
        return None
    cx, cy = tagged.centre
    return min(inside, key=lambda i: (faces[i].centre[0] - cx) ** 2 + (faces[i].centre[1] - cy) ** 2)


def is_single_child(faces: int, people: list[TaggedPerson]) -> bool:
    """A photo of one child alone.

    One face, unless the only tagged person is not a pupil; or no face
    detected and the only tagged person is a pupil.
    """
    only = people[0] if len(people) == 1 else None
    if faces == 1:
        return not (only is not None and only.role is not Role.PUPIL)
    return faces == 0 and only is not None and only.role is Role.PUPIL


def _count_word(count: int) -> str:
    return "gezicht" if count == 1 else "gezichten"


def _evidence(label: str, text: str, report: MediaReport) -> Evidence:
    return Evidence(label=label, text=text, start=None, end=None, source=report.path)


_KIND_FACTS = (
    ("media.photos", MediaKind.PHOTO, "foto"),
    ("media.videos", MediaKind.VIDEO, "video"),
    ("media.audio", MediaKind.AUDIO, "geluidsopname"),
)


def media_facts(reports: list[MediaReport]) -> list[Fact]:
    """The ``media.*`` count facts of a post, with one :class:`Evidence` per counted item.

    Evidence ``source`` is the media path, ``start``/``end`` are ``None``.
    Reports with an ``error`` count only as attached media (and third-party).
    """
    ok = [r for r in reports if r.error is None]
    facts = [
        _count(name, [_evidence(label, r.path, r) for r in reports if r.kind == kind.value])
        for name, kind, label in _KIND_FACTS
    ]
    facts += [
        Fact("media.faces", sum(r.faces for r in ok),
             [_evidence("gezicht", _faces_text(r), r) for r in ok if r.faces]),
        Fact("media.faces_to_blur", sum(r.faces_to_blur for r in ok),
             [_evidence("gezicht zonder toestemming", _to_blur_text(r), r) for r in ok if r.faces_to_blur]),
        _count("media.people_without_consent",
               [_evidence("getagd zonder toestemming", f"{pid} in {r.path}", r)
                for r in ok for pid in r.people_without_consent]),
        _count("media.single_child_photos",
               [_evidence("één kind alleen in beeld", r.path, r) for r in ok if r.single_child]),
        _count("media.audio_without_consent",
               [_evidence("stem zonder toestemming", _audio_text(r), r) for r in ok if r.audio_without_consent]),
        _count("media.third_party", [_evidence("media van derden", r.path, r) for r in reports if r.third_party]),
    ]
    return facts


def _count(name: str, evidence: list[Evidence]) -> Fact:
    """A count fact: one per piece of evidence."""
    return Fact(name, len(evidence), evidence)


def _faces_text(report: MediaReport) -> str:
    if report.kind == MediaKind.VIDEO.value:
        return f"tot {report.faces} {_count_word(report.faces)} tegelijk in {report.path}"
    return f"{report.faces} {_count_word(report.faces)} in {report.path}"


def _to_blur_text(report: MediaReport) -> str:
    return f"{report.faces_to_blur} van {report.faces} {_count_word(report.faces)} in {report.path}"


def _audio_text(report: MediaReport) -> str:
    if report.people_without_consent:
        return f"{report.path}: geen toestemming van {', '.join(report.people_without_consent)}"
    return f"{report.path}: onbekende stemmen (niemand getagd)"


def write_fixed_media(report: MediaReport, base_dir: Path, out_dir: Path) -> Path:
    """Write the blurred version of the reported file into ``out_dir``; returns its path.

    Photos: ``report.boxes_to_blur`` blurred, metadata stripped, same name and
    format. Videos: every face blurred when ``faces_to_blur`` > 0 (else only
    the metadata is stripped), audio kept, same name (``.mp4`` for containers
    we cannot write). Raises :class:`MediaError` for an unreadable source, a
    recording (nothing to blur), or a target that is the source itself.
    """
    if report.error is not None:
        raise MediaError(f"{report.path}: {report.error}")
    if report.kind == MediaKind.AUDIO.value:
        raise MediaError(f"{report.path}: een geluidsopname heeft geen gezichten om te vervagen")
    source = Path(base_dir) / report.path
    target = Path(out_dir) / Path(report.path).name
    if report.kind == MediaKind.VIDEO.value:
        target = output_path_for(source, target)
    if target.resolve() == source.resolve():
        raise MediaError(f"{target}: zou het origineel overschrijven; kies een andere map")
    target.parent.mkdir(parents=True, exist_ok=True)
    if report.kind == MediaKind.PHOTO.value:
        return save_image(target, blur_faces(load_image(source), report.boxes_to_blur), like=source)
    if report.faces_to_blur > 0:
        blur_video(source, target)
        return target
    return strip_video_metadata(source, target)
