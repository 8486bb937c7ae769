"""The private files of drafts: originals, publishable versions and video stills.

Each draft has ``MEDIA_ROOT/drafts/<draft id>/`` with ``origineel/`` (the
uploads under our own names ``foto-1.jpg``, ``film-2.mp4``, ``geluid-3.wav``,
never the uploader's file name; for a video also the still ``film-2-beeld.jpg``
on which its faces are tagged) and ``publiceren/`` (blurred, metadata
stripped). Nothing here has a public URL; the drafts views serve the files
after a permission check. Paths in the database are relative to ``MEDIA_ROOT``.

Whether an upload is a photo, a film or a recording is decided by its
content, not its name: what Pillow opens is a photo, else ffmpeg's streams
decide (a picture stream: film; sound only: recording).
"""

from __future__ import annotations

import re
import subprocess
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import imageio_ffmpeg
import numpy as np
from django.conf import settings

from plaatsbaar.core.detectors.faces import FaceBox, get_face_detector
from plaatsbaar.core.media.analysis import MediaReport, write_fixed_media
from plaatsbaar.core.media.io import READ_FORMATS, MediaError, image_size, load_image, save_image
from plaatsbaar.core.media.video import (
    VIDEO_EXTENSIONS,
    blur_video,
    check_audio,
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
PHOTO_EXTENSIONS = frozenset({".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp", ".tif", ".tiff", ".heic", ".heif"})
#: The file name extension for a film or recording whose name does not fit its content, by ffmpeg's format.
_FORMAT_EXTENSIONS = {
    MediaKind.VIDEO: {"mov,mp4,m4a,3gp,3g2,mj2": ".mp4", "matroska,webm": ".mkv", "avi": ".avi", "mpeg": ".mpg"},
    MediaKind.AUDIO: {"wav": ".wav", "mp3": ".mp3", "ogg": ".ogg", "flac": ".flac", "aac": ".aac",
                      "mov,mp4,m4a,3gp,3g2,mj2": ".m4a"},
}
#: Seconds ffmpeg may take to read an upload's header.
PROBE_TIMEOUT = 30
_KIND_WORD = {MediaKind.PHOTO: "foto", MediaKind.VIDEO: "film", MediaKind.AUDIO: "geluid"}
_EXPECTED = {
    MediaKind.PHOTO: f"dit is geen foto die plaatsbaar kan openen (verwacht {', '.join(READ_FORMATS)})",
    MediaKind.VIDEO: "dit is geen film die plaatsbaar kan openen (beschadigd of een onbekend formaat; "
                     "verwacht bijvoorbeeld MP4, MOV of WEBM)",
    MediaKind.AUDIO: "dit is geen geluidsopname die plaatsbaar kan openen (beschadigd of een onbekend formaat; "
                     "verwacht bijvoorbeeld MP3, M4A, WAV, OGG of FLAC)",
    None: "dit is geen foto, film of geluidsopname die plaatsbaar kan openen (verwacht een foto als JPEG of PNG, "
          "een film als MP4 of MOV, of een geluidsopname als MP3, M4A of WAV)",
}
_STREAM = re.compile(r"^\s*Stream #\d+:\d+\S*: (Video|Audio): (.*)$", re.MULTILINE)
_FORMAT = re.compile(r"^Input #0, (.+?), from '", re.MULTILINE)


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


def kind_by_name(file_name: str) -> MediaKind | None:
    """What an upload's name promises (photo, video, audio), or ``None`` for an extension we do not know;
    only used to say what was expected when the content is none of them."""
    suffix = Path(file_name).suffix.lower()
    if suffix in VIDEO_EXTENSIONS:
        return MediaKind.VIDEO
    if suffix in AUDIO_EXTENSIONS:
        return MediaKind.AUDIO
    return MediaKind.PHOTO if suffix in PHOTO_EXTENSIONS else None


@dataclass(frozen=True)
class Probe:
    """What ffmpeg reads from a file's header: its container format (``"wav"``, ``"mov,mp4,…"``) and
    whether it has a moving picture and sound."""

    format: str
    video: bool
    audio: bool


def probe_streams(path: Path) -> Probe | None:
    """The container and streams of ``path`` by ffmpeg, or ``None`` when ffmpeg cannot open it.

    A cover picture of a recording (``attached pic``) and single pictures
    (``image2``, ``*_pipe``) do not count as a moving picture.
    """
    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-nostdin", "-hide_banner", "-i", str(path)]
    try:
        result = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, timeout=PROBE_TIMEOUT)
    except subprocess.TimeoutExpired:
        return None
    text = result.stderr.decode("utf-8", errors="replace")
    found = _FORMAT.search(text)
    if found is None:
        return None
    container = found.group(1)
    picture = container == "image2" or container.endswith("_pipe")
    streams = _STREAM.findall(text)
    video = not picture and any(kind == "Video" and "(attached pic)" not in rest for kind, rest in streams)
    return Probe(container, video, any(kind == "Audio" for kind, _ in streams))


def kind_of(path: Path) -> tuple[MediaKind, Probe | None] | None:
    """Photo, video or audio by the content of ``path``, with ffmpeg's probe (``None`` for photos);
    ``None`` when it is none of them.

    A photo: Pillow opens it (an image too large to open is a photo too, so
    that it is refused as one). Else a moving picture makes it a video and
    sound alone a recording.
    """
    try:
        image_size(path)
        return MediaKind.PHOTO, None
    except MediaError as exc:
        if "te groot" in str(exc):
            return MediaKind.PHOTO, None
    probe = probe_streams(path)
    if probe is None:
        return None
    if probe.video:
        return MediaKind.VIDEO, probe
    return (MediaKind.AUDIO, probe) if probe.audio else None


def _extension(kind: MediaKind, name: str, probe: Probe) -> str | None:
    """The upload's own extension when it fits ``kind``, else one for its container (``None``: unknown)."""
    suffix = Path(name).suffix.lower()
    if suffix in (VIDEO_EXTENSIONS if kind is MediaKind.VIDEO else AUDIO_EXTENSIONS):
        return suffix
    return _FORMAT_EXTENSIONS[kind].get(probe.format)


def _label(kind: MediaKind | None, number: int, name: str) -> str:
    return f"{'Foto' if kind is MediaKind.PHOTO else 'Bestand'} {number} ({name})"


def store_upload(draft_id: int, number: int, upload) -> StoredMedia:
    """Store an upload (a Django ``UploadedFile``) as file ``number`` of the draft and find its faces.

    The kind is decided by the content (:func:`kind_of`). Photos as
    ``foto-<n>.<ext>`` (formats and limits of the check page), videos as
    ``film-<n>.<ext>`` (at most :data:`MAX_VIDEO_BYTES` and
    :data:`MAX_VIDEO_SECONDS`), recordings as ``geluid-<n>.<ext>`` (at most
    :data:`MAX_AUDIO_BYTES`). Raises :class:`MediaRejected` (Dutch, naming the
    file and, for content that is none of them, what was expected); nothing of
    a refused upload is kept.
    """
    if upload.size > MAX_VIDEO_BYTES:
        label = _label(None, number, upload.name)
        raise MediaRejected(f"{label}: het bestand is groter dan {MAX_VIDEO_BYTES // MB} MB.")
    folder = originals_folder(draft_id)
    staging = _write(upload, folder / f".upload-{number}.part")
    try:
        found = kind_of(staging)
        if found is None:
            expected = kind_by_name(upload.name)
            raise MediaRejected(f"{_label(expected, number, upload.name)}: {_EXPECTED[expected]}.")
        kind, probe = found
        if kind is MediaKind.PHOTO:
            path = _store_photo(folder, number, upload)
        else:
            path = _store_sound_or_film(staging, folder, number, upload, kind, probe)
    finally:
        staging.unlink(missing_ok=True)
    return _read(kind, path, _label(kind, number, upload.name))


def _store_photo(folder: Path, number: int, upload) -> Path:
    try:
        return folder / save_photo(Workspace("", folder.parent), number, upload)
    except PhotoRejected as exc:
        raise MediaRejected(str(exc)) from None


def _store_sound_or_film(staging: Path, folder: Path, number: int, upload, kind: MediaKind, probe: Probe) -> Path:
    label = _label(kind, number, upload.name)
    limit = MAX_VIDEO_BYTES if kind is MediaKind.VIDEO else MAX_AUDIO_BYTES
    if upload.size > limit:
        raise MediaRejected(f"{label}: het bestand is groter dan {limit // MB} MB.")
    extension = _extension(kind, upload.name, probe)
    if extension is None:
        raise MediaRejected(f"{label}: {_EXPECTED[kind]}.")
    return staging.rename(folder / f"{_KIND_WORD[kind]}-{number}{extension}")


def _read(kind: MediaKind, path: Path, label: str) -> StoredMedia:
    """Read a stored original (faces, size); removes it (and a still) and raises :class:`MediaRejected`
    when it cannot be read."""
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
    except MediaError:
        raise MediaRejected(f"{label}: de film is beschadigd of onvolledig.") from None
    save_image(still_path(path), frame)
    height, width = frame.shape[:2]
    return StoredMedia(MediaKind.VIDEO, relative(path), faces, width, height)


def _audio(path: Path, label: str) -> StoredMedia:
    try:
        check_audio(path)
    except MediaError:  # its message is ffmpeg's own output, with the server's folders
        raise MediaRejected(f"{label}: de geluidsopname is beschadigd of onvolledig.") from None
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


def files_of(draft_id: int, original: str) -> list[Path]:
    """Every file of one media item of the draft: the original (relative path), a video's still and
    each publishable version (``publiceren/`` files named after the original: ``film-2.mp4`` →
    ``film-2-vervaagd.mp4``, ``film-2-kopie.mp4``; ``foto-1.jpg`` → ``foto-1.jpg``)."""
    source = absolute(original)
    found = [source, still_path(source)]
    published = draft_folder(draft_id) / PUBLISHABLE
    if published.is_dir():
        found += [path for path in published.iterdir()
                  if path.stem == source.stem or path.stem.startswith(f"{source.stem}-")]
    return found


def remove_files(paths: list[Path]) -> None:
    """Delete these files (missing ones are skipped)."""
    for path in paths:
        path.unlink(missing_ok=True)
