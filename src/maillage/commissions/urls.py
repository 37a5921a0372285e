"""Pages of the commissions, under /commissions/."""

from django.urls import path

from maillage.commissions import document_views, feeds, thread_views, views

app_name = "commissions"
urlpatterns = [
    # Commissions, members, meetings, activity (views.py)
    path("", views.index, name="index"),
    path("mes-commissions.ics", feeds.my_calendar, name="my_calendar"),  # ?token= (feeds.py, same helper)
    path("<slug:slug>/", views.commission, name="commission"),
    path("<slug:slug>/rejoindre/", views.join, name="join"),
    path("<slug:slug>/quitter/", views.leave, name="leave"),
    path("<slug:slug>/membres/", views.members, name="members"),
    path("<slug:slug>/membres/<int:pk>/", views.member_decide, name="member_decide"),
    path("<slug:slug>/reunions/nouvelle/", views.meeting_create, name="meeting_create"),
    path("<slug:slug>/reunions/<int:pk>/", views.meeting, name="meeting"),
    path("<slug:slug>/reunions/<int:pk>/compte-rendu/", views.meeting_minutes, name="meeting_minutes"),
    path("<slug:slug>/reunions/<int:pk>.ics", feeds.meeting_ics, name="meeting_ics"),
    path("<slug:slug>/calendrier.ics", feeds.commission_calendar, name="calendar"),
    path("<slug:slug>/activite/", views.activity, name="activity"),
    path("<slug:slug>/activite.csv", views.activity_csv, name="activity_csv"),
    # Documents (document_views.py)
    path("<slug:slug>/documents/", document_views.document_list, name="documents"),
    path("<slug:slug>/documents/<int:pk>/", document_views.document, name="document"),
    path("<slug:slug>/documents/version/<int:pk>/", document_views.version_download, name="version_download"),
    # Threads (thread_views.py)
    path("<slug:slug>/discussions/", thread_views.thread_list, name="threads"),
    path("<slug:slug>/discussions/<int:pk>/", thread_views.thread, name="thread"),
    path("<slug:slug>/discussions/message/<int:pk>/modifier/", thread_views.post_edit, name="post_edit"),
    path(
        "<slug:slug>/discussions/message/<int:pk>/moderer/", thread_views.post_moderate, name="post_moderate"
    ),
    path("<slug:slug>/notifications/", thread_views.notification_settings, name="notifications"),
    path("desabonnement/<uuid:token>/", thread_views.unsubscribe, name="unsubscribe"),
]
