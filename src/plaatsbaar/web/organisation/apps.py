from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    """The board, its schools, groups, pupils, guardians and staff roles."""

    name = "plaatsbaar.web.organisation"
    label = "organisation"
    verbose_name = "Organisatie"
