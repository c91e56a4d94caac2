from django.urls import path

from . import views

urlpatterns = [
    path("media/exercises/<int:media_id>/<str:name>", views.exercise_media_file, name="exercise_media_file"),
]
