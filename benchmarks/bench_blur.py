"""Blurring faces: our detector + blur against deface on the same images and video.

Goal: our blur of a photo takes at most 1.3× the time of deface.
Prints, per photo size, the median ms per photo (after a warm-up):

- in-process: our ``FaceDetector.detect`` + ``blur_faces`` against deface's own
  functions (``CenterFace`` + ``anonymize_frame``, its defaults: full
  resolution, threshold 0.2, ellipse blur);
- as a command (file in, file out, wall time incl. start-up and model
  loading): what ``deface IN -o OUT`` runs against ``blur_image_file``, each
  in a fresh Python;

then frames per second for a short video, and the peak memory (VmHWM) of
every command and of this process (``resource.getrusage``). Ours and deface
alternate, so a busy machine slows both alike; the load average is printed.

    python benchmarks/bench_blur.py [--repeat 15] [--commands 3]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from plaatsbaar.core.detectors.faces import get_face_detector  # noqa: E402
from plaatsbaar.core.media.blur import blur_faces  # noqa: E402
from plaatsbaar.core.media.video import blur_video  # noqa: E402
from tests.media_factory import astronaut_group, moving_astronaut_frames, write_video  # noqa: E402

VIDEO_SECONDS, VIDEO_FPS = 5, 25


def phone_photo() -> np.ndarray:
    """A 4000 × 3000 photo with the three-astronaut group filling the width (three faces)."""
    group = Image.fromarray(astronaut_group(3, small=1)).resize((4000, 1333), Image.BICUBIC)
    canvas = np.full((3000, 4000, 3), 110, dtype=np.uint8)
    canvas[800:2133] = np.asarray(group)
    return canvas


def paired_median_ms(ours, theirs, repeat: int) -> tuple[float, float]:
    """Median wall times (ms) of ``ours()`` and ``theirs()``, after a warm-up call each.

    The runs alternate, so a busy machine slows both alike.
    """
    ours(), theirs()
    timings: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for work, times in ((ours, timings[0]), (theirs, timings[1])):
            start = time.perf_counter()
            work()
            times.append(time.perf_counter() - start)
    return 1000 * statistics.median(timings[0]), 1000 * statistics.median(timings[1])


def deface_in_process():
    """deface's own detector and anonymiser with its command-line defaults."""
    from deface.centerface import CenterFace
    from deface.deface import anonymize_frame

    with contextlib.redirect_stdout(io.StringIO()):
        centerface = CenterFace(in_shape=None, backend="onnxrt")

    def run(image: np.ndarray) -> np.ndarray:
        frame = image.copy()
        dets, _ = centerface(frame, threshold=0.2)
        anonymize_frame(dets, frame, mask_scale=1.3, replacewith="blur", ellipse=True,
                        draw_scores=False, replaceimg=None, mosaicsize=20)
        return frame

    return run


PEAK_MB: dict[str, float] = {}

#: Prefix for every command: report the process's own peak memory (VmHWM) on exit.
#: (``ru_maxrss`` of a child would include the memory of this big parent at fork.)
_REPORT_PEAK = (
    "import atexit, sys; atexit.register(lambda: sys.stderr.write('VmHWM ' + next("
    "l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')) + '\\n')); "
)


def run_command(code: str, args: list[Path], label: str) -> None:
    """Run ``python -c code args`` in a fresh process; remember its peak memory (MB) under ``label``."""
    result = subprocess.run([sys.executable, "-c", _REPORT_PEAK + code, *map(str, args)], capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{label} failed: {result.stderr[-500:]}")
    peak_kb = int(result.stderr.rsplit("VmHWM ", 1)[1].split()[0])
    PEAK_MB[label] = max(PEAK_MB.get(label, 0.0), peak_kb / 1024)


#: ``blur_image_file`` / ``blur_video`` as a command: file in, file out.
OURS_PHOTO = ("from pathlib import Path; from plaatsbaar.core.media.blur import blur_image_file; "
              "blur_image_file(Path(sys.argv[1]), Path(sys.argv[2]))")
OURS_VIDEO = ("from pathlib import Path; from plaatsbaar.core.media.video import blur_video; "
              "blur_video(Path(sys.argv[1]), Path(sys.argv[2]))")
#: Exactly what the ``deface`` console script runs: ``deface IN -o OUT [--keep-audio]``.
DEFACE = "from deface.deface import main; sys.argv = ['deface', sys.argv[1], '-o', *sys.argv[2:]]; main()"


def bench_photo(name: str, image: np.ndarray, folder: Path, repeat: int, commands: int) -> None:
    detector = get_face_detector()
    deface_run = deface_in_process()
    faces = detector.detect(image)
    ours, theirs = paired_median_ms(lambda: blur_faces(image, detector.detect(image)), lambda: deface_run(image), repeat)
    print(f"\n{name} ({image.shape[1]}×{image.shape[0]}, {len(faces)} faces found by us)")
    print(f"  in-process  ours {ours:8.1f} ms   deface {theirs:8.1f} ms   ratio {ours / theirs:.2f}×")
    src = folder / f"{name}.jpg"
    Image.fromarray(image).save(src, quality=92)
    ours_cmd, deface_cmd = paired_median_ms(
        lambda: run_command(OURS_PHOTO, [src, folder / f"{name}-ours.jpg"], f"ours, {name} photo"),
        lambda: run_command(DEFACE, [src, folder / f"{name}-deface.jpg"], f"deface, {name} photo"),
        commands,
    )
    print(f"  command     ours {ours_cmd:8.1f} ms   deface {deface_cmd:8.1f} ms   ratio {ours_cmd / deface_cmd:.2f}×"
          "  (fresh process: start-up, model load, read, write)")


def bench_video(folder: Path) -> None:
    source = write_video(folder / "film.mp4", VIDEO_SECONDS, VIDEO_FPS, audio=True)
    frames = len(moving_astronaut_frames(VIDEO_SECONDS, VIDEO_FPS))
    print(f"\nvideo 640×360, {frames} frames, with sound")
    for every in (1, 3):
        start = time.perf_counter()
        summary = blur_video(source, folder / f"film-ours-{every}.mp4", detect_every=every)
        seconds = time.perf_counter() - start
        print(f"  ours in-process (detect every {every})  {summary.frames / seconds:6.1f} frames/s  ({seconds:.2f} s)")
    start = time.perf_counter()
    run_command(OURS_VIDEO, [source, folder / "film-ours-cmd.mp4"], "ours, video")
    seconds = time.perf_counter() - start
    print(f"  ours command (every frame)          {frames / seconds:6.1f} frames/s  ({seconds:.2f} s incl. start-up)")
    start = time.perf_counter()
    run_command(DEFACE, [source, folder / "film-deface.mp4", "--keep-audio"], "deface, video")
    seconds = time.perf_counter() - start
    print(f"  deface command (every frame)        {frames / seconds:6.1f} frames/s  ({seconds:.2f} s incl. start-up)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=15, help="in-process runs per measurement (median)")
    parser.add_argument("--commands", type=int, default=3, help="command runs per measurement (median)")
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        bench_photo("group", astronaut_group(3, small=1), folder, args.repeat, args.commands)
        bench_photo("phone", phone_photo(), folder, max(3, args.repeat // 3), args.commands)  # deface: seconds per run
        bench_video(folder)
    print(f"load average at end: {os.getloadavg()[0]:.2f}")
    print("\npeak memory (resident, MB) of each command:")
    for label, peak in PEAK_MB.items():
        print(f"  {label:22s} {peak:7.0f}")
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  this process (ours and deface in-process together) {own:.0f}")


if __name__ == "__main__":
    main()
