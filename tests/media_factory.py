"""Real test media built from a real photo: NASA's portrait of astronaut Eileen
Collins (``skimage.data.astronaut()``, public domain, 512 × 512, one face).

Group photos put astronauts side by side; videos move an astronaut across the
frame; recordings are a plain tone made with the standard ``wave`` module.
"""

from __future__ import annotations

import math
import struct
import subprocess
import wave
from functools import lru_cache
from pathlib import Path

import imageio_ffmpeg
import numpy as np
from PIL import Image

#: Where the face is in ``astronaut()`` (x1, y1, x2, y2), as CenterFace finds it, rounded outwards.
ASTRONAUT_FACE = (175, 55, 275, 185)
TILE = 512

#: The standard test video: seconds and frames per second.
VIDEO_SECONDS, VIDEO_FPS = 3, 10


@lru_cache(maxsize=1)
def _astronaut() -> np.ndarray:
    from skimage import data

    image = data.astronaut()
    image.setflags(write=False)
    return image


def astronaut() -> np.ndarray:
    """The astronaut photo: 512 × 512 × 3 uint8 RGB, one face (a fresh copy)."""
    return _astronaut().copy()


def shrink(image: np.ndarray, factor: int) -> np.ndarray:
    """``image`` made ``factor`` times smaller (box average, no extra dependency)."""
    h, w = image.shape[0] // factor * factor, image.shape[1] // factor * factor
    blocks = image[:h, :w].reshape(h // factor, factor, w // factor, factor, 3)
    return blocks.mean(axis=(1, 3)).round().astype(np.uint8)


def astronaut_group(n: int, small: int = 0) -> np.ndarray:
    """``n`` astronauts side by side: 512 × (512·n) × 3 uint8 RGB with ``n`` faces.

    The last ``small`` of them are drawn at half size, centred in their tile on
    a grey background (still one face each).
    """
    tiles = []
    for index in range(n):
        if index >= n - small:
            tile = np.full((TILE, TILE, 3), 128, dtype=np.uint8)
            tile[TILE // 4 : TILE // 4 + TILE // 2, TILE // 4 : TILE // 4 + TILE // 2] = shrink(_astronaut(), 2)
        else:
            tile = astronaut()
        tiles.append(tile)
    return np.concatenate(tiles, axis=1)


def face_box(index: int) -> tuple[int, int, int, int]:
    """The face of astronaut ``index`` (full size) in :func:`astronaut_group`, as ``[x, y, w, h]``."""
    x1, y1, x2, y2 = ASTRONAUT_FACE
    return (index * TILE + x1, y1, x2 - x1, y2 - y1)


def write_group_photo(path: Path, n: int, exif: Image.Exif | None = None, quality: int = 92) -> Path:
    """Write :func:`astronaut_group` ``(n)`` to ``path`` (format by extension; JPEG for .jpg)."""
    picture = Image.fromarray(astronaut_group(n))
    options = {"quality": quality} if Path(path).suffix.lower() in {".jpg", ".jpeg"} else {}
    if exif is not None:
        options["exif"] = exif
    picture.save(path, **options)
    return Path(path)


def gps_exif() -> Image.Exif:
    """EXIF with camera make, a date and a GPS position (a school yard in Utrecht)."""
    exif = Image.Exif()
    exif[0x010F] = "TestCamera"  # Make
    exif[0x0132] = "2024:05:01 10:00:00"  # DateTime
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (52.0, 5.0, 30.0)  # latitude
    gps[3], gps[4] = "E", (5.0, 7.0, 15.0)  # longitude
    return exif


def moving_astronaut_frames(seconds: float, fps: int, size: tuple[int, int] = (640, 360)) -> list[np.ndarray]:
    """Frames of a half-size astronaut sliding from left to right over a grey background."""
    width, height = size
    face = shrink(_astronaut(), 2)  # 256 × 256
    count = max(1, round(seconds * fps))
    frames = []
    for index in range(count):
        frame = np.full((height, width, 3), 90, dtype=np.uint8)
        x = round(index * (width - face.shape[1]) / max(1, count - 1))
        y = (height - face.shape[0]) // 2
        frame[y : y + face.shape[0], x : x + face.shape[1]] = face
        frames.append(frame)
    return frames


def write_wav(path: Path, seconds: float, rate: int = 16_000, frequency: float = 440.0) -> Path:
    """A mono 16-bit tone of ``seconds`` at ``frequency`` Hz, written with the stdlib ``wave`` module."""
    samples = int(seconds * rate)
    data = b"".join(
        struct.pack("<h", int(12_000 * math.sin(2 * math.pi * frequency * i / rate))) for i in range(samples)
    )
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(rate)
        handle.writeframes(data)
    return Path(path)


def write_video(path: Path, seconds: float, fps: int, audio: bool = True, location: bool = False) -> Path:
    """An H.264 video of :func:`moving_astronaut_frames` (with an AAC tone when ``audio``).

    ``location`` adds a GPS ``location`` tag to the container metadata (like a phone does).
    """
    path = Path(path)
    frames = moving_astronaut_frames(seconds, fps)
    height, width = frames[0].shape[:2]
    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-nostdin", "-v", "error", "-y",
               "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{width}x{height}", "-r", str(fps), "-i", "-"]
    tone = path.with_name(path.stem + ".tone.wav")
    if audio:
        write_wav(tone, seconds)
        command += ["-i", str(tone), "-map", "0:v", "-map", "1:a", "-c:a", "aac", "-shortest"]
    if location:
        command += ["-metadata", "location=+52.0900+005.1200/"]
    command += ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-crf", "18", str(path)]
    try:
        subprocess.run(command, input=b"".join(f.tobytes() for f in frames), check=True, capture_output=True)
    finally:
        tone.unlink(missing_ok=True)
    return path
