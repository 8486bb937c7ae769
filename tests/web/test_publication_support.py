"""Shared building blocks for the publication tests (no tests here).

Drafts are built as rows with the ORM, with real image files: the original is
a JPEG of three astronauts with GPS in its EXIF, the publishable file is the
same picture with the chosen faces blurred by the core and no metadata, as
:func:`plaatsbaar.web.drafts.services.save_version` writes them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from django.conf import settings
from PIL import Image

from plaatsbaar.core.detectors.faces import FaceBox
from plaatsbaar.core.media.blur import blur_faces
from plaatsbaar.core.media.io import save_image
from plaatsbaar.web.consent.services import Answer, record_answer
from plaatsbaar.web.drafts.models import Draft, DraftMedia, DraftStatus, DraftVersion, FaceTag
from plaatsbaar.web.organisation.models import ProtocolVersion
from tests.media_factory import astronaut_group, face_box, gps_exif, write_group_photo
from tests.web.conftest import TODAY

TEXT = "Sportdag! Groep 5 liep de estafette."
REVISED = TEXT + "\n\nDit bericht is geplaatst door de school."


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    """A private, empty ``MEDIA_ROOT`` for this test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def consent(newsroom):
    """Sem's guardian consented to photos on Facebook and in the group app; Noor (16, decides herself) did not."""
    world = newsroom.world
    record_answer(world.pupil, world.facebook, "photo", True, Answer(guardian=world.guardian), today=TODAY)
    return newsroom


def protocol(school, builtin_id: str) -> ProtocolVersion:
    """Make ``builtin_id`` the school's active protocol."""
    return ProtocolVersion.objects.create(school=school, builtin_id=builtin_id, active=True)


def pixels(path: Path) -> np.ndarray:
    """The RGB pixels of an image file."""
    with Image.open(path) as image:
        return np.asarray(image.convert("RGB"))


def mean_difference(a: np.ndarray, b: np.ndarray, box) -> float:
    """Mean absolute pixel difference of two images inside ``box`` ``[x, y, w, h]``."""
    x, y, w, h = box
    return float(np.abs(a[y:y + h, x:x + w].astype(int) - b[y:y + h, x:x + w].astype(int)).mean())


def exif_of(path: Path) -> dict:
    """The EXIF tags of a photo (empty when there is none)."""
    with Image.open(path) as image:
        return dict(image.getexif())


def write_media(draft: Draft, number: int, blur: list[int]) -> DraftMedia:
    """A 3-face photo as file ``number`` of ``draft``: original with EXIF, publishable with faces ``blur`` blurred."""
    root = Path(settings.MEDIA_ROOT)
    folder = root / "drafts" / str(draft.pk)
    (folder / "origineel").mkdir(parents=True, exist_ok=True)
    (folder / "publiceren").mkdir(parents=True, exist_ok=True)
    original = write_group_photo(folder / "origineel" / f"foto-{number}.jpg", 3, exif=gps_exif())
    boxes = [FaceBox.from_xywh(face_box(i)) for i in blur]
    save_image(folder / "publiceren" / f"foto-{number}.jpg", blur_faces(astronaut_group(3), boxes), like=original)
    return DraftMedia.objects.create(
        draft=draft, number=number, kind="photo", original=f"drafts/{draft.pk}/origineel/foto-{number}.jpg",
        publishable=f"drafts/{draft.pk}/publiceren/foto-{number}.jpg", faces=[list(face_box(i)) for i in range(3)],
        width=1536, height=512)


def build_draft(newsroom, *, author=None, channel="facebook", verdict="allow", status=DraftStatus.CONCEPT,
                group=None, tags=None, blur=(1, 2), shown=None, photo=True) -> Draft:
    """A checked draft as rows: one version (``verdict``) with ``TEXT`` and ``REVISED``, and (``photo``) one
    group photo whose faces are tagged ``tags`` (face → pupil or None; default: Sem, Noor, onbekend), faces
    ``blur`` blurred in the publishable file, and ``shown`` (default: Sem) recorded as recognisable."""
    world = newsroom.world
    author = author or newsroom.teacher
    draft = Draft.objects.create(school=world.school, author=author, channel=channel, group=group, status=status)
    version_tags, version_shown = {}, {}
    if photo:
        media = write_media(draft, 1, list(blur))
        tags = {0: world.pupil, 1: world.older_pupil, 2: None} if tags is None else tags
        for face, pupil in tags.items():
            FaceTag.objects.create(media=media, face=face, pupil=pupil, tagged_by=author)
        version_tags = {"1": {str(face): (pupil.pk if pupil else None) for face, pupil in tags.items()}}
        shown = [world.pupil] if shown is None else shown
        version_shown = {"1": [p.pk for p in shown]} if shown else {}
    add_version(draft, verdict=verdict, tags=version_tags, shown=version_shown)
    return draft


def add_version(draft: Draft, *, verdict: str = "allow", tags=None, shown=None, text: str = TEXT,
                revised: str = REVISED) -> DraftVersion:
    """The draft's next version (as a save would store it), without touching the draft's status."""
    previous = draft.latest_version()
    return DraftVersion.objects.create(
        draft=draft, number=(previous.number + 1) if previous else 1, text=text, revised_text=revised,
        verdict=verdict, tags=previous.tags if (tags is None and previous) else (tags or {}),
        shown=previous.shown if (shown is None and previous) else (shown or {}), created_by=draft.author)
