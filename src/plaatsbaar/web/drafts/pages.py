"""What the draft page shows, gathered for its template (no decisions: those are in services/workflow)."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from plaatsbaar.core.vocabulary import MediaKind, Verdict
from plaatsbaar.web.drafts import services
from plaatsbaar.web.drafts.models import Draft, DraftMedia, DraftStatus, DraftVersion
from plaatsbaar.web.organisation.services import CHANNEL_LABELS
from plaatsbaar.web.review import workflow

KIND_LABELS = {MediaKind.PHOTO.value: "Foto", MediaKind.VIDEO.value: "Film", MediaKind.AUDIO.value: "Geluidsopname"}


@dataclass(frozen=True)
class FaceView:
    """One numbered face box (pixels of the picture) and who it is tagged as."""

    index: int
    number: int
    x: int
    y: int
    width: int
    height: int
    who: str
    label_y: float = 0.0


@dataclass
class MediaView:
    """One file on the page: the picture under the face boxes, its faces and links.

    ``picture_url``: the original (or a video's still) for those who may see
    originals, else the publishable photo; ``None`` when there is no picture.
    ``heard``: for a recording, who the author says is heard (Dutch lines).
    """

    media: DraftMedia
    kind_label: str
    faces: list[FaceView]
    picture_url: str | None
    picture_is_original: bool
    publishable_url: str | None
    original_url: str | None
    heard: list[str]
    tag_form: object = None
    voice_form: object = None

    @property
    def stroke(self) -> float:
        """Line width of the boxes, in picture pixels (about 0.4 % of the width)."""
        return stroke_width(self.media)

    @property
    def font_size(self) -> float:
        """Size of the face numbers, in picture pixels (readable on a phone too)."""
        return font_size(self.media)


def stroke_width(media: DraftMedia) -> float:
    """Line width of the face boxes, in picture pixels."""
    return max(2.0, (media.width or 500) / 250)


def font_size(media: DraftMedia) -> float:
    """Height of the face numbers, in picture pixels: about 1/22 of the picture's width."""
    return max(14.0, (media.width or 500) / 22)


def _file_url(draft: Draft, media: DraftMedia, word: str) -> str:
    return reverse("drafts:file", args=[draft.pk, media.number, word])


def _who(tag) -> str:
    if tag is None:
        return "nog niet aangegeven (wordt vervaagd)"
    if tag.pupil_id is None:
        return "onbekend (wordt vervaagd)"
    return f"{tag.pupil.first_name} {tag.pupil.last_name}"


def heard(media: DraftMedia) -> list[str]:
    """Who is heard on a recording, as the author said: pupils by name, then the statement about others."""
    lines = [f"{v.pupil.first_name} {v.pupil.last_name}" for v in sorted(media.voices.all(), key=lambda v: v.pupil_id)]
    if media.staff_or_no_voices:
        lines.append("verder alleen medewerkers die ermee instemmen, of geen herkenbare stemmen")
    return lines


def media_view(draft: Draft, media: DraftMedia, originals: bool) -> MediaView:
    """The page's view of one file; ``originals``: the user may see the originals."""
    tags = {t.face: t for t in media.tags.all()}
    size, gap = font_size(media), stroke_width(media)
    faces = [FaceView(i, i + 1, *box, who=_who(tags.get(i)),
                      label_y=box[1] - gap if box[1] > size else box[1] + box[3] + size)  # above, else below
             for i, box in enumerate(media.faces)]
    publishable = _file_url(draft, media, "publiceren") if media.publishable else None
    original = _file_url(draft, media, "origineel") if originals else None
    picture, is_original = None, False
    if media.kind == MediaKind.PHOTO.value:
        picture, is_original = (original, True) if originals else (publishable, False)
    elif media.kind == MediaKind.VIDEO.value and originals:
        picture, is_original = _file_url(draft, media, "beeld"), True
    return MediaView(media, KIND_LABELS[media.kind], faces, picture, is_original, publishable, original,
                     heard(media) if media.kind == MediaKind.AUDIO.value else [])


def _findings(version: DraftVersion | None) -> list[dict]:
    if version is None:
        return []
    return [{**f, "verdict_label": Verdict(f["verdict"]).dutch} for f in version.findings]


def draft_context(draft: Draft, user, latest: DraftVersion | None) -> dict:
    """Everything ``drafts/detail.html`` shows besides the forms."""
    can_edit = workflow.can_edit(draft, user)
    originals = services.can_see_original(user, draft)
    media = list(draft.media.prefetch_related("tags__pupil", "voices__pupil").order_by("number"))
    kinds = {m.kind for m in media}
    reasons = workflow.review_reasons(draft) if latest else []
    return {
        "draft": draft, "school": draft.school, "latest": latest,
        "channel_label": CHANNEL_LABELS.get(draft.channel, draft.channel),
        "verdict_label": Verdict(latest.verdict).dutch if latest else None,
        "advice": services.advice(latest.verdict) if latest else None,
        "findings": _findings(latest),
        "text_changed": bool(latest and latest.revised_text != latest.text),
        "can_edit": can_edit, "can_see_original": originals,
        "media_views": [media_view(draft, m, originals) for m in media],
        "pupil_choices": {k: services.taggable_with_consent(draft, user, k) for k in kinds} if can_edit else {},
        "versions": draft.versions.select_related("created_by").order_by("-number"),
        "steps": draft.steps.select_related("version").order_by("at", "id"),
        "review_reasons": [workflow.REASON_LABELS[r] for r in reasons],
        "can_submit": bool(latest) and draft.author_id == user.pk
        and draft.status in (DraftStatus.CONCEPT, DraftStatus.SENT_BACK),
        "can_withdraw": draft.author_id == user.pk and draft.status == DraftStatus.IN_REVIEW,
        "publish_refusal": workflow.publish_refusal(draft, user) if latest else None,
    }
