"""Which tagged pupils can be recognised in a published file (tagged and not blurred).

The takedown register starts from this list, so it errs on the side of
listing a pupil. The check records them per version
(``DraftVersion.shown``: media number → pupil ids, written by
:func:`plaatsbaar.web.drafts.services.save_version` from the same matching
that decided what to blur). For photos the published file itself is looked
at as well: a tagged face whose region kept its sharpness is not blurred,
whatever the check expected, and its pupil is listed too.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from plaatsbaar.core.media.io import MediaError, load_image
from plaatsbaar.core.vocabulary import MediaKind
from plaatsbaar.web.drafts.models import DraftMedia, DraftVersion

#: A face counts as blurred when its sharpness fell below this share of the original's.
BLURRED_RATIO = 0.2
#: Smallest inner face region (pixels per side) whose sharpness we trust.
MIN_SIDE = 8
#: Below this sharpness (variance of the Laplacian) the original face is too flat to judge.
MIN_SHARPNESS = 2.0


def tagged_faces(tags: dict, media: DraftMedia) -> dict[int, int]:
    """Face index → pupil id of ``media`` from a version's ``tags`` (``{"<number>": {"<face>": id|None}}``);
    "onbekend" (``None``) and malformed entries are left out."""
    faces = (tags or {}).get(str(media.number)) or {}
    return {int(face): int(pupil) for face, pupil in faces.items() if pupil is not None and str(face).isdigit()}


def shown_pupils(media: DraftMedia, version: DraftVersion, published: Path, original: Path | None) -> list[int]:
    """Ids of the pupils recognisable in ``published`` (the copy of ``media``), once each.

    The check's record for this file, plus (photos) every tagged pupil whose
    face is measurably sharp in ``published``; ``original``: the unblurred
    file, read for comparison and never copied.
    """
    listed = [int(pid) for pid in (version.shown or {}).get(str(media.number), [])]
    if media.kind == MediaKind.PHOTO.value:
        listed += sharp_tagged_faces(media, tagged_faces(version.tags, media), published, original)
    return list(dict.fromkeys(listed))


def sharp_tagged_faces(media: DraftMedia, tagged: dict[int, int], published: Path, original: Path | None) -> list[int]:
    """The pupils of ``tagged`` (face index → id) whose face in ``published`` is as sharp as in ``original``."""
    if not tagged:
        return []
    before, after = _pixels(original), _pixels(published)
    sharp = []
    for face, pupil_id in sorted(tagged.items()):
        box = media.faces[face] if face < len(media.faces) else None
        if face_blurred(before, after, box) is False:
            sharp.append(pupil_id)
    return sharp


def _pixels(path: Path | None) -> np.ndarray | None:
    if path is None:
        return None
    try:
        return load_image(path)
    except (MediaError, OSError):
        return None


def sharpness(region: np.ndarray) -> float:
    """Variance of the Laplacian of ``region`` (H×W×3 RGB): high for detail, near 0 when blurred."""
    grey = region.astype(np.float64).mean(axis=2)
    laplacian = 4 * grey[1:-1, 1:-1] - grey[:-2, 1:-1] - grey[2:, 1:-1] - grey[1:-1, :-2] - grey[1:-1, 2:]
    return float(laplacian.var())


def face_blurred(original: np.ndarray | None, published: np.ndarray | None, box) -> bool | None:
    """Whether the face ``box`` (``[x, y, w, h]`` in pixels) is blurred in ``published``.

    Compares the sharpness of the inner half of the box with the original's;
    ``None`` when it cannot be told (missing image or box, different sizes,
    a region too small or too flat).
    """
    if original is None or published is None or box is None or original.shape != published.shape:
        return None
    x, y, w, h = (int(round(v)) for v in box[:4])
    top, left = max(0, y + h // 4), max(0, x + w // 4)
    bottom, right = min(original.shape[0], y + h - h // 4), min(original.shape[1], x + w - w // 4)
    if bottom - top < MIN_SIDE or right - left < MIN_SIDE:
        return None
    before = sharpness(original[top:bottom, left:right])
    if before < MIN_SHARPNESS:
        return None
    return sharpness(published[top:bottom, left:right]) < BLURRED_RATIO * before
