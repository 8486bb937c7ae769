"""URLs of the portal area: the same pages after logging in and by personal link.

A personal link is ``portaal/<token>/`` (the token of ``portal.links.make_token``);
an unreadable token gets the page "Deze link is ongeldig" (403).
"""

from django.urls import path

from plaatsbaar.web.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("kind/<int:pupil_id>/", views.my_child, name="child"),
    path("kind/<int:pupil_id>/intrekken/", views.my_withdraw, name="withdraw"),
    path("<str:token>/", views.link_overview, name="link"),
    path("<str:token>/kind/<int:pupil_id>/", views.link_child, name="link_child"),
    path("<str:token>/kind/<int:pupil_id>/intrekken/", views.link_withdraw, name="link_withdraw"),
]
