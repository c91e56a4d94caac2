from django.urls import path, re_path

from . import views

DAY = r"(?P<day>\d{4}-\d{2}-\d{2})"

urlpatterns = [
    path("my/guided/", views.guided_start, name="guided_start"),
    re_path(rf"^my/guided/{DAY}/(?P<assignment_id>\d+)/$", views.guided_exercise, name="guided_exercise"),
    re_path(rf"^my/guided/{DAY}/done/$", views.guided_finish, name="guided_finish"),
]
