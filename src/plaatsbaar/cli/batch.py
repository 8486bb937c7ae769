"""Running checks for the command line: one post or a .jsonl batch, with fixes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from plaatsbaar.cli.report import print_report, quote
from plaatsbaar.core.checker import Checker, CheckResult
from plaatsbaar.core.consent import ConsentRegistry
from plaatsbaar.core.fixes import Revision, apply_fixes
from plaatsbaar.core.media.io import MediaError
from plaatsbaar.core.post import Post, PostError, load_batch, load_post
from plaatsbaar.core.protocol.model import Protocol
from plaatsbaar.core.roster import Roster
from plaatsbaar.core.vocabulary import Verdict

EXIT_ALLOW, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2


@dataclass
class CheckOptions:
    """What ``plaatsbaar check`` was asked to do."""

    protocol: Protocol
    consent: ConsentRegistry
    roster: Roster | None
    output_format: str  # text | json | jsonl
    fix_dir: Path | None


def _result_json(result: CheckResult, revision: Revision | None) -> dict[str, Any]:
    data = result.to_json()
    if revision is not None:
        data["fixed"] = {"text": revision.text, "files": [str(p) for p in revision.files]}
    return data


def _check_one(checker: Checker, post: Post, base_dir: Path, options: CheckOptions, stem: str):
    result = checker.check(post, base_dir)
    revision = None
    if options.fix_dir is not None:
        revision = apply_fixes(post.text, result.media, result.findings, base_dir, options.fix_dir, post.id or stem)
    return result, revision


def _emit(out: Console, result: CheckResult, revision: Revision | None, options: CheckOptions, source: str) -> None:
    if options.output_format == "text":
        print_report(out, result, options.protocol, source, revision)
        out.print()
    else:
        indent = 2 if options.output_format == "json" else None
        out.file.write(json.dumps(_result_json(result, revision), ensure_ascii=False, indent=indent) + "\n")
        out.file.flush()


def _emit_error(out: Console, err: Console, options: CheckOptions, post_id: str | None, error: Exception) -> None:
    err.print(f"[red]Fout:[/] {escape(str(error))}")
    if options.output_format != "text":
        out.file.write(json.dumps({"id": post_id, "error": str(error)}, ensure_ascii=False) + "\n")


def run(path: Path, options: CheckOptions, out: Console, err: Console, announce: Callable[[str], None]) -> int:
    """Check the post(s) in ``path``; returns the exit status (0, 1 or 2).

    In a batch a bad line is reported (as ``{"id", "error"}`` in JSON) and the
    rest is still checked; the status is then 2.
    """
    checker = Checker(options.protocol, options.consent, options.roster, announce)
    base_dir = path.parent
    items: list[Post | PostError] = load_batch(path) if path.suffix == ".jsonl" else [load_post(path)]
    statuses = []
    with _progress(err, len(items)) as advance:
        for number, item in enumerate(items, start=1):
            statuses.append(_run_item(checker, item, base_dir, options, out, err, f"{path.stem}-{number}", str(path)))
            advance()
    return max(statuses)


def _run_item(checker, item, base_dir, options, out, err, stem, source) -> int:
    if isinstance(item, PostError):
        _emit_error(out, err, options, None, item)
        return EXIT_BAD_INPUT
    try:
        result, revision = _check_one(checker, item, base_dir, options, stem)
    except MediaError as exc:
        _emit_error(out, err, options, item.id, exc)
        return EXIT_BAD_INPUT
    _emit(out, result, revision, options, source)
    return EXIT_ALLOW if result.verdict is Verdict.ALLOW else EXIT_FINDINGS


class _progress:
    """A progress bar on a terminal for batches of more than one post; silent otherwise."""

    def __init__(self, err: Console, total: int):
        self.enabled = total > 1 and err.is_terminal
        self.total = total
        self.bar = Progress(
            TextColumn("berichten toetsen"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=err, transient=True
        )

    def __enter__(self) -> Callable[[], None]:
        if not self.enabled:
            return lambda: None
        self.bar.start()
        task = self.bar.add_task("toetsen", total=self.total)
        return lambda: self.bar.advance(task)

    def __exit__(self, *exc) -> None:
        if self.enabled:
            self.bar.stop()


def blur_file(media: Path, output: Path, err: Console) -> str:
    """Blur every face in a photo or video; returns a Dutch one-line summary.

    Raises ``MediaError`` for unreadable input or an unwritable output.
    """
    from plaatsbaar.core.media.blur import blur_image_file
    from plaatsbaar.core.media.video import blur_video, is_video

    if not is_video(media):
        faces = blur_image_file(media, output)
        return f"{faces} gezicht(en) vervaagd in {media.name}"
    progress = Progress(TextColumn("video vervagen"), BarColumn(), MofNCompleteColumn(), console=err, transient=True)
    with progress:
        task = progress.add_task("frames", total=None)

        def advance(done: int, total: int | None) -> None:
            progress.update(task, completed=done, total=total)

        summary = blur_video(media, output, progress=advance)
    return f"{summary.frames} frames, tot {summary.max_faces} gezicht(en) per frame vervaagd in {media.name}"


def print_protocol(out: Console, protocol: Protocol) -> None:
    """Print a protocol for people: metadata, each article verbatim, the rules under it."""
    out.print(f"[bold]{escape(protocol.title)}[/] — {escape(protocol.organisation)} ({protocol.id})")
    adopted = "; ".join(f"{a.body} ({a.role}{', ' + a.date if a.date else ''})" for a in protocol.adopted_by)
    if adopted:
        out.print(f"Vastgesteld: {escape(adopted)}")
    rules_by_article: dict[str, list[str]] = {}
    for rule in protocol.rules:
        for article_id in rule.articles:
            rules_by_article.setdefault(article_id, []).append(f"{rule.id} ({rule.verdict.value})")
    section = None
    for article in protocol.articles:
        if article.section != section:
            section = article.section
            out.print(f"\n[bold]{escape(section)}[/]")
        marker = " [dim](informatief)[/]" if article.informative else ""
        out.print(f"  {article.id}{marker} {escape(quote(article.text, 2000))}")
        for rule in rules_by_article.get(article.id, []):
            out.print(f"      → regel {escape(rule)}")
