from django import template

from routines.media.drawings import drawing_keys, drawing_svg
from routines.models import Exercise

register = template.Library()

# How wide the pictures are drawn on the page, for the browser's choice between the two sizes.
SIZES = {
    "pair": "(min-width: 60rem) 28rem, 50vw",
    "large": "(min-width: 60rem) 28rem, 50vw",
}


@register.inclusion_tag("includes/exercise_pictures.html")
def exercise_pictures(exercise: Exercise, layout: str = "pair") -> dict:
    """The exercise's start and end drawings, then its uploaded pictures and videos, each with its words.

    `exercise.media` should be prefetched (program_state(with_pictures=True)), or
    this costs a query per exercise.
    """
    drawings = []
    if exercise.drawing in drawing_keys():
        drawings = [
            ("Start", drawing_svg(exercise.drawing, "start", alt=exercise.drawing_start_alt)),
            ("End", drawing_svg(exercise.drawing, "end", alt=exercise.drawing_end_alt)),
        ]
    media = list(exercise.media.all())
    return {
        "exercise": exercise,
        "drawings": drawings,
        "images": [item for item in media if item.is_image],
        "videos": [item for item in media if not item.is_image],
        "layout": layout if layout in SIZES else "pair",
        "sizes": SIZES.get(layout, SIZES["pair"]),
    }
