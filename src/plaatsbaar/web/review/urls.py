"""URLs of the review area (/beoordelen/)."""

from django.urls import path

from plaatsbaar.web.review import views

app_name = "review"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:draft_id>/", views.detail, name="detail"),
    path("<int:draft_id>/aanbieden/", views.submit, name="submit"),
    path("<int:draft_id>/terugnemen/", views.withdraw, name="withdraw"),
    path("<int:draft_id>/goedkeuren/", views.approve, name="approve"),
    path("<int:draft_id>/terugsturen/", views.send_back, name="send_back"),
    path("<int:draft_id>/afwijzen/", views.reject, name="reject"),
]
