"""Video: scanning, blurring every frame (boxes carried between detections),
audio kept, metadata dropped, corrupt input refused without leftovers."""

from __future__ import annotations

import subprocess
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import pytest

from plaatsbaar.core.detectors.faces import FaceBox, FaceDetector
from plaatsbaar.core.media.io import MediaError
from plaatsbaar.core.media.video import (
    CARRY_MARGIN,
    blur_video,
    carried_boxes,
    is_video,
    iter_frames,
    probe_video,
    scan_video,
    strip_video_metadata,
)
from tests.media_factory import VIDEO_FPS, VIDEO_SECONDS

FRAMES = VIDEO_SECONDS * VIDEO_FPS


def _header(path: Path) -> str:
    """What ffmpeg says about a file (streams and container metadata)."""
    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-i", str(path)]
    return subprocess.run(command, capture_output=True, text=True).stderr


def _faces_per_frame(path: Path, detector: FaceDetector) -> list[int]:
    return [len(detector.detect(frame)) for frame in iter_frames(path, probe_video(path))]


def _truncated(source: Path, target: Path, fraction: float, faststart: bool) -> Path:
    """A copy of ``source`` cut off at ``fraction``; ``faststart`` puts the index first (then frames decode)."""
    if faststart:
        moved = target.with_name("faststart.mp4")
        subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", "-i", str(source), "-c", "copy",
                        "-movflags", "+faststart", str(moved)], check=True)
        source = moved
    data = source.read_bytes()
    target.write_bytes(data[: int(len(data) * fraction)])
    return target


def test_the_test_video_shows_a_face_in_every_frame(astronaut_video, detector):
    faces = _faces_per_frame(astronaut_video, detector)
    assert len(faces) == FRAMES
    assert all(count == 1 for count in faces)


def test_scan_counts_frames_and_faces(astronaut_video):
    scan = scan_video(astronaut_video, sample_every=4)
    assert (scan.frames, scan.max_faces) == (FRAMES, 1)
    assert scan.fps == VIDEO_FPS and scan.duration == pytest.approx(VIDEO_SECONDS, abs=0.1)
    assert scan.sampled_frames == len(range(0, FRAMES, 4)) + 1  # and the last frame


def test_no_frame_of_the_blurred_video_shows_a_face(blurred_video, detector):
    path, summary, _ = blurred_video
    faces = _faces_per_frame(path, detector)
    assert len(faces) == FRAMES == summary.frames
    assert sum(faces) == 0
    assert (summary.max_faces, summary.detections, summary.detector_runs) == (1, FRAMES, FRAMES)


def test_no_face_at_a_lower_threshold_either(blurred_video):
    path, _, _ = blurred_video
    assert sum(_faces_per_frame(path, FaceDetector(threshold=0.3))) == 0


def test_audio_is_kept_and_location_dropped(astronaut_video, blurred_video):
    path, summary, _ = blurred_video
    assert "location" in _header(astronaut_video)
    assert summary.audio_kept and probe_video(path).has_audio
    assert "Audio: aac" in _header(path)
    assert "location" not in _header(path)


def test_progress_is_reported_per_frame(blurred_video):
    _, _, calls = blurred_video
    assert [done for done, _ in calls] == list(range(1, FRAMES + 1))
    assert {total for _, total in calls} == {FRAMES}


def test_audio_can_be_dropped(astronaut_video, tmp_path):
    summary = blur_video(astronaut_video, tmp_path / "stil.mp4", keep_audio=False, detect_every=5)
    assert not summary.audio_kept
    assert not probe_video(tmp_path / "stil.mp4").has_audio


def test_sparse_detection_still_covers_every_frame(astronaut_video, tmp_path, detector):
    summary = blur_video(astronaut_video, tmp_path / "vaag.mkv", detect_every=3)
    assert summary.detector_runs == len(range(0, FRAMES, 3)) + 1
    assert sum(_faces_per_frame(tmp_path / "vaag.mkv", detector)) == 0


def test_boxes_are_carried_to_neighbouring_frames():
    frames = [np.full((4, 4, 3), index, dtype=np.uint8) for index in range(8)]
    found_on_frame_3 = FaceBox(10, 10, 20, 20)

    def detect(frame: np.ndarray) -> list[FaceBox]:
        return [found_on_frame_3] if frame[0, 0, 0] == 3 else []

    result = list(carried_boxes(frames, detect, detect_every=3))
    assert [int(frame[0, 0, 0]) for frame, _, _ in result] == list(range(8))  # order kept
    carried = found_on_frame_3.grown(CARRY_MARGIN)
    expected = [[carried]] * 3 + [[found_on_frame_3]] + [[carried]] * 3 + [[]]
    assert [boxes for _, boxes, _ in result] == expected
    assert [own is not None for _, _, own in result] == [True, False, False, True, False, False, True, True]


@pytest.mark.parametrize(("fraction", "faststart"), [(0.5, False), (0.9, True), (0.3, True)])
def test_truncated_video_is_refused_without_leftovers(astronaut_video, tmp_path, fraction, faststart):
    broken = _truncated(astronaut_video, tmp_path / "kapot.mp4", fraction, faststart)
    out = tmp_path / "uit"
    out.mkdir()
    with pytest.raises(MediaError, match="kapot.mp4"):
        blur_video(broken, out / "vaag.mp4")
    assert list(out.iterdir()) == []
    with pytest.raises(MediaError, match="kapot.mp4"):
        scan_video(broken)


def test_non_videos_are_refused(tmp_path):
    text = tmp_path / "film.mp4"
    text.write_text("geen film", encoding="utf-8")
    with pytest.raises(MediaError, match="film.mp4: geen leesbare video"):
        scan_video(text)
    with pytest.raises(MediaError, match="niet gevonden"):
        scan_video(tmp_path / "weg.mp4")


def test_unknown_output_container_is_refused(astronaut_video, tmp_path):
    with pytest.raises(MediaError, match="videoformaat"):
        blur_video(astronaut_video, tmp_path / "uit.gif")
    assert list(tmp_path.iterdir()) == []


def test_metadata_can_be_stripped_without_reencoding(astronaut_video, tmp_path):
    copy = strip_video_metadata(astronaut_video, tmp_path / "kopie.mp4")
    header = _header(copy)
    assert "location" not in header and "Audio: aac" in header
    assert sum(1 for _ in iter_frames(copy, probe_video(copy))) == FRAMES


def test_is_video_goes_by_extension():
    assert is_video(Path("a.MP4")) and is_video(Path("b.mov"))
    assert not is_video(Path("c.jpg"))


def test_a_truncated_sound_track_is_refused_when_blurring(astronaut_video, tmp_path):
    broken = _truncated(astronaut_video, tmp_path / "kapot.mp4", 0.99, faststart=True)
    out = tmp_path / "uit"
    out.mkdir()
    with pytest.raises(MediaError, match="kapot.mp4"):
        blur_video(broken, out / "vaag.mp4")
    assert list(out.iterdir()) == []
