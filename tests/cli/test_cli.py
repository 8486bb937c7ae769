"""The command line as a user meets it: formats, exit codes, fixes, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from plaatsbaar.cli.app import app
from tests.media_factory import write_group_photo, write_video

ALLOWED = "Morgen is de schoolfotograaf er. Vergeet niet te lachen!"
WITH_PHONE = "Wie heeft de gymtas van Sem uit groep 5 gevonden? Bel zijn moeder op 06-12345678."
THREAT = "Als die juf mijn zoon nog een keer straft, maak ik haar af. Ik weet waar ze woont."


@pytest.fixture(scope="module")
def runner(deduce_engine) -> CliRunner:
    return CliRunner()


def write_post(folder: Path, name: str, **post) -> Path:
    path = folder / name
    path.write_text(json.dumps(post, ensure_ascii=False), encoding="utf-8")
    return path


def run(runner, *args):
    result = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


def test_allowed_post_exits_0_with_dutch_report(runner, tmp_path):
    result = run(runner, "check", write_post(tmp_path, "p.json", text=ALLOWED), "--protocol", "lucas-onderwijs")
    assert result.exit_code == 0, result.output
    assert "Oordeel: TOEGESTAAN" in result.stdout


def test_personal_data_exits_1_and_cites_article(runner, tmp_path):
    result = run(runner, "check", write_post(tmp_path, "p.json", text=WITH_PHONE), "--protocol", "lucas-onderwijs")
    assert result.exit_code == 1
    assert "AANPASSEN" in result.stdout and "artikel A.2" in result.stdout and "06-12345678" in result.stdout


def test_json_format_has_the_documented_shape(runner, tmp_path):
    post = write_post(tmp_path, "p.json", id="post-7", text=THREAT, account="personal", author={"role": "parent"})
    result = run(runner, "check", post, "--protocol", "lucas-onderwijs", "--format", "json")
    data = json.loads(result.stdout)
    assert result.exit_code == 1
    assert (data["id"], data["verdict"], data["protocol"]) == ("post-7", "block", "lucas-onderwijs")
    finding = next(f for f in data["findings"] if f["verdict"] == "block")
    assert set(finding) >= {"rule", "articles", "verdict", "message", "evidence"}
    assert "A.7" in finding["articles"]
    evidence = finding["evidence"][0]
    assert THREAT[evidence["start"] : evidence["end"]] == evidence["text"]
    assert data["media"] == []


def test_jsonl_gives_one_result_per_line_in_order(runner, tmp_path):
    lines = [{"id": "a", "text": ALLOWED}, {"id": "b", "text": WITH_PHONE}, {"id": "c", "text": THREAT, "author": {"role": "parent"}}]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    result = run(runner, "check", path, "--protocol", "lucas-onderwijs")
    results = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["id"], r["verdict"]) for r in results] == [("a", "allow"), ("b", "revise"), ("c", "block")]
    assert result.exit_code == 1


def test_jsonl_bad_line_is_reported_and_the_rest_checked(runner, tmp_path):
    path = tmp_path / "batch.jsonl"
    path.write_text(json.dumps({"id": "a", "text": ALLOWED}) + "\n{kapot\n" + json.dumps({"id": "c", "text": ALLOWED}), encoding="utf-8")
    result = run(runner, "check", path, "--protocol", "lucas-onderwijs")
    results = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r.get("id") for r in results] == ["a", None, "c"]
    assert "regel 2" in results[1]["error"]
    assert result.exit_code == 2


def test_fix_writes_redacted_text_and_blurred_photo(runner, tmp_path):
    write_group_photo(tmp_path / "klas.jpg", 3)
    post = write_post(tmp_path, "p.json", id="klas", text=WITH_PHONE, media=[{"path": "klas.jpg", "people": [{"id": "p1"}]}])
    fixed = tmp_path / "fixed"
    result = run(runner, "check", post, "--protocol", "lucas-onderwijs", "--format", "json", "--fix", fixed)
    data = json.loads(result.stdout)
    assert data["media"][0]["faces"] == 3 and data["media"][0]["faces_to_blur"] == 3
    revised = (fixed / "klas.txt").read_text(encoding="utf-8")
    assert "06-12345678" not in revised and "[telefoonnummer]" in revised
    assert (fixed / "klas.jpg").exists()


def test_blur_command(runner, tmp_path):
    write_group_photo(tmp_path / "groep.jpg", 2)
    result = run(runner, "blur", tmp_path / "groep.jpg", "--output", tmp_path / "vaag.jpg")
    assert result.exit_code == 0 and (tmp_path / "vaag.jpg").exists()
    assert "2 gezicht(en) vervaagd" in result.stdout


def test_protocols_list_and_show_json(runner):
    listed = run(runner, "protocols")
    for protocol_id in ("lucas-onderwijs", "edu-ley", "msvr", "tjongerschool", "roc-kop-van-noord-holland"):
        assert protocol_id in listed.stdout
    shown = json.loads(run(runner, "protocol", "show", "edu-ley", "--format", "json").stdout)
    article = next(a for a in shown["articles"] if a["id"] == "A.7")
    assert "vrienden" in article["text"] and shown["rules"]


def test_protocol_validate_names_the_line(runner, repo, tmp_path):
    good = run(runner, "protocol", "validate", repo / "src/plaatsbaar/protocols/msvr.yaml")
    assert good.exit_code == 0 and "geldig" in good.stdout
    text = (repo / "src/plaatsbaar/protocols/msvr.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "eigen.yaml"
    bad.write_text(text.replace("verdict: block", "verdict: verbieden", 1), encoding="utf-8")
    result = run(runner, "protocol", "validate", bad)
    line = text[: text.index("verdict: block")].count("\n") + 1
    assert result.exit_code == 2 and f"regel {line}" in result.stderr and "verdict" in result.stderr


def _bomb(path: Path) -> None:
    """A PNG header claiming 10 000 × 10 000 pixels (a tiny file)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 10_000, 10_000, 8, 2, 0, 0, 0)
    body = zlib.compress(b"\x00" * 1000)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b""))


def _truncated_video(path: Path) -> None:
    whole = path.with_name("whole.mp4")
    write_video(whole, 2, 10)
    data = whole.read_bytes()
    path.write_bytes(data[: len(data) // 3])


@pytest.mark.parametrize(
    "case, message",
    [
        ("missing", "niet gevonden"),
        ("broken_json", "geen geldige JSON"),
        ("unknown_channel", "veld channel"),
        ("unreadable_image", "kapot.jpg"),
        ("bomb", "bom.png"),
        ("truncated_video", "film.mp4"),
        ("unknown_protocol", "onbekend protocol"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(runner, tmp_path, case, message):
    post = tmp_path / "p.json"
    protocol = "lucas-onderwijs"
    if case == "broken_json":
        post.write_text('{"text": "hallo"', encoding="utf-8")
    elif case == "unknown_channel":
        write_post(tmp_path, "p.json", text="hallo", channel="hyves")
    elif case == "unreadable_image":
        (tmp_path / "kapot.jpg").write_bytes(b"\xff\xd8\xff\xe0 dit is geen foto")
        write_post(tmp_path, "p.json", text="foto", media=[{"path": "kapot.jpg"}])
    elif case == "bomb":
        _bomb(tmp_path / "bom.png")
        write_post(tmp_path, "p.json", text="foto", media=[{"path": "bom.png"}])
    elif case == "truncated_video":
        _truncated_video(tmp_path / "film.mp4")
        write_post(tmp_path, "p.json", text="film", media=[{"path": "film.mp4", "kind": "video"}])
    elif case == "unknown_protocol":
        write_post(tmp_path, "p.json", text="hallo")
        protocol = "hogwarts"
    result = run(runner, "check", post, "--protocol", protocol)
    assert result.exit_code == 2
    assert message in result.stderr
