"""The private files of drafts: originals, publishable versions and video stills.

Each draft has ``MEDIA_ROOT/drafts/<draft id>/`` with ``origineel/`` (the
uploads under our own names ``foto-1.jpg``, ``film-2.mp4``, ``geluid-3.wav``,
never the uploader's file name; for a video also the still ``film-2-beeld.jpg``
on which its faces are tagged) and ``publiceren/`` (blurred, metadata
stripped). Nothing here has a public URL; the drafts views serve the files
after a permission check. Paths in the database are relative to ``MEDIA_ROOT``.
"""

from __future__ import annotations

import subprocess
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import imageio_ffmpeg
import numpy as np
from django.conf import settings

from plaatsbaar.core.detectors.faces import FaceBox, get_face_detector
from plaatsbaar.core.media.analysis import MediaReport, write_fixed_media
from plaatsbaar.core.media.io import MediaError, load_image, save_image
from plaatsbaar.core.media.video import (
    blur_video,
    check_audio,
    is_video,
    iter_frames,
    output_path_for,
    probe_video,
    strip_video_metadata,
)
from plaatsbaar.core.vocabulary import MediaKind
from plaatsbaar.web.checks.storage import ORIGINAL, PUBLISHABLE, PhotoRejected, Workspace, save_photo

MB = 1024 * 1024
#: Upload limits per kind (photos: :data:`plaatsbaar.web.checks.storage.MAX_PHOTO_BYTES`).
MAX_VIDEO_BYTES = 200 * MB
MAX_AUDIO_BYTES = 50 * MB
#: Longer videos are refused: every save blurs the whole film.
MAX_VIDEO_SECONDS = 180
#: Video faces for tagging: the detector looks at every FRAME_STEP-th frame of the first SCAN_FRAMES.
FRAME_STEP, SCAN_FRAMES = 5, 300
AUDIO_EXTENSIONS = frozenset({".mp3", ".m4a", ".wav", ".ogg", ".oga", ".opus", ".aac", ".flac"})
_KIND_WORD = {MediaKind.PHOTO: "foto", MediaKind.VIDEO: "film", MediaKind.AUDIO: "geluid"}


class MediaRejected(ValueError):
    """An upload that is no usable photo, video or recording; the message is Dutch and names the file."""


@dataclass
class StoredMedia:
    """An accepted upload: its kind, original (relative to ``MEDIA_ROOT``), faces ``[[x, y, w, h], …]``
    (left to right; for video those on the still) and the picture size in pixels (``None`` for audio)."""

    kind: MediaKind
    original: str
    faces: list[list[int]] = field(default_factory=list)
    width: int | None = None
    height: int | None = None


def media_root() -> Path:
    """``MEDIA_ROOT`` as an absolute path."""
    return Path(settings.MEDIA_ROOT).resolve()


def draft_folder(draft_id: int) -> Path:
    """``MEDIA_ROOT/drafts/<draft_id>``: the draft's private folder."""
    return media_root() / "drafts" / str(int(draft_id))


def originals_folder(draft_id: int) -> Path:
    """Where a draft's originals are (created on first use, owner-only)."""
    folder = draft_folder(draft_id) / ORIGINAL
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def publishable_folder(draft_id: int) -> Path:
    """Where a draft's publishable files are written (created on first use)."""
    folder = draft_folder(draft_id) / PUBLISHABLE
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def relative(path: Path) -> str:
    """``path`` relative to ``MEDIA_ROOT`` (as stored in the database)."""
    return Path(path).resolve().relative_to(media_root()).as_posix()


def absolute(stored: str) -> Path:
    """The file for a stored relative path; raises ``ValueError`` for a path outside ``MEDIA_ROOT``."""
    root = media_root()
    path = (root / stored).resolve()
    if not stored or root not in path.parents:
        raise ValueError("bestandspad buiten de privémap")
    return path


def still_path(original: Path) -> Path:
    """The still of a video original: ``film-2.mp4`` → ``film-2-beeld.jpg`` (same folder)."""
    return original.with_name(f"{original.stem}-beeld.jpg")


def kind_of(file_name: str) -> MediaKind:
    """Photo, video or audio, by the extension of the uploaded file's name."""
    if is_video(Path(file_name)):
        return MediaKind.VIDEO
    if Path(file_name).suffix.lower() in AUDIO_EXTENSIONS:
        return MediaKind.AUDIO
    return MediaKind.PHOTO


def store_upload(draft_id: int, number: int, upload) -> StoredMedia:
    """Store an upload (a Django ``UploadedFile``) as file ``number`` of the draft and find its faces.

    Photos as ``foto-<n>.<ext>`` (formats and limits of the check page), videos
    as ``film-<n>.<ext>`` (at most :data:`MAX_VIDEO_BYTES` and
    :data:`MAX_VIDEO_SECONDS`), recordings as ``geluid-<n>.<ext>``. Raises
    :class:`MediaRejected` (Dutch, naming the file); nothing of a refused
    upload is kept.
    """
    kind = kind_of(upload.name)
    folder = originals_folder(draft_id)
    if kind is MediaKind.PHOTO:
        try:
            path = folder / save_photo(Workspace("", folder.parent), number, upload)
        except PhotoRejected as exc:
            raise MediaRejected(str(exc)) from None
        label = f"Foto {number} ({upload.name})"
    else:
        label = f"Bestand {number} ({upload.name})"
        limit = MAX_VIDEO_BYTES if kind is MediaKind.VIDEO else MAX_AUDIO_BYTES
        if upload.size > limit:
            raise MediaRejected(f"{label}: het bestand is groter dan {limit // MB} MB.")
        path = _write(upload, folder / f"{_KIND_WORD[kind]}-{number}{Path(upload.name).suffix.lower()}")
    readers = {MediaKind.PHOTO: _photo, MediaKind.VIDEO: _video, MediaKind.AUDIO: _audio}
    try:
        return readers[kind](path, label)
    except (MediaError, MediaRejected) as exc:
        path.unlink(missing_ok=True)
        still_path(path).unlink(missing_ok=True)
        if isinstance(exc, MediaRejected):
            raise
        raise MediaRejected(f"{label}: {_reason(exc, path)}.") from None


def _write(upload, target: Path) -> Path:
    with target.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return target


def _reason(exc: MediaError, path: Path) -> str:
    """A media error's reason without the server's folders."""
    return str(exc).replace(f"{path}: ", "").replace(str(path.parent), "")


def _photo(path: Path, label: str) -> StoredMedia:
    image = load_image(path)
    height, width = image.shape[:2]
    return StoredMedia(MediaKind.PHOTO, relative(path), detect_faces(image), width, height)


def _video(path: Path, label: str) -> StoredMedia:
    try:
        info = probe_video(path)
    except MediaError as exc:
        raise MediaRejected(f"{label}: dit is geen film die plaatsbaar kan openen ({_reason(exc, path)}).") from None
    if info.duration > MAX_VIDEO_SECONDS:
        raise MediaRejected(f"{label}: de film duurt langer dan {MAX_VIDEO_SECONDS // 60} minuten; kort hem eerst in.")
    try:
        frame, faces = first_frame_with_faces(path)
    except MediaError as exc:
        raise MediaRejected(f"{label}: de film is beschadigd of onvolledig ({_reason(exc, path)}).") from None
    save_image(still_path(path), frame)
    height, width = frame.shape[:2]
    return StoredMedia(MediaKind.VIDEO, relative(path), faces, width, height)


def _audio(path: Path, label: str) -> StoredMedia:
    try:
        check_audio(path)
    except MediaError as exc:
        raise MediaRejected(f"{label}: dit is geen geluidsopname die plaatsbaar kan openen ({_reason(exc, path)}).") from None
    return StoredMedia(MediaKind.AUDIO, relative(path))


def detect_faces(image: np.ndarray) -> list[list[int]]:
    """The faces in ``image`` (H×W×3 RGB) as ``[[x, y, w, h], …]`` in whole pixels, left to right."""
    boxes = get_face_detector().detect(image)
    return [_xywh(box) for box in sorted(boxes, key=lambda b: (b.x1, b.y1))]


def _xywh(box: FaceBox) -> list[int]:
    x, y = int(round(box.x1)), int(round(box.y1))
    return [x, y, int(round(box.x2)) - x, int(round(box.y2)) - y]


def first_frame_with_faces(path: Path) -> tuple[np.ndarray, list[list[int]]]:
    """The first sampled frame of a video with faces, and those faces (else the first frame and ``[]``).

    Looks at every :data:`FRAME_STEP`-th frame of the first :data:`SCAN_FRAMES`.
    Raises :class:`MediaError` for an unreadable video.
    """
    info = probe_video(path)
    first = None
    with closing(iter_frames(path, info)) as frames:
        for index, frame in enumerate(frames):
            if index >= SCAN_FRAMES:
                break
            if index % FRAME_STEP:
                continue
            first = frame if first is None else first
            faces = detect_faces(frame)
            if faces:
                return frame, faces
    if first is None:
        raise MediaError(f"{path}: video bevat geen beelden")
    return first, []


def write_publishable(draft_id: int, original: str, kind: MediaKind, report: MediaReport) -> str:
    """Write the publishable version of an original (relative path) from its check report; returns
    its relative path.

    Photos: the report's faces to blur blurred, metadata stripped (rewritten on
    every save). Videos: every face blurred when any face is to be blurred,
    else a copy without metadata; written once per state (``film-1-vervaagd.mp4``
    / ``film-1-kopie.mp4``), the other state's file is removed. Recordings: a
    copy without metadata. Raises :class:`MediaError`.
    """
    source = absolute(original)
    target_folder = publishable_folder(draft_id)
    if kind is MediaKind.PHOTO:
        return relative(write_fixed_media(report, source.parent, target_folder))
    if kind is MediaKind.VIDEO:
        return relative(_publishable_video(source, target_folder, blurred=report.faces_to_blur > 0))
    target = target_folder / source.name
    if not target.is_file():
        strip_audio_metadata(source, target)
    return relative(target)


def _publishable_video(source: Path, folder: Path, *, blurred: bool) -> Path:
    def variant(state: str) -> Path:
        return output_path_for(source, folder / f"{source.stem}-{state}{source.suffix}")

    target, other = (variant("vervaagd"), variant("kopie")) if blurred else (variant("kopie"), variant("vervaagd"))
    other.unlink(missing_ok=True)
    if not target.is_file():
        if blurred:
            blur_video(source, target)
        else:
            strip_video_metadata(source, target)
    return target


def strip_audio_metadata(source: Path, target: Path) -> Path:
    """Copy the sound of ``source`` to ``target`` without metadata (tags, location); raises :class:`MediaError`."""
    partial = target.with_name(f".{target.name}.part{target.suffix}")
    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-nostdin", "-hide_banner", "-v", "error", "-y", "-i", str(source),
               "-map", "0:a:0", "-c", "copy", "-map_metadata", "-1", "-fflags", "+bitexact", str(partial)]
    result = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True)
    if result.returncode != 0:
        partial.unlink(missing_ok=True)
        raise MediaError(f"{source.name}: kopiëren zonder metadata mislukt")
    partial.replace(target)
    return target
