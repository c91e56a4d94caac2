"""The line drawings drawn for this project: a start and an end position for each library exercise.

Each drawing is a pair of SVG files in `drawings/` named `<key>-start.svg` and
`<key>-end.svg`. They are drawn with `currentColor` and no fixed size, so they
are put into the page itself (not behind an <img>): the lines then take the
colour of the text around them, which keeps them readable in dark mode and in
print, and they scale to any width.

The files are this project's own and trusted, so they are marked safe as they
are; the text alternative, which an admin can edit, is always escaped.
"""

from functools import cache
from pathlib import Path

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

DRAWINGS_DIR = Path(__file__).resolve().parent / "drawings"
POSITIONS = ("start", "end")
SVG_OPENING = "<svg "


@cache
def drawing_keys() -> tuple[str, ...]:
    """Every drawing that has both its start and its end file, sorted."""
    keys = {path.name.removesuffix("-start.svg") for path in DRAWINGS_DIR.glob("*-start.svg")}
    return tuple(sorted(key for key in keys if (DRAWINGS_DIR / f"{key}-end.svg").is_file()))


def drawing_choices() -> list[tuple[str, str]]:
    """Choices for the exercise's drawing field (a callable, so a new drawing needs no migration)."""
    return [(key, key.replace("-", " ").capitalize()) for key in drawing_keys()]


@cache
def _svg_source(key: str, position: str) -> str:
    if key not in drawing_keys() or position not in POSITIONS:
        raise KeyError(f"No drawing {key!r} ({position}).")
    source = (DRAWINGS_DIR / f"{key}-{position}.svg").read_text(encoding="utf-8").strip()
    if not source.startswith(SVG_OPENING):
        raise ValueError(f"The drawing {key}-{position}.svg must start with {SVG_OPENING!r}.")
    return source


def drawing_svg(key: str, position: str, *, alt: str) -> SafeString:
    """The drawing as markup for the page, announced as one image with `alt` as its name.

    Raises KeyError for a drawing that does not exist.
    """
    source = _svg_source(key, position)
    attributes = format_html(
        'class="drawing" role="img" aria-label="{}" focusable="false" preserveAspectRatio="xMidYMid meet" ', alt
    )
    return mark_safe(SVG_OPENING + attributes + source.removeprefix(SVG_OPENING))  # noqa: S308 - our own files
