"""Shared, expensive media for the media tests: built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from plaatsbaar.core.detectors.faces import FaceDetector, get_face_detector
from plaatsbaar.core.media.video import VideoSummary, blur_video
from tests.media_factory import VIDEO_FPS, VIDEO_SECONDS, write_video


@pytest.fixture(scope="session")
def detector() -> FaceDetector:
    """The shared face detector (one ONNX session)."""
    return get_face_detector()


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory) -> Path:
    """A session folder for media that several tests read (never modify it)."""
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="session")
def astronaut_video(media_dir: Path) -> Path:
    """A real 3 s, 10 fps H.264 video with an AAC tone and GPS metadata: an astronaut moving right."""
    return write_video(media_dir / "astronaut.mp4", VIDEO_SECONDS, VIDEO_FPS, audio=True, location=True)


@pytest.fixture(scope="session")
def blurred_video(media_dir: Path, astronaut_video: Path) -> tuple[Path, VideoSummary, list[tuple[int, int | None]]]:
    """``astronaut_video`` blurred (path, summary, progress calls)."""
    calls: list[tuple[int, int | None]] = []
    target = media_dir / "blurred.mp4"
    summary = blur_video(astronaut_video, target, progress=lambda done, total: calls.append((done, total)))
    return target, summary, calls
