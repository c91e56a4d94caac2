"""Server-drawn SVG charts as plain geometry.

Pure functions: they take numbers and dates and return coordinates, with no
database access and no HTML, so tests can check that known data lands on known
points. templates/includes/progress_charts.html turns the result into SVG; the
same numbers always appear in a table next to the chart for screen readers and
for print.

Coordinates are in the SVG's own user units (the viewBox); the browser scales
the whole drawing to the width of the screen or page.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

# Sized for a phone: drawn 360 units wide, the labels stay readable when the
# chart is scaled to a 320-pixel screen, and it scales up on a desktop.
WIDTH = 360
LINE_HEIGHT = 200
BAR_HEIGHT = 170
# Room for the value labels on the left and the date labels underneath.
MARGIN_LEFT = 34
MARGIN_RIGHT = 10
MARGIN_TOP = 10
MARGIN_BOTTOM = 30
# Three date labels (first, middle, last) stay apart even when the reader's text is at 200%:
# the labels' size follows the page's text size (static/css/a11y.css).
MAX_X_LABELS = 3
# Daily dots are drawn only when there are few enough to tell apart.
MAX_DAYS_WITH_DOTS = 45


@dataclass(frozen=True)
class Box:
    """The plotting area inside the margins."""

    left: float
    top: float
    right: float
    bottom: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(frozen=True)
class Tick:
    position: float  # x for date ticks, y for value ticks
    label: str


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    day: date
    value: float


@dataclass(frozen=True)
class LineSeries:
    """One line: unbroken runs of days with a value become one polyline each; gaps stay gaps."""

    name: str
    css_class: str
    segments: list[str]  # each an SVG `points` attribute: "x1,y1 x2,y2 ..."
    dots: list[Point]


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    box: Box
    series: list[LineSeries]
    x_ticks: list[Tick]
    y_ticks: list[Tick]


@dataclass(frozen=True)
class Bar:
    x: float  # the prescribed bar
    width: float
    done_x: float  # the done bar, narrower and centred on the prescribed one
    done_width: float
    label: str
    done: int
    prescribed: int
    done_y: float
    done_height: float
    prescribed_y: float
    prescribed_height: float


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    box: Box
    bars: list[Bar]
    x_ticks: list[Tick]
    y_ticks: list[Tick]


def _round(value: float) -> float:
    return round(value, 1)


def short_date(day: date) -> str:
    """ "3 Mar": short enough to fit under a chart on a phone."""
    return f"{day.day} {day:%b}"


def day_x(day: date, *, start: date, end: date, box: Box) -> float:
    """Where a day falls across the chart: `start` at the left edge, `end` at the right."""
    span = (end - start).days
    if span <= 0:
        return _round(box.left + box.width / 2)
    return _round(box.left + box.width * (day - start).days / span)


def value_y(value: float, *, maximum: float, box: Box) -> float:
    """Where a value falls up the chart: 0 on the bottom edge, `maximum` on the top edge."""
    return _round(box.bottom - box.height * value / maximum)


def _date_ticks(start: date, end: date, box: Box, max_labels: int = MAX_X_LABELS) -> list[Tick]:
    span = (end - start).days
    if span <= 0:
        return [Tick(day_x(start, start=start, end=end, box=box), short_date(start))]
    count = min(max_labels, span + 1)
    offsets = sorted({round(index * span / (count - 1)) for index in range(count)})
    days = [date.fromordinal(start.toordinal() + offset) for offset in offsets]
    return [Tick(day_x(day, start=start, end=end, box=box), short_date(day)) for day in days]


def _value_ticks(maximum: float, box: Box, *, steps: int) -> list[Tick]:
    step = maximum / steps
    ticks = []
    for index in range(steps + 1):
        value = step * index
        label = str(int(value)) if float(value).is_integer() else f"{value:.1f}"
        ticks.append(Tick(value_y(value, maximum=maximum, box=box), label))
    return ticks


def line_chart(
    *,
    start: date,
    end: date,
    series: Sequence[tuple[str, str, Sequence[tuple[date, float | None]]]],
    maximum: float = 10,
    width: int = WIDTH,
    height: int = LINE_HEIGHT,
    dots: Sequence[str] = (),
) -> LineChart:
    """A line chart of daily values between `start` and `end` (inclusive), values from 0 to `maximum`.

    `series` is (name, css_class, [(day, value or None), ...]) per line, days in
    order. A missing day (None, or not listed) breaks the line instead of
    joining across it. Series named in `dots` also get a dot per day when the
    range is short enough to tell them apart; a lone day between gaps always
    gets a dot, since a line needs two points.
    """
    box = Box(MARGIN_LEFT, MARGIN_TOP, width - MARGIN_RIGHT, height - MARGIN_BOTTOM)
    few_days = (end - start).days + 1 <= MAX_DAYS_WITH_DOTS
    drawn = []
    for name, css_class, values in series:
        segments: list[list[Point]] = [[]]
        previous_day: date | None = None
        for day, value in values:
            if day < start or day > end:
                continue
            gap = previous_day is not None and (day - previous_day).days > 1
            if (value is None or gap) and segments[-1]:
                segments.append([])
            if value is not None:
                point = Point(
                    day_x(day, start=start, end=end, box=box), value_y(value, maximum=maximum, box=box), day, value
                )
                segments[-1].append(point)
            previous_day = day
        runs = [run for run in segments if run]
        chart_dots = [point for run in runs for point in run] if name in dots and few_days else []
        if not chart_dots:
            chart_dots = [run[0] for run in runs if len(run) == 1]
        drawn.append(
            LineSeries(
                name=name,
                css_class=css_class,
                segments=[" ".join(f"{point.x:g},{point.y:g}" for point in run) for run in runs if len(run) > 1],
                dots=chart_dots,
            )
        )
    return LineChart(
        width=width,
        height=height,
        box=box,
        series=drawn,
        x_ticks=_date_ticks(start, end, box),
        y_ticks=_value_ticks(maximum, box, steps=5),
    )


def bar_chart(
    *,
    bars: Sequence[tuple[str, int, int]],
    width: int = WIDTH,
    height: int = BAR_HEIGHT,
) -> BarChart:
    """Done against prescribed, one pair of bars per period: (label, done, prescribed).

    The prescribed bar is drawn full width behind; the done bar is drawn
    narrower in front, so "done as much as asked" shows as a filled outline.
    The scale runs from 0 to the largest number shown (at least 1), rounded up
    to an even number so the middle grid line is a whole number.
    """
    box = Box(MARGIN_LEFT, MARGIN_TOP, width - MARGIN_RIGHT, height - MARGIN_BOTTOM)
    largest = max([1, *(max(done, prescribed) for _, done, prescribed in bars)])
    maximum = largest + (largest % 2)
    slot = box.width / max(len(bars), 1)
    drawn = []
    for index, (label, done, prescribed) in enumerate(bars):
        slot_left = box.left + slot * index
        prescribed_top = value_y(prescribed, maximum=maximum, box=box)
        done_top = value_y(done, maximum=maximum, box=box)
        drawn.append(
            Bar(
                x=_round(slot_left + slot * 0.15),
                width=_round(slot * 0.7),
                done_x=_round(slot_left + slot * 0.3),
                done_width=_round(slot * 0.4),
                label=label,
                done=done,
                prescribed=prescribed,
                done_y=done_top,
                done_height=_round(box.bottom - done_top),
                prescribed_y=prescribed_top,
                prescribed_height=_round(box.bottom - prescribed_top),
            )
        )
    every = max(1, math.ceil(len(bars) / MAX_X_LABELS))
    x_ticks = [
        Tick(_round(box.left + slot * (index + 0.5)), label)
        for index, (label, _, _) in enumerate(bars)
        if index % every == 0
    ]
    return BarChart(
        width=width,
        height=height,
        box=box,
        bars=drawn,
        x_ticks=x_ticks,
        y_ticks=_value_ticks(maximum, box, steps=2),
    )


# A caseload row's trend line: small enough for a table cell, no axes.
SPARK_WIDTH = 112
SPARK_HEIGHT = 28
SPARK_PAD = 3


@dataclass(frozen=True)
class Sparkline:
    width: int
    height: int
    segments: list[str]  # SVG `points` attributes, one per unbroken run of days
    dots: list[Point]  # the last day with a value, and any lone day between gaps
    first: float | None
    last: float | None

    def __bool__(self) -> bool:
        return self.first is not None


def sparkline(
    values: Sequence[float | None],
    *,
    maximum: float = 10,
    width: int = SPARK_WIDTH,
    height: int = SPARK_HEIGHT,
) -> Sparkline:
    """A line through one value a day (None: no value, a gap), oldest on the left, 0 to `maximum` upwards."""
    box = Box(SPARK_PAD, SPARK_PAD, width - SPARK_PAD, height - SPARK_PAD)
    span = max(len(values) - 1, 1)
    runs: list[list[Point]] = [[]]
    for index, value in enumerate(values):
        if value is None:
            if runs[-1]:
                runs.append([])
            continue
        x = _round(box.left + box.width * index / span)
        runs[-1].append(Point(x, value_y(min(max(value, 0), maximum), maximum=maximum, box=box), date.min, value))
    runs = [run for run in runs if run]
    known = [value for value in values if value is not None]
    dots = [run[0] for run in runs if len(run) == 1]
    if runs and runs[-1][-1] not in dots:
        dots.append(runs[-1][-1])
    return Sparkline(
        width=width,
        height=height,
        segments=[" ".join(f"{point.x:g},{point.y:g}" for point in run) for run in runs if len(run) > 1],
        dots=dots,
        first=known[0] if known else None,
        last=known[-1] if known else None,
    )


# The row of nerve-symptom markers under the pain chart: one line of marks per symptom.
MARKER_MARGIN_LEFT = 88
MARKER_ROW_HEIGHT = 24


@dataclass(frozen=True)
class MarkerRow:
    label: str
    css_class: str
    y: float
    marks: list[Point]


@dataclass(frozen=True)
class MarkerChart:
    width: int
    height: int
    box: Box
    rows: list[MarkerRow]
    x_ticks: list[Tick]


def marker_chart(
    *,
    start: date,
    end: date,
    rows: Sequence[tuple[str, str, Sequence[date]]],
    width: int = WIDTH,
) -> MarkerChart:
    """One line per (label, css_class, days marked), a mark on each day marked between `start` and `end`."""
    height = MARGIN_TOP + MARKER_ROW_HEIGHT * len(rows) + MARGIN_BOTTOM
    box = Box(MARKER_MARGIN_LEFT, MARGIN_TOP, width - MARGIN_RIGHT, height - MARGIN_BOTTOM)
    drawn = []
    for index, (label, css_class, days) in enumerate(rows):
        y = _round(box.top + MARKER_ROW_HEIGHT * (index + 0.5))
        marks = [
            Point(day_x(day, start=start, end=end, box=box), y, day, 1) for day in sorted(days) if start <= day <= end
        ]
        drawn.append(MarkerRow(label=label, css_class=css_class, y=y, marks=marks))
    return MarkerChart(
        width=width, height=height, box=box, rows=drawn, x_ticks=_date_ticks(start, end, box, max_labels=3)
    )
