"""Web UI routes of this app (included by kawal/server/urls.py under /publishing/)."""

from django.urls import path

from kawal.apps.publishing import views

app_name = "publishing"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("compose/", views.compose, name="compose"),
    path("screen/", views.screen, name="screen"),
    path("calendar/", views.calendar, name="calendar"),
    path("accounts/<int:account_id>/policy/", views.policy, name="policy"),
    path("pause/", views.pause, name="pause"),
    path("resume/", views.resume, name="resume"),
    path("break-glass/", views.break_glass, name="break_glass"),
    path("reviews/<int:review_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("preauth/<int:preauth_id>/revoke/", views.revoke_preauth, name="revoke_preauth"),
    path("drafts/<int:draft_id>/", views.draft_detail, name="draft"),
    path("drafts/<int:draft_id>/edit/", views.edit, name="edit"),
    path("drafts/<int:draft_id>/media/<str:sha256>/", views.media_file, name="media"),
    path("drafts/<int:draft_id>/schedule/", views.reschedule, name="schedule"),
    path("drafts/<int:draft_id>/submit/", views.submit, name="submit"),
    path("drafts/<int:draft_id>/approve/", views.approve, name="approve"),
    path("drafts/<int:draft_id>/sign-off/", views.sign_off, name="sign_off"),
    path("drafts/<int:draft_id>/reject/", views.reject, name="reject"),
    path("drafts/<int:draft_id>/comment/", views.comment, name="comment"),
    path("drafts/<int:draft_id>/withdraw/", views.withdraw, name="withdraw"),
    path("drafts/<int:draft_id>/preauth/", views.grant_preauth, name="grant_preauth"),
]
