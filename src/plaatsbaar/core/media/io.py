"""Safe reading and writing of photos.

Reading refuses what could hurt us: missing or unreadable files, formats we
do not expect (only common photo formats are opened), decompression bombs
(refused from the header, before any pixel is decoded) and truncated files.
Writing keeps the format of the file name, strips EXIF/GPS/XMP and comments
(least data) and replaces the target only when the file is complete.
"""

from __future__ import annotations

import os
import tempfile
import warnings
import zlib
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

#: Photos larger than this are refused before decoding (a 12 MP phone photo is far below).
MAX_PIXELS = 40_000_000

#: Formats we open; others (EPS, PDF …) may run external programs or are not photos.
READ_FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "BMP", "TIFF")

_WRITE_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "BMP", "TIFF"}
_JPEG_QUALITY = 92


class MediaError(ValueError):
    """A media file we cannot (safely) use; the Dutch message names the file."""


def _open_checked(path: Path) -> Image.Image:
    """Open ``path`` lazily (header only) and refuse missing files, non-images and bombs."""
    if not path.exists():
        raise MediaError(f"{path}: bestand niet gevonden")
    if not path.is_file():
        raise MediaError(f"{path}: is geen bestand")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(path, formats=READ_FORMATS)
    except Image.DecompressionBombError:
        raise MediaError(f"{path}: afbeelding te groot (meer dan {MAX_PIXELS // 1_000_000} megapixel)") from None
    except UnidentifiedImageError:
        raise MediaError(f"{path}: geen (ondersteunde) afbeelding; verwacht {', '.join(READ_FORMATS)}") from None
    except OSError as exc:
        raise MediaError(f"{path}: kan bestand niet lezen ({exc.__class__.__name__})") from None
    width, height = image.size
    if width * height > MAX_PIXELS:
        image.close()
        raise MediaError(
            f"{path}: afbeelding te groot ({width} × {height} pixels, meer dan "
            f"{MAX_PIXELS // 1_000_000} megapixel); verklein de foto eerst"
        )
    return image


def image_size(path: Path) -> tuple[int, int]:
    """``(width, height)`` from the header of ``path``; raises :class:`MediaError`."""
    with _open_checked(Path(path)) as image:
        return image.size


def load_image(path: Path) -> np.ndarray:
    """The photo at ``path`` as H×W×3 uint8 RGB, EXIF orientation applied.

    Raises :class:`MediaError` (Dutch, naming the file) for a missing file, a
    file that is not a supported image, an image above :data:`MAX_PIXELS`
    (checked from the header, before decoding) or a truncated/corrupt file.
    """
    path = Path(path)
    with _open_checked(path) as image:
        try:
            image.load()
            upright = ImageOps.exif_transpose(image)
            rgb = upright.convert("RGB")
        except (OSError, SyntaxError, ValueError, EOFError, zlib.error) as exc:
            raise MediaError(f"{path}: afbeelding is beschadigd of onvolledig ({exc})") from None
        return np.array(rgb, dtype=np.uint8)


def _format_for(path: Path, like: Path | None) -> str:
    """The PIL format to write ``path`` in: by its extension, else like ``like``."""
    fmt = Image.registered_extensions().get(path.suffix.lower())
    if fmt == "MPO":
        fmt = "JPEG"
    if fmt in _WRITE_FORMATS:
        return fmt
    if like is not None:
        with _open_checked(Path(like)) as source:
            fmt = "JPEG" if source.format == "MPO" else source.format
        if fmt in _WRITE_FORMATS:
            return fmt
    raise MediaError(f"{path}: onbekend afbeeldingsformaat {path.suffix!r}; gebruik .jpg, .png of .webp")


def _colour_profile(like: Path | None) -> bytes | None:
    """The ICC colour profile of ``like`` (not personal data; keeps colours right)."""
    if like is None:
        return None
    try:
        with _open_checked(Path(like)) as source:
            return source.info.get("icc_profile")
    except MediaError:
        return None


def save_image(path: Path, image: np.ndarray, like: Path | None = None) -> Path:
    """Write ``image`` (H×W×3 uint8 RGB) to ``path`` without EXIF/GPS/XMP metadata.

    The format follows ``path``'s extension (else that of ``like``, the source
    photo, whose colour profile is kept). The file appears only when complete.
    Returns ``path``; raises :class:`MediaError` for an unknown format or a
    failed write.
    """
    path = Path(path)
    fmt = _format_for(path, like)
    picture = Image.fromarray(np.ascontiguousarray(image, dtype=np.uint8), mode="RGB")
    options: dict[str, object] = {}
    profile = _colour_profile(like)
    if profile and fmt in {"JPEG", "PNG", "WEBP", "TIFF"}:
        options["icc_profile"] = profile
    if fmt in {"JPEG", "WEBP"}:
        options["quality"] = _JPEG_QUALITY
    _write_atomically(path, lambda handle: picture.save(handle, format=fmt, **options))
    return path


def _write_atomically(path: Path, write) -> None:
    """Call ``write(handle)`` on a temporary file next to ``path``, then rename it into place."""
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as exc:
        raise MediaError(f"{path}: kan niet schrijven ({exc.strerror or exc.__class__.__name__})") from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            write(handle)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except (OSError, ValueError) as exc:
        Path(temporary).unlink(missing_ok=True)
        raise MediaError(f"{path}: kan niet schrijven ({exc})") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
