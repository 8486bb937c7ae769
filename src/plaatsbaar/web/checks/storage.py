"""Private working folders for checked photos: originals and their publishable versions.

Each check with photos gets ``MEDIA_ROOT/checks/<random token>/`` with
``origineel/`` (the uploads, under our own names ``foto-1.jpg`` …, never the
uploader's file name) and ``publiceren/`` (blurred, metadata stripped). Nothing
here is served by a public URL: the token is remembered in the uploader's
session and files are served only to that session (see ``views.file``).
Folders older than :data:`RETENTION` are deleted at the next check (least data).
"""

from __future__ import annotations

import re
import secrets
import shutil
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from PIL import Image

from plaatsbaar.core.media.io import READ_FORMATS, MediaError, image_size

ORIGINAL, PUBLISHABLE = "origineel", "publiceren"
RETENTION = timedelta(hours=24)
SESSION_KEY = "plaatsbaar_checks"
MAX_PHOTO_BYTES = 25 * 1024 * 1024
_KEEP_IN_SESSION = 20
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{22}$")
_FILE_NAME = re.compile(r"^foto-\d+\.[a-z]{3,4}$")
_EXTENSIONS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif", "BMP": "bmp", "TIFF": "tif"}


class PhotoRejected(ValueError):
    """An upload that is no usable photo; the Dutch message names the photo."""


@dataclass(frozen=True)
class Workspace:
    """One check's private folder, named by a random token."""

    token: str
    path: Path

    @property
    def originals(self) -> Path:
        """Where the uploaded originals are."""
        return self.path / ORIGINAL

    @property
    def publishable(self) -> Path:
        """Where the blurred, metadata-free versions are written."""
        return self.path / PUBLISHABLE


def checks_root() -> Path:
    """``MEDIA_ROOT/checks``: the parent of every workspace."""
    return Path(settings.MEDIA_ROOT) / "checks"


def new_workspace(session) -> Workspace:
    """A fresh private folder, remembered in ``session`` (a Django session) as the uploader's."""
    token = secrets.token_urlsafe(16)
    workspace = Workspace(token, checks_root() / token)
    workspace.originals.mkdir(parents=True, mode=0o700)
    workspace.publishable.mkdir(mode=0o700)
    tokens = [t for t in session.get(SESSION_KEY, []) if t != token][-(_KEEP_IN_SESSION - 1):]
    session[SESSION_KEY] = [*tokens, token]
    return workspace


def owned_workspace(session, token: str) -> Workspace | None:
    """The workspace ``token`` when it was made in this session and still exists, else ``None``."""
    if not _TOKEN.match(token) or token not in session.get(SESSION_KEY, []):
        return None
    workspace = Workspace(token, checks_root() / token)
    return workspace if workspace.path.is_dir() else None


def owned_file(session, token: str, which: str, name: str) -> Path | None:
    """A file of a workspace of this session (``which``: original or publishable), else ``None``."""
    workspace = owned_workspace(session, token)
    if workspace is None or which not in (ORIGINAL, PUBLISHABLE) or not _FILE_NAME.match(name):
        return None
    path = workspace.path / which / name
    return path if path.is_file() else None


def discard(session, token: str) -> bool:
    """Delete a workspace of this session now; False when it is not this session's."""
    workspace = owned_workspace(session, token)
    if workspace is None:
        return False
    shutil.rmtree(workspace.path, ignore_errors=True)
    session[SESSION_KEY] = [t for t in session.get(SESSION_KEY, []) if t != token]
    return True


def purge_expired(now: float | None = None) -> int:
    """Delete workspaces older than :data:`RETENTION`; returns how many were deleted."""
    root = checks_root()
    if not root.is_dir():
        return 0
    limit = (now if now is not None else time.time()) - RETENTION.total_seconds()
    removed = 0
    for folder in root.iterdir():
        if folder.is_dir() and _TOKEN.match(folder.name) and folder.stat().st_mtime < limit:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


def save_photo(workspace: Workspace, number: int, upload) -> str:
    """Store an uploaded photo (a Django ``UploadedFile``) as ``foto-<number>.<ext>``; returns that name.

    Only photos that :mod:`plaatsbaar.core.media.io` opens safely are kept (JPEG,
    PNG, WEBP, GIF, BMP, TIFF; no decompression bombs). Raises
    :class:`PhotoRejected` (Dutch, naming the photo by number and file name).
    """
    label = f"Foto {number} ({upload.name})"
    if upload.size > MAX_PHOTO_BYTES:
        raise PhotoRejected(f"{label}: het bestand is groter dan {MAX_PHOTO_BYTES // (1024 * 1024)} MB.")
    staging = workspace.originals / f"foto-{number}.upload"
    with staging.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    try:
        image_size(staging)
        with Image.open(staging, formats=READ_FORMATS) as image:
            extension = _EXTENSIONS.get(image.format or "", "")
    except MediaError as exc:
        staging.unlink(missing_ok=True)
        reason = str(exc).removeprefix(f"{staging}: ")
        raise PhotoRejected(f"{label}: dit is geen foto die plaatsbaar kan openen ({reason}).") from None
    if not extension:
        staging.unlink(missing_ok=True)
        raise PhotoRejected(f"{label}: dit bestandsformaat wordt niet ondersteund.")
    name = f"foto-{number}.{extension}"
    staging.rename(workspace.originals / name)
    return name
