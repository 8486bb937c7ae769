"""Posts in JSON: defaults, strict fields, errors that name file, line and field."""

from __future__ import annotations

import json

import pytest

from plaatsbaar.core.post import PostError, load_batch, load_post
from plaatsbaar.core.vocabulary import Setting


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_school_post_by_staff(tmp_path):
    post = load_post(write(tmp_path, "p.json", json.dumps({"text": "Fijne vakantie!"})))
    assert (post.channel.value, post.account.value, post.author.role.value) == ("facebook", "school", "staff")
    assert post.effective_setting is Setting.WORK


def test_personal_account_defaults_to_private(tmp_path):
    post = load_post(write(tmp_path, "p.json", json.dumps({"text": "Hoi", "account": "personal"})))
    assert post.effective_setting is Setting.PRIVATE


def test_connection_needs_no_text(tmp_path):
    post = load_post(write(tmp_path, "p.json", json.dumps({"activity": "connection", "recipient": {"role": "pupil"}})))
    assert post.recipient.role.value == "pupil"


@pytest.mark.parametrize(
    "body, message",
    [
        ('{"text": "hoi",', "regel 1, kolom"),
        ('{"text": "hoi", "channel": "myspace"}', "veld channel"),
        ('{"text": "hoi", "chanel": "x"}', "veld chanel"),
        ('{"channel": "x"}', "text', 'media' of activity 'connection'"),
        ('["text"]', "verwacht een JSON-object"),
        ('{"text": "hoi", "media": [{"kind": "photo"}]}', "veld media.0.path"),
    ],
)
def test_bad_posts_are_named(tmp_path, body, message):
    with pytest.raises(PostError, match=message.replace("(", r"\(")) as info:
        load_post(write(tmp_path, "p.json", body))
    assert "p.json" in str(info.value)


def test_batch_keeps_good_lines_and_reports_bad_ones(tmp_path):
    lines = [json.dumps({"id": "a", "text": "Goedemorgen"}), "{broken", "", json.dumps({"id": "c", "text": "Tot morgen"})]
    items = load_batch(write(tmp_path, "b.jsonl", "\n".join(lines)))
    assert [getattr(i, "id", None) for i in items] == ["a", None, "c"]
    assert isinstance(items[1], PostError) and "regel 2" in str(items[1])


def test_missing_and_empty_files(tmp_path):
    with pytest.raises(PostError, match="niet gevonden"):
        load_post(tmp_path / "nope.json")
    with pytest.raises(PostError, match="geen berichten"):
        load_batch(write(tmp_path, "e.jsonl", "\n\n"))
