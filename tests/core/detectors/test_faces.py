"""Face detection on real photos (the NASA astronaut portrait and groups built from it)."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from plaatsbaar.core.detectors.faces import FaceBox, FaceDetector, get_face_detector
from tests.media_factory import ASTRONAUT_FACE, astronaut, astronaut_group, shrink


@pytest.fixture(scope="module")
def detector() -> FaceDetector:
    return get_face_detector()


def _inside(box: FaceBox, area: tuple[float, float, float, float]) -> bool:
    x, y = box.centre
    return area[0] <= x <= area[2] and area[1] <= y <= area[3]


def test_finds_the_one_face_of_the_astronaut(detector):
    faces = detector.detect(astronaut())
    assert len(faces) == 1
    assert _inside(faces[0], ASTRONAUT_FACE)
    assert 0.5 <= faces[0].score <= 1.0


@pytest.mark.parametrize("n", [2, 3, 5])
def test_counts_every_face_in_a_group(detector, n):
    faces = detector.detect(astronaut_group(n))
    assert len(faces) == n
    assert sorted(int(face.centre[0] // 512) for face in faces) == list(range(n))


def test_finds_a_small_face_next_to_large_ones(detector):
    faces = detector.detect(astronaut_group(3, small=1))
    assert len(faces) == 3
    smallest = min(faces, key=lambda f: f.width)
    assert smallest.centre[0] > 1024 and smallest.width < 60


def test_boxes_are_in_pixels_of_a_large_original(detector):
    photo = np.full((3000, 4000, 3), 120, dtype=np.uint8)
    big = np.array(Image.fromarray(astronaut()).resize((1536, 1536)))
    photo[700:2236, 1200:2736] = big
    faces = detector.detect(photo)
    assert len(faces) == 1
    x1, y1, x2, y2 = ASTRONAUT_FACE
    expected = (1200 + 3 * x1, 700 + 3 * y1, 1200 + 3 * x2, 700 + 3 * y2)
    assert faces[0].iou(FaceBox(*expected)) > 0.6


def test_grey_and_rgba_images_are_accepted(detector):
    rgb = astronaut()
    grey = rgb.mean(axis=2).astype(np.uint8)
    rgba = np.dstack([rgb, np.full(rgb.shape[:2], 255, np.uint8)])
    assert len(detector.detect(grey)) == 1
    assert len(detector.detect(rgba)) == 1


def test_no_face_in_a_plain_background(detector):
    assert detector.detect(np.full((480, 640, 3), 128, dtype=np.uint8)) == []


def test_a_tiny_image_gives_no_error(detector):
    assert detector.detect(shrink(astronaut(), 32)) == []


def test_detectors_share_one_onnx_session():
    assert get_face_detector() is get_face_detector()
    assert FaceDetector(threshold=0.3)._model is get_face_detector()._model


def test_a_non_image_array_is_refused(detector):
    with pytest.raises(ValueError, match="uint8"):
        detector.detect(np.zeros((10, 10, 3), dtype=np.float32))
    with pytest.raises(ValueError, match="vorm"):
        detector.detect(np.zeros((10, 10, 2), dtype=np.uint8))


def test_facebox_geometry():
    box = FaceBox.from_xywh((10, 20, 30, 40))
    assert (box.x2, box.y2, box.width, box.height) == (40, 60, 30, 40)
    assert box.iou(box) == 1.0
    assert box.iou(FaceBox(100, 100, 110, 110)) == 0.0
    assert box.contains(*box.centre) and not box.contains(0, 0)
    grown = box.grown(0.5)
    assert (grown.x1, grown.y1, grown.x2, grown.y2) == (-5, 0, 55, 80)
