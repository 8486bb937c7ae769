"""The files of a publication: copies of the drafts' anonymised files, never the originals.

A publication's files live in ``MEDIA_ROOT/publicaties/<publication id>/``
as ``bestand-<number>.<ext>`` (our own names, never the uploader's). They are
copied from the draft's publishable folder ``MEDIA_ROOT/drafts/<draft
id>/publiceren/``; anything else (an original, a path outside that folder) is
refused. Photos are checked once more for EXIF/XMP metadata and written again
without it when some slipped through. Nothing here is served by a public URL.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from django.conf import settings
from PIL import Image, UnidentifiedImageError

from plaatsbaar.core.media.io import MediaError, load_image, save_image
from plaatsbaar.core.vocabulary import MediaKind
from plaatsbaar.web.drafts.models import DraftMedia

ROOT = "publicaties"
DRAFTS, PUBLISHABLE = "drafts", "publiceren"
_CONTENT_TYPES = {
    ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".webp": "image/webp", ".gif": "image/gif",
    ".bmp": "image/bmp", ".tif": "image/tiff", ".tiff": "image/tiff", ".mp4": "video/mp4", ".mov": "video/quicktime",
    ".webm": "video/webm", ".mkv": "video/x-matroska", ".wav": "audio/wav", ".mp3": "audio/mpeg", ".m4a": "audio/mp4",
    ".ogg": "audio/ogg",
}


class NotPublishable(ValueError):
    """A draft file without a usable anonymised version; ``str()`` is Dutch and names the file by number."""


def media_root() -> Path:
    """``MEDIA_ROOT`` as a resolved path."""
    return Path(settings.MEDIA_ROOT).resolve()


def publication_folder(publication_id: int) -> Path:
    """``MEDIA_ROOT/publicaties/<publication_id>/`` (not created)."""
    return media_root() / ROOT / str(publication_id)


def absolute(relative: str) -> Path:
    """The file ``relative`` (as stored in a model) under ``MEDIA_ROOT``."""
    return media_root() / relative


def publishable_source(media: DraftMedia) -> Path:
    """The anonymised file of ``media``, checked to be in its draft's publishable folder.

    Raises :class:`NotPublishable` when there is none, when it is the
    original or lies outside ``drafts/<draft id>/publiceren/``, or is missing.
    """
    problem = f"Bestand {media.number} heeft geen publiceerbare (vervaagde) versie; sla het concept opnieuw op."
    if not media.publishable:
        raise NotPublishable(problem)
    folder = media_root() / DRAFTS / str(media.draft_id) / PUBLISHABLE
    source = absolute(media.publishable).resolve()
    original = absolute(media.original).resolve() if media.original else None
    if source == original or not source.is_relative_to(folder) or not source.is_file():
        raise NotPublishable(problem)
    return source


def copy_publishable(media: DraftMedia, publication_id: int) -> str:
    """Copy the anonymised file of ``media`` into the publication's folder; returns the path relative
    to ``MEDIA_ROOT``. Raises :class:`NotPublishable` (see :func:`publishable_source`)."""
    source = publishable_source(media)
    folder = publication_folder(publication_id)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    target = folder / f"bestand-{media.number}{source.suffix.lower()}"
    shutil.copyfile(source, target)
    if media.kind == MediaKind.PHOTO.value:
        _strip_metadata(target, media.number)
    return target.relative_to(media_root()).as_posix()


def has_metadata(path: Path) -> bool:
    """Whether the photo at ``path`` carries EXIF or XMP metadata (GPS, camera, date …)."""
    with Image.open(path) as image:
        return bool(image.getexif()) or any(key in image.info for key in ("exif", "xmp", "XML:com.adobe.xmp"))


def _strip_metadata(path: Path, number: int) -> None:
    try:
        if has_metadata(path):
            save_image(path, load_image(path), like=path)
    except (MediaError, UnidentifiedImageError, OSError):
        path.unlink(missing_ok=True)
        raise NotPublishable(f"Bestand {number} kan niet gelezen worden; sla het concept opnieuw op.") from None


def remove_folder(publication_id: int) -> None:
    """Delete a publication's folder (after a failed publication); missing is fine."""
    shutil.rmtree(publication_folder(publication_id), ignore_errors=True)


def content_type(path: Path) -> str:
    """The MIME type for serving ``path`` (by extension; ``application/octet-stream`` when unknown)."""
    return _CONTENT_TYPES.get(path.suffix.lower(), "application/octet-stream")
