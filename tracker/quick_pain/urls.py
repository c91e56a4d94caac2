from django.urls import re_path

from . import views

urlpatterns = [
    re_path(
        r"^my/sessions/(?P<day>\d{4}-\d{2}-\d{2})/(?P<assignment_id>\d+)/pain-after/$",
        views.session_pain_after,
        name="session_pain_after",
    ),
]
