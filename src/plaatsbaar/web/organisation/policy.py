"""The one permission policy: who may see and do what.

Staff see only the schools they have a role at; the bestuur sees every school
of its board; only the privacy officer (FG) sees the audit log of consent.
"""

from __future__ import annotations

from functools import cached_property

from django.db.models import QuerySet

from plaatsbaar.web.organisation.models import Pupil, Role, School, StaffRole

CONSENT_EDITORS = {Role.MANAGER, Role.PRIVACY_OFFICER}
PEOPLE_MANAGERS = {Role.MANAGER, Role.PRIVACY_OFFICER}
PROTOCOL_MANAGERS = {Role.MANAGER, Role.BOARD}


class Policy:
    """Permissions of one user; build one per request (``Policy(request.user)``)."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def _roles(self) -> list[StaffRole]:
        if not getattr(self.user, "is_authenticated", False):
            return []
        return list(StaffRole.objects.filter(user=self.user).select_related("school"))

    def roles_at(self, school: School) -> set[str]:
        """The user's roles that hold at ``school`` (bestuur: at every school of its board)."""
        return {
            r.role
            for r in self._roles
            if r.school_id == school.pk or (r.role == Role.BOARD and r.board_id == school.board_id)
        }

    def schools(self) -> QuerySet[School]:
        """The schools the user may see."""
        boards = [r.board_id for r in self._roles if r.role == Role.BOARD]
        schools = [r.school_id for r in self._roles if r.school_id]
        return School.objects.filter(pk__in=schools) | School.objects.filter(board_id__in=boards)

    def can_view_school(self, school: School) -> bool:
        """Any role at the school."""
        return bool(self.roles_at(school))

    def can_view_pupil(self, pupil: Pupil) -> bool:
        """Any role at the pupil's school."""
        return self.can_view_school(pupil.school)

    def can_record_consent(self, pupil: Pupil) -> bool:
        """Enter a paper form: leidinggevende or FG of the pupil's school."""
        return bool(self.roles_at(pupil.school) & CONSENT_EDITORS)

    def can_manage_people(self, school: School) -> bool:
        """Import and edit pupils, guardians, groups: leidinggevende or FG."""
        return bool(self.roles_at(school) & PEOPLE_MANAGERS)

    def can_manage_protocol(self, school: School) -> bool:
        """Choose or upload the school's protocol: leidinggevende or bestuur."""
        return bool(self.roles_at(school) & PROTOCOL_MANAGERS)

    def can_view_audit(self, school: School) -> bool:
        """The audit log of consent: only the privacy officer (FG)."""
        return Role.PRIVACY_OFFICER in self.roles_at(school)

    def can_open_round(self, school: School) -> bool:
        """Open a consent round and send its mails: leidinggevende or communicatie of the school."""
        return bool(self.roles_at(school) & {Role.MANAGER, Role.COMMUNICATION})

    def can_issue_portal_link(self, pupil: Pupil) -> bool:
        """Give a pupil of 16+ their own portal link (shown or mailed): leidinggevende or FG of the pupil's school."""
        return bool(self.roles_at(pupil.school) & CONSENT_EDITORS)

    def can_check_drafts(self, school: School) -> bool:
        """Check a draft against the school's protocol: any role at the school (medewerker,
        communicatie, leidinggevende, FG; bestuur at its board's schools)."""
        return self.can_view_school(school)

    # --- drafts, review, publication, takedown (issue 4) ---

    def can_write_drafts(self, school: School) -> bool:
        """Create drafts for the school's channels: any staff role at the school (not bestuur alone)."""
        return bool(self.roles_at(school) - {Role.BOARD})

    def can_review(self, school: School) -> bool:
        """Approve, send back or reject drafts in the review queue: the leidinggevende of the school."""
        return Role.MANAGER in self.roles_at(school)

    def can_publish_for(self, school: School) -> bool:
        """Publish approved drafts of others and manage the school's channels: communicatie or leidinggevende."""
        return bool(self.roles_at(school) & {Role.MANAGER, Role.COMMUNICATION})

    def can_see_originals(self, school: School) -> bool:
        """See the unblurred originals of any draft of the school (besides its author): leidinggevende or FG."""
        return bool(self.roles_at(school) & {Role.MANAGER, Role.PRIVACY_OFFICER})

    def can_view_takedowns(self, school: School) -> bool:
        """See every open takedown of the school and its age: FG, communicatie, leidinggevende."""
        return bool(self.roles_at(school) & {Role.MANAGER, Role.COMMUNICATION, Role.PRIVACY_OFFICER})

    def can_manage_consent_categories(self, school: School) -> bool:
        """List, add, edit, deactivate and delete the school's consent categories: leidinggevende or FG of the school."""
        return bool(self.roles_at(school) & CONSENT_EDITORS)

    def can_view_takedown(self, takedown) -> bool:
        """See one takedown: FG, communicatie or leidinggevende of the publication's school, or whoever
        may manage the publication (its publisher or draft author; ``takedown``: a takedown.models.Takedown)."""
        return self.can_view_takedowns(takedown.publication.school) or self.can_close_takedown(takedown)

    def can_close_takedown(self, takedown) -> bool:
        """Mark a takedown's publication removed or re-publish it blurred: the same people who manage the
        publication (:meth:`can_manage_publication`: publisher, draft author, communicatie, leidinggevende)."""
        return self.can_manage_publication(takedown.publication)

    def can_view_drafts_of_others(self, school: School) -> bool:
        """Open any draft page of the school (its author always may): leidinggevende, communicatie or FG."""
        return bool(self.roles_at(school) & {Role.MANAGER, Role.COMMUNICATION, Role.PRIVACY_OFFICER})

    def can_manage_publication(self, publication) -> bool:
        """Mark a publication removed, re-publish it or re-send its group-app e-mail: whoever published it
        or wrote its draft (while they have a role at the school), or communicatie or leidinggevende of
        the school (``publication``: a publication.models.Publication)."""
        school = publication.school
        pk = getattr(self.user, "pk", None)
        own = pk is not None and pk in (publication.published_by_id, publication.draft.author_id)
        return self.can_publish_for(school) or (own and self.can_view_school(school))

    def can_record_app_use(self, group) -> bool:
        """Record which guardians of a class use its group app: communicatie or leidinggevende of the
        school, or a medewerker who teaches the class (``group``: an organisation.models.Group)."""
        roles = self.roles_at(group.school)
        if roles & {Role.MANAGER, Role.COMMUNICATION}:
            return True
        return bool(roles) and StaffRole.objects.filter(user=self.user, school=group.school, groups=group).exists()
