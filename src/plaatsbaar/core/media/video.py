"""Faces in video: scanning for analysis and blurring every frame.

Frames are decoded and encoded with the ffmpeg binary that ships with
imageio-ffmpeg. Decoding runs with ``-v error``: any decoding error (a
truncated or corrupt file) makes the whole video a :class:`MediaError`, so a
half-processed video is never mistaken for a complete one.

Blurring detects faces every ``detect_every`` frames and *carries* boxes over
neighbouring frames: a frame is blurred with the union of the boxes found on
every detection frame at most ``detect_every`` frames away (boxes from other
frames slightly enlarged), so a face missed on one frame or moving between
detections is still covered. The original audio is muxed back in unless
``keep_audio=False``; container metadata (e.g. GPS location) is dropped.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path

import imageio_ffmpeg
import numpy as np

from plaatsbaar.core.detectors.faces import FaceBox, FaceDetector, get_face_detector
from plaatsbaar.core.media.blur import MASK_SCALE, blur_faces
from plaatsbaar.core.media.io import MAX_PIXELS, MediaError, image_size

#: Boxes carried to a neighbouring frame grow by this fraction on each side.
CARRY_MARGIN = 0.15

#: Output containers we write, with their video and audio encoders.
CONTAINERS: dict[str, tuple[str, str]] = {
    ".mp4": ("libx264", "aac"),
    ".m4v": ("libx264", "aac"),
    ".mov": ("libx264", "aac"),
    ".mkv": ("libx264", "aac"),
    ".webm": ("libvpx-vp9", "libopus"),
}

_DEFAULT_FPS = 25.0
_STDERR_TAIL = 300

Progress = Callable[[int, "int | None"], None]


@dataclass(frozen=True)
class VideoInfo:
    """What the header says: frame size (pixels, after rotation), fps, duration (s), audio."""

    width: int
    height: int
    fps: float
    duration: float
    has_audio: bool

    @property
    def estimated_frames(self) -> int | None:
        """Frames expected from duration × fps, or ``None`` when unknown."""
        if self.fps > 0 and self.duration > 0:
            return max(1, round(self.fps * self.duration))
        return None

    @property
    def rate(self) -> str:
        """The frame rate as an exact ffmpeg rational (``"30000/1001"``)."""
        return str(Fraction(self.fps or _DEFAULT_FPS).limit_denominator(1001))


@dataclass(frozen=True)
class VideoSummary:
    """Result of :func:`blur_video`.

    ``frames``: frames written; ``max_faces``: most faces on one detection
    frame; ``detections``: faces found over all detection frames;
    ``detector_runs``: frames the detector ran on; ``audio_kept``: the output
    has the source's audio.
    """

    frames: int
    max_faces: int
    detections: int
    detector_runs: int
    audio_kept: bool


@dataclass(frozen=True)
class VideoScan:
    """Result of :func:`scan_video`: frames decoded, most faces on one sampled frame, fps, duration (s)."""

    frames: int
    max_faces: int
    fps: float
    duration: float
    sampled_frames: int


def _ffmpeg() -> str:
    return imageio_ffmpeg.get_ffmpeg_exe()


def probe_video(path: Path) -> VideoInfo:
    """Read the header of the video at ``path``.

    Raises :class:`MediaError` for a missing file, a photo, a file without a
    video stream, an unreadable header or a frame above the pixel limit.
    """
    path = Path(path)
    if not path.is_file():
        raise MediaError(f"{path}: bestand niet gevonden")
    if _is_photo(path):
        raise MediaError(f"{path}: is een foto, geen video (kind: photo)")
    reader = imageio_ffmpeg.read_frames(str(path))
    try:
        meta = next(reader)
    except Exception:  # imageio-ffmpeg raises IOError/IndexError/… on odd headers
        raise MediaError(f"{path}: geen leesbare video (beschadigd of geen videobestand)") from None
    finally:
        reader.close()
    width, height = meta["size"]
    if width <= 0 or height <= 0 or width * height > MAX_PIXELS:
        raise MediaError(f"{path}: ongeldige of te grote beeldmaat {width} × {height}")
    return VideoInfo(int(width), int(height), float(meta.get("fps") or 0.0),
                     float(meta.get("duration") or 0.0), "audio_codec" in meta)


def _is_photo(path: Path) -> bool:
    """True when ``path`` opens as a photo (ffmpeg would read it as a one-frame video)."""
    try:
        image_size(path)
    except MediaError as exc:
        return "te groot" in str(exc)
    return True


def iter_frames(path: Path, info: VideoInfo, size: tuple[int, int] | None = None) -> Iterator[np.ndarray]:
    """Decoded frames of ``path`` (H×W×3 uint8 RGB, read-only) at ``info.rate``.

    ``size`` = ``(width, height)`` asks ffmpeg to scale the frames down.
    Raises :class:`MediaError` when ffmpeg reports any decoding error or no frame.
    """
    width, height = size or (info.width, info.height)
    scale = ["-vf", f"scale={width}:{height}:flags=area"] if size else []
    command = [_ffmpeg(), "-nostdin", "-hide_banner", "-v", "error", "-i", str(path), "-map", "0:v:0",
               *scale, "-r", info.rate, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]
    frame_bytes = width * height * 3
    count = 0
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=errors)
        try:
            while chunk := process.stdout.read(frame_bytes):
                if len(chunk) < frame_bytes:
                    break
                count += 1
                yield np.frombuffer(chunk, dtype=np.uint8).reshape(height, width, 3)
            process.stdout.close()
            returncode = process.wait()
        finally:
            _stop(process)
        _check_decoded(path, returncode, _tail(errors), count, len(chunk))


def _check_decoded(path: Path, returncode: int, errors: str, frames: int, leftover: int) -> None:
    if returncode != 0 or errors or leftover:
        detail = f": {errors}" if errors else ""
        raise MediaError(f"{path}: video is beschadigd of onvolledig (na {frames} beelden){detail}")
    if frames == 0:
        raise MediaError(f"{path}: video bevat geen beelden")


def _tail(handle) -> str:
    handle.seek(0)
    text = handle.read().decode("utf-8", errors="replace").strip()
    return text[-_STDERR_TAIL:]


def _stop(process: subprocess.Popen) -> None:
    """Make sure an ffmpeg child is gone (killed when still running)."""
    if process.poll() is None:
        process.kill()
    process.wait()
    for stream in (process.stdin, process.stdout):
        if stream is not None:
            stream.close()


def scan_video(src: Path, sample_every: int = 5, detector: FaceDetector | None = None) -> VideoScan:
    """Count faces in a video without writing anything.

    Every frame is decoded (so a corrupt file is noticed); the detector runs on
    every ``sample_every``-th frame and the last one. Raises :class:`MediaError`.
    """
    if sample_every < 1:
        raise ValueError(f"sample_every moet minstens 1 zijn, niet {sample_every}")
    detector = detector or get_face_detector()
    info = probe_video(Path(src))
    size = _detection_size(info, detector.max_side)
    frames = sampled = max_faces = 0
    last = None
    for index, frame in enumerate(iter_frames(Path(src), info, size)):
        frames, last = index + 1, frame
        if index % sample_every == 0:
            sampled += 1
            max_faces = max(max_faces, len(detector.detect(frame)))
            last = None
    if last is not None:
        sampled += 1
        max_faces = max(max_faces, len(detector.detect(last)))
    return VideoScan(frames, max_faces, info.fps, info.duration, sampled)


def _detection_size(info: VideoInfo, max_side: int) -> tuple[int, int] | None:
    """The decode size that is just large enough for the detector (``None``: full size)."""
    scale = max_side / max(info.width, info.height)
    if scale >= 1.0:
        return None
    return max(1, round(info.width * scale)), max(1, round(info.height * scale))


def carried_boxes(
    frames: Iterable[np.ndarray], detect: Callable[[np.ndarray], list[FaceBox]], detect_every: int
) -> Iterator[tuple[np.ndarray, list[FaceBox], list[FaceBox] | None]]:
    """Yield ``(frame, boxes_to_blur, own_detections_or_None)`` for every frame, in order.

    The detector runs on frames 0, k, 2k … and on the last frame (k =
    ``detect_every``). ``boxes_to_blur`` is the union of the detections on
    every detection frame at most k frames away; boxes from other frames are
    enlarged by :data:`CARRY_MARGIN`. Frames are held back until the
    detection k frames ahead is known (at most 2k frames in memory).
    """
    pending: deque[tuple[int, np.ndarray]] = deque()
    found: dict[int, list[FaceBox]] = {}
    index = -1
    for index, frame in enumerate(frames):
        pending.append((index, frame))
        if index % detect_every == 0:
            found[index] = detect(frame)
            yield from _release(pending, found, detect_every, ready_until=index - detect_every)
    if pending and index not in found:
        found[index] = detect(pending[-1][1])
    yield from _release(pending, found, detect_every, ready_until=index)


def _release(pending: deque, found: dict[int, list[FaceBox]], every: int, ready_until: int):
    while pending and pending[0][0] <= ready_until:
        index, frame = pending.popleft()
        boxes = [
            box if detected == index else box.grown(CARRY_MARGIN)
            for detected, detected_boxes in found.items()
            if abs(detected - index) <= every
            for box in detected_boxes
        ]
        yield frame, boxes, found.get(index)
        for old in [d for d in found if d < index - every]:
            del found[old]


def blur_video(
    src: Path,
    dst: Path,
    progress: Progress | None = None,
    *,
    keep_audio: bool = True,
    detect_every: int = 1,
    detector: FaceDetector | None = None,
    mask_scale: float = MASK_SCALE,
) -> VideoSummary:
    """Write ``dst``: the video ``src`` with every detected face blurred in every frame.

    ``dst``'s extension picks the container (see :data:`CONTAINERS`).
    ``progress(done, total)`` is called per written frame (``total`` is an
    estimate or ``None``). The source audio is kept unless ``keep_audio`` is
    false. ``dst`` appears only when complete; on any error no output is left.
    Raises :class:`MediaError` for unreadable, truncated or corrupt input or a
    failed write.
    """
    src, dst = Path(src), Path(dst)
    if dst.suffix.lower() not in CONTAINERS:
        raise MediaError(f"{dst}: kan dit videoformaat niet schrijven; kies uit {', '.join(CONTAINERS)}")
    if detect_every < 1:
        raise ValueError(f"detect_every moet minstens 1 zijn, niet {detect_every}")
    detector = detector or get_face_detector()
    info = probe_video(src)
    with_audio = keep_audio and info.has_audio
    video_only = _temporary(dst, ".video.mkv" if with_audio else f".part{dst.suffix}")
    try:
        summary = _encode(src, video_only, info, detector, detect_every, mask_scale, progress)
        if with_audio:
            muxed = _temporary(dst, f".part{dst.suffix}")
            try:
                _mux_audio(video_only, src, muxed)
                os.replace(muxed, dst)
            finally:
                muxed.unlink(missing_ok=True)
        else:
            os.replace(video_only, dst)
    finally:
        video_only.unlink(missing_ok=True)
    return replace(summary, audio_kept=with_audio)


def _temporary(dst: Path, suffix: str) -> Path:
    """A new empty hidden file next to ``dst`` (same file system, so the final rename is atomic)."""
    try:
        descriptor, name = tempfile.mkstemp(prefix=f".{dst.name}.", suffix=suffix, dir=dst.parent)
    except OSError as exc:
        raise MediaError(f"{dst}: kan niet schrijven ({exc.strerror or exc.__class__.__name__})") from None
    os.close(descriptor)
    os.chmod(name, 0o644)
    return Path(name)


def _encode(src: Path, out: Path, info: VideoInfo, detector: FaceDetector, every: int,
            mask_scale: float, progress: Progress | None) -> VideoSummary:
    """Decode, blur and encode the video stream of ``src`` into ``out`` (no audio)."""
    even_w, even_h = info.width + info.width % 2, info.height + info.height % 2
    encoder = _start_encoder(out, (even_w, even_h), info)
    frames = max_faces = detections = runs = 0
    total = info.estimated_frames
    try:
        for frame, boxes, own in carried_boxes(iter_frames(src, info), detector.detect, every):
            if own is not None:
                runs, detections, max_faces = runs + 1, detections + len(own), max(max_faces, len(own))
            blurred = _even(blur_faces(frame, boxes, mask_scale))
            _send(encoder, blurred, out)
            frames += 1
            if progress is not None:
                progress(frames, total)
        _finish_encoder(encoder, out)
    finally:
        _stop(encoder.process)
        encoder.errors.close()
    return VideoSummary(frames, max_faces, detections, runs, False)


@dataclass
class _Encoder:
    process: subprocess.Popen
    errors: object  # a temporary file with ffmpeg's error output


def _start_encoder(out: Path, size: tuple[int, int], info: VideoInfo) -> _Encoder:
    video_codec, _ = CONTAINERS.get(out.suffix.lower(), CONTAINERS[".mkv"])
    quality = ["-crf", "20", "-preset", "veryfast"] if video_codec == "libx264" else ["-crf", "32", "-b:v", "0"]
    command = [_ffmpeg(), "-nostdin", "-hide_banner", "-v", "error", "-y",
               "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{size[0]}x{size[1]}", "-r", info.rate, "-i", "-",
               "-an", "-c:v", video_codec, *quality, "-pix_fmt", "yuv420p", "-map_metadata", "-1",
               *_faststart(out), str(out)]
    errors = tempfile.TemporaryFile()
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=errors)
    return _Encoder(process, errors)


def _faststart(out: Path) -> list[str]:
    return ["-movflags", "+faststart"] if out.suffix.lower() in {".mp4", ".m4v", ".mov"} else []


def _send(encoder: _Encoder, frame: np.ndarray, out: Path) -> None:
    try:
        encoder.process.stdin.write(np.ascontiguousarray(frame).data)
    except (BrokenPipeError, OSError):
        raise MediaError(f"{out}: video schrijven mislukt ({_tail(encoder.errors) or 'ffmpeg stopte'})") from None


def _finish_encoder(encoder: _Encoder, out: Path) -> None:
    try:
        encoder.process.stdin.close()
    except OSError:
        pass  # ffmpeg already stopped; its exit code tells why
    returncode = encoder.process.wait()
    if returncode != 0:
        detail = _tail(encoder.errors) or f"ffmpeg-code {returncode}"
        raise MediaError(f"{out}: video schrijven mislukt ({detail})")


def _even(frame: np.ndarray) -> np.ndarray:
    """Pad a frame with odd width/height by one edge pixel (yuv420p needs even sides)."""
    height, width = frame.shape[:2]
    if height % 2 == 0 and width % 2 == 0:
        return frame
    return np.pad(frame, ((0, height % 2), (0, width % 2), (0, 0)), mode="edge")


def _mux_audio(video: Path, src: Path, out: Path) -> None:
    """Combine the video stream of ``video`` with the audio of ``src`` into ``out``.

    The audio is copied as is; when the container does not accept that codec
    (or ffmpeg reports any error, e.g. a truncated sound track) it is
    re-encoded. Raises :class:`MediaError` when both fail.
    """
    _, audio_codec = CONTAINERS[out.suffix.lower()]
    errors = ""
    for codec in ("copy", audio_codec):
        command = [_ffmpeg(), "-nostdin", "-hide_banner", "-v", "error", "-y", "-i", str(video), "-i", str(src),
                   "-map", "0:v:0", "-map", "1:a:0", "-c:v", "copy", "-c:a", codec,
                   "-map_metadata", "-1", "-map_chapters", "-1", *_faststart(out), str(out)]
        result = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True)
        errors = result.stderr.decode("utf-8", errors="replace").strip()[-_STDERR_TAIL:]
        if result.returncode == 0 and not errors:
            return
    raise MediaError(f"{src}: geluid kon niet worden overgenomen; beschadigd of onvolledig? ({errors})")


#: File extensions treated as video (everything else is opened as a photo).
VIDEO_EXTENSIONS = frozenset({".mp4", ".m4v", ".mov", ".mkv", ".webm", ".avi", ".3gp", ".mpg", ".mpeg", ".wmv"})


def is_video(path: Path) -> bool:
    """True when ``path``'s extension is a video format (:data:`VIDEO_EXTENSIONS`)."""
    return Path(path).suffix.lower() in VIDEO_EXTENSIONS


def output_path_for(src: Path, dst: Path) -> Path:
    """``dst`` with the source's container, or ``.mp4`` when we cannot write that container."""
    suffix = Path(src).suffix.lower()
    return Path(dst).with_suffix(suffix if suffix in CONTAINERS else ".mp4")


def strip_video_metadata(src: Path, dst: Path) -> Path:
    """Copy the streams of ``src`` to ``dst`` unchanged but without container metadata (GPS …).

    Raises :class:`MediaError` for unreadable input or a failed write.
    """
    src, dst = Path(src), Path(dst)
    probe_video(src)
    partial = _temporary(dst, f".part{dst.suffix}")
    try:
        command = [_ffmpeg(), "-nostdin", "-hide_banner", "-v", "error", "-y", "-i", str(src),
                   "-map", "0:v:0", "-map", "0:a?", "-c", "copy", "-map_metadata", "-1", "-map_chapters", "-1",
                   *_faststart(dst), str(partial)]
        result = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True)
        if result.returncode != 0:
            errors = result.stderr.decode("utf-8", errors="replace").strip()[-_STDERR_TAIL:]
            raise MediaError(f"{src}: kopiëren zonder metadata mislukt ({errors})")
        os.replace(partial, dst)
    finally:
        partial.unlink(missing_ok=True)
    return dst


def check_audio(path: Path) -> None:
    """Decode the whole sound track of ``path`` to make sure it is a readable recording.

    Raises :class:`MediaError` for a missing file, no sound track or any decoding error.
    """
    path = Path(path)
    if not path.is_file():
        raise MediaError(f"{path}: bestand niet gevonden")
    command = [_ffmpeg(), "-nostdin", "-hide_banner", "-v", "error", "-i", str(path),
               "-map", "0:a:0", "-f", "null", "-"]
    result = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True)
    errors = result.stderr.decode("utf-8", errors="replace").strip()
    if result.returncode != 0 or errors:
        raise MediaError(f"{path}: geen leesbare geluidsopname ({errors[-_STDERR_TAIL:] or 'onbekende fout'})")
