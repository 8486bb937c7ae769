"""Blurring makes faces undetectable and leaves everything else untouched."""

from __future__ import annotations

import numpy as np
import pytest

from plaatsbaar.core.detectors.faces import FaceBox
from plaatsbaar.core.media.blur import blur_faces, blur_image_file, mask_box
from plaatsbaar.core.media.io import MediaError, load_image
from tests.media_factory import astronaut_group, write_group_photo


def _outside_mask(shape: tuple[int, ...], boxes: list[FaceBox]) -> np.ndarray:
    """True for pixels outside every enlarged face box."""
    outside = np.ones(shape[:2], dtype=bool)
    for box in boxes:
        area = mask_box(box)
        outside[max(0, int(area.y1)) : int(np.ceil(area.y2)), max(0, int(area.x1)) : int(np.ceil(area.x2))] = False
    return outside


def _detail(region: np.ndarray) -> float:
    """Fine detail (mean absolute difference between neighbouring pixels)."""
    grey = region.astype(float).mean(axis=2)
    return float(np.abs(np.diff(grey, axis=0)).mean() + np.abs(np.diff(grey, axis=1)).mean())


@pytest.fixture(scope="module")
def group(detector):
    image = astronaut_group(3, small=1)
    return image, detector.detect(image)


def test_blurred_faces_are_no_longer_detected(detector, group):
    image, faces = group
    assert len(faces) == 3
    blurred = blur_faces(image, faces)
    assert detector.detect(blurred) == []


def test_only_face_regions_change(group):
    image, faces = group
    blurred = blur_faces(image, faces)
    outside = _outside_mask(image.shape, faces)
    assert np.array_equal(blurred[outside], image[outside])
    assert not np.array_equal(blurred, image)


def test_face_detail_is_wiped_out(group):
    image, faces = group
    blurred = blur_faces(image, faces)
    for face in faces:
        rows, cols = slice(int(face.y1), int(face.y2)), slice(int(face.x1), int(face.x2))
        assert _detail(blurred[rows, cols]) < 0.2 * _detail(image[rows, cols])


def test_the_input_is_not_changed(group):
    image, faces = group
    before = image.copy()
    blur_faces(image, faces)
    assert np.array_equal(image, before)


def test_no_boxes_gives_an_equal_copy(group):
    image, _ = group
    result = blur_faces(image, [])
    assert np.array_equal(result, image) and result is not image


def test_boxes_over_the_edge_are_clipped():
    image = astronaut_group(1)
    boxes = [FaceBox(-40, -40, 60, 60), FaceBox(480, 470, 600, 620), FaceBox(700, 700, 800, 800)]
    blurred = blur_faces(image, boxes)
    assert blurred.shape == image.shape
    assert not np.array_equal(blurred[:40, :40], image[:40, :40])
    assert not np.array_equal(blurred[-20:, -20:], image[-20:, -20:])


def test_mask_scale_below_one_is_refused(group):
    image, faces = group
    with pytest.raises(ValueError, match="mask_scale"):
        blur_faces(image, faces, mask_scale=0.5)


def test_blur_image_file_writes_a_photo_without_detectable_faces(tmp_path, detector):
    source = write_group_photo(tmp_path / "groep.jpg", 2)
    assert blur_image_file(source, tmp_path / "vaag.jpg") == 2
    assert detector.detect(load_image(tmp_path / "vaag.jpg")) == []
    with pytest.raises(MediaError, match="niet gevonden"):
        blur_image_file(tmp_path / "weg.jpg", tmp_path / "uit.jpg")
