"""Blurring faces so that they cannot be recognised.

Like ``deface``'s default: every face box is enlarged by ``mask_scale``
(each side moves out by ``mask_scale - 1`` times the box size, as deface's
``--mask-scale``) and the ellipse inside it is replaced by a heavy blur
(two box blurs with a kernel half the size of the enlarged box, computed from
the region itself). Pixels outside the ellipses stay exactly as they were.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import cv2
import numpy as np

from plaatsbaar.core.detectors.faces import FaceBox, FaceDetector, as_rgb, get_face_detector
from plaatsbaar.core.media.io import load_image, save_image

#: Default enlargement of a face box before blurring (deface's default).
MASK_SCALE = 1.3

_BLUR_PASSES = 2


def mask_box(box: FaceBox, mask_scale: float = MASK_SCALE) -> FaceBox:
    """The area that is blurred for ``box``: each side moved out by ``(mask_scale - 1)`` × the box size."""
    return box.grown(mask_scale - 1.0)


def blur_faces(image: np.ndarray, boxes: Iterable[FaceBox], mask_scale: float = MASK_SCALE) -> np.ndarray:
    """A copy of ``image`` (H×W×3 uint8 RGB) with an elliptic heavy blur over every box.

    ``boxes`` are in pixels of ``image``; the enlarged ellipses are clipped to
    the image. The input array is not changed. Raises ``ValueError`` for an
    array that is not an image or a ``mask_scale`` below 1.
    """
    if mask_scale < 1.0:
        raise ValueError(f"mask_scale moet minstens 1 zijn, niet {mask_scale}")
    result = as_rgb(image).copy()
    for box in boxes:
        blur_ellipse(result, mask_box(box, mask_scale))
    return result


def blur_ellipse(frame: np.ndarray, area: FaceBox) -> None:
    """Blur, in place, the ellipse inscribed in ``area`` (pixels; may reach outside ``frame``)."""
    height, width = frame.shape[:2]
    top, bottom = max(0, int(np.floor(area.y1))), min(height, int(np.ceil(area.y2)))
    left, right = max(0, int(np.floor(area.x1))), min(width, int(np.ceil(area.x2)))
    if bottom <= top or right <= left or area.width < 1 or area.height < 1:
        return
    region = frame[top:bottom, left:right]
    blurred = _heavy_blur(region, area.width, area.height)
    inside = _ellipse_mask(area, top, bottom, left, right)
    region[inside] = blurred[inside]


def _heavy_blur(region: np.ndarray, area_width: float, area_height: float) -> np.ndarray:
    """``region`` blurred with box kernels half the size of the (unclipped) area."""
    kernel = (max(1, int(area_width) // 2), max(1, int(area_height) // 2))
    blurred = region
    for _ in range(_BLUR_PASSES):
        blurred = cv2.blur(blurred, kernel)
    return blurred


def _ellipse_mask(area: FaceBox, top: int, bottom: int, left: int, right: int) -> np.ndarray:
    """Boolean mask (rows top..bottom, columns left..right) of pixel centres inside the ellipse."""
    centre_x, centre_y = area.centre
    radius_x, radius_y = area.width / 2, area.height / 2
    rows = (np.arange(top, bottom) + 0.5 - centre_y) / radius_y
    cols = (np.arange(left, right) + 0.5 - centre_x) / radius_x
    return rows[:, None] ** 2 + cols[None, :] ** 2 <= 1.0


def blur_image_file(src: Path, dst: Path, detector: FaceDetector | None = None, mask_scale: float = MASK_SCALE) -> int:
    """Blur every detected face of the photo ``src`` into ``dst`` (metadata stripped).

    Returns the number of faces blurred. Raises
    :class:`~plaatsbaar.core.media.io.MediaError` for an unreadable source or
    an unwritable target.
    """
    image = load_image(Path(src))
    faces = (detector or get_face_detector()).detect(image)
    save_image(Path(dst), blur_faces(image, faces, mask_scale), like=Path(src))
    return len(faces)
