"""Reading and writing photos safely: orientation, bombs, truncation, metadata."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from plaatsbaar.core.media.io import MAX_PIXELS, MediaError, image_size, load_image, save_image
from tests.media_factory import astronaut_group, gps_exif, write_group_photo


def _png_header_only(path: Path, width: int, height: int) -> Path:
    """A tiny PNG file that claims ``width`` × ``height`` pixels (a decompression bomb's header)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 4096)) + chunk(b"IEND", b"")
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + body)
    return path


def test_loads_a_jpeg_as_rgb(tmp_path):
    image = load_image(write_group_photo(tmp_path / "klas.jpg", 2))
    assert image.shape == (512, 1024, 3) and image.dtype == np.uint8
    assert np.abs(image.astype(int) - astronaut_group(2)).mean() < 3  # JPEG loss only


def test_exif_orientation_is_applied(tmp_path):
    exif = Image.Exif()
    exif[0x0112] = 6  # the camera was turned: rotate 90° clockwise to view
    image = load_image(write_group_photo(tmp_path / "gedraaid.jpg", 2, exif=exif))
    assert image.shape == (1024, 512, 3)


def test_grey_and_transparent_pngs_become_rgb(tmp_path):
    grey, rgba = tmp_path / "grijs.png", tmp_path / "rgba.png"
    Image.fromarray(astronaut_group(1)[:, :, 0]).save(grey)
    Image.fromarray(np.dstack([astronaut_group(1), np.full((512, 512), 200, np.uint8)])).save(rgba)
    assert load_image(grey).shape == (512, 512, 3)
    assert load_image(rgba).shape == (512, 512, 3)


def test_missing_file_is_named(tmp_path):
    with pytest.raises(MediaError, match=r"weg\.jpg: bestand niet gevonden"):
        load_image(tmp_path / "weg.jpg")


def test_a_text_file_is_not_an_image(tmp_path):
    path = tmp_path / "foto.jpg"
    path.write_text("dit is geen foto", encoding="utf-8")
    with pytest.raises(MediaError, match="foto.jpg: geen"):
        load_image(path)


def test_formats_that_run_programs_are_not_opened(tmp_path):
    path = tmp_path / "plaatje.eps"
    path.write_bytes(b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n")
    with pytest.raises(MediaError, match="geen \\(ondersteunde\\) afbeelding"):
        load_image(path)


def test_decompression_bomb_is_refused_from_its_header(tmp_path):
    bomb = _png_header_only(tmp_path / "bom.png", 10_000, 10_000)
    assert bomb.stat().st_size < 1_000  # 300 MB of pixels claimed by a tiny file
    with pytest.raises(MediaError, match=r"bom\.png: afbeelding te groot \(10000 × 10000"):
        load_image(bomb)
    with pytest.raises(MediaError, match="te groot"):
        image_size(bomb)


def test_just_below_the_pixel_limit_the_header_is_accepted(tmp_path):
    side = int(MAX_PIXELS**0.5) - 1
    assert image_size(_png_header_only(tmp_path / "groot.png", side, side)) == (side, side)


def test_truncated_jpeg_is_refused(tmp_path):
    whole = write_group_photo(tmp_path / "heel.jpg", 2).read_bytes()
    cut = tmp_path / "half.jpg"
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(MediaError, match=r"half\.jpg: afbeelding is beschadigd of onvolledig"):
        load_image(cut)


def test_truncated_png_is_refused(tmp_path):
    whole = write_group_photo(tmp_path / "heel.png", 1).read_bytes()
    cut = tmp_path / "half.png"
    cut.write_bytes(whole[: len(whole) * 2 // 3])
    with pytest.raises(MediaError, match="beschadigd of onvolledig"):
        load_image(cut)


def test_saving_strips_exif_and_gps(tmp_path):
    source = write_group_photo(tmp_path / "met-gps.jpg", 1, exif=gps_exif())
    with Image.open(source) as original:
        assert original.getexif().get_ifd(0x8825)  # the source really has a GPS position
    target = save_image(tmp_path / "schoon.jpg", load_image(source), like=source)
    with Image.open(target) as cleaned:
        assert cleaned.format == "JPEG"
        assert len(cleaned.getexif()) == 0
        assert "exif" not in cleaned.info and "xmp" not in cleaned.info


@pytest.mark.parametrize(("name", "fmt"), [("a.png", "PNG"), ("a.jpeg", "JPEG"), ("a.webp", "WEBP"), ("a.tif", "TIFF")])
def test_format_follows_the_extension(tmp_path, name, fmt):
    image = astronaut_group(1)
    with Image.open(save_image(tmp_path / name, image)) as written:
        assert written.format == fmt
    if fmt in {"PNG", "TIFF"}:
        assert np.array_equal(load_image(tmp_path / name), image)  # lossless formats keep every pixel


def test_unknown_extension_uses_the_source_format(tmp_path):
    source = write_group_photo(tmp_path / "bron.png", 1)
    target = save_image(tmp_path / "uit.onbekend", load_image(source), like=source)
    with Image.open(target) as written:
        assert written.format == "PNG"
    with pytest.raises(MediaError, match="onbekend afbeeldingsformaat"):
        save_image(tmp_path / "zonder.onbekend", load_image(source))


def test_a_failed_save_leaves_nothing_behind(tmp_path):
    with pytest.raises(MediaError, match="kan niet schrijven"):
        save_image(tmp_path / "bestaat-niet" / "a.jpg", astronaut_group(1))
    save_image(tmp_path / "a.jpg", astronaut_group(1))
    assert [p.name for p in tmp_path.iterdir()] == ["a.jpg"]  # no temporary files left
