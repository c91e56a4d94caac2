"""The line drawings: one start and one end picture for every library exercise, with words for each."""

import xml.etree.ElementTree as ET

import pytest
from django.db import IntegrityError

from routines.library import EXERCISES, install_drawings, install_library
from routines.media.drawings import DRAWINGS_DIR, drawing_choices, drawing_keys, drawing_svg
from routines.models import Exercise
from tests.factories import ExerciseFactory

SVG = "{http://www.w3.org/2000/svg}"
LIBRARY_SLUGS = [entry["slug"] for entry in EXERCISES]
DRAWING_FILES = sorted(DRAWINGS_DIR.glob("*.svg"))


def test_every_library_exercise_has_a_start_and_an_end_drawing():
    assert len(LIBRARY_SLUGS) == 10
    assert set(LIBRARY_SLUGS) <= set(drawing_keys())


@pytest.mark.parametrize("entry", EXERCISES, ids=lambda entry: entry["slug"])
def test_every_library_drawing_has_words_for_each_position(entry):
    for name in ("drawing_start_alt", "drawing_end_alt"):
        words = entry[name]
        assert 20 <= len(words) <= 300
        assert words[0].isupper()
        assert words.endswith(".")


@pytest.mark.parametrize("path", DRAWING_FILES, ids=lambda path: path.name)
def test_each_drawing_scales_follows_the_text_colour_and_stays_small(path):
    root = ET.fromstring(path.read_text())  # noqa: S314 - our own files
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox") == "0 0 240 150"
    # No fixed size: the page decides how wide it is.
    assert root.get("width") is None
    assert root.get("height") is None
    # Lines in the text colour, so dark mode and print work; no colour of its own anywhere.
    assert root.get("stroke") == "currentColor"
    assert root.get("fill") == "none"
    colours = {element.get(name) for element in root.iter() for name in ("fill", "stroke")} - {None}
    assert colours <= {"currentColor", "none"}
    # Nothing that the site's CSP would block or that could run.
    tags = {element.tag.removeprefix(SVG) for element in root.iter()}
    assert tags <= {"svg", "path", "circle", "g"}
    assert not any(name.startswith("on") or name == "style" for element in root.iter() for name in element.attrib)
    assert path.stat().st_size < 1500


def test_the_start_and_end_drawings_differ_for_every_exercise():
    for key in drawing_keys():
        assert (DRAWINGS_DIR / f"{key}-start.svg").read_text() != (DRAWINGS_DIR / f"{key}-end.svg").read_text()


def test_a_drawing_goes_into_the_page_as_one_image_named_by_its_words():
    markup = drawing_svg("glute-bridge", "end", alt='Hips up <b>"high"</b>')
    assert markup.startswith('<svg class="drawing" role="img" aria-label="Hips up &lt;b&gt;&quot;high&quot;&lt;/b&gt;"')
    assert markup.count("<svg") == 1
    assert 'focusable="false"' in markup


def test_an_unknown_drawing_is_refused():
    with pytest.raises(KeyError):
        drawing_svg("../../settings", "start", alt="x")
    with pytest.raises(KeyError):
        drawing_svg("glute-bridge", "middle", alt="x")


def test_the_admin_chooses_from_the_drawings_that_exist():
    assert ("chin-tuck", "Chin tuck") in drawing_choices()


@pytest.mark.django_db
def test_the_migrations_give_each_library_exercise_its_drawing_and_words():
    for entry in EXERCISES:
        exercise = Exercise.objects.get(slug=entry["slug"])
        assert exercise.drawing == entry["slug"]
        assert exercise.drawing_start_alt == entry["drawing_start_alt"]
        assert exercise.drawing_end_alt == entry["drawing_end_alt"]


@pytest.mark.django_db
def test_installing_drawings_again_leaves_an_admins_choice_alone():
    exercise = Exercise.objects.get(slug="chin-tuck")
    exercise.drawing_end_alt = "Chin back, written by the clinic."
    exercise.save()
    assert install_drawings() == 0
    exercise.refresh_from_db()
    assert exercise.drawing_end_alt == "Chin back, written by the clinic."


@pytest.mark.django_db
def test_a_fresh_library_install_comes_with_drawings():
    Exercise.objects.all().delete()
    install_library()
    assert Exercise.objects.filter(slug__in=LIBRARY_SLUGS).exclude(drawing="").count() == 10


@pytest.mark.django_db
def test_the_database_refuses_a_drawing_without_words():
    with pytest.raises(IntegrityError):
        ExerciseFactory(drawing="glute-bridge", drawing_start_alt="Lying down.", drawing_end_alt="")
