"""The chart geometry: known data lands on known points (no database)."""

from datetime import date, timedelta

from tracker import charts
from tracker.charts import Box, bar_chart, day_x, line_chart, value_y

START = date(2025, 3, 1)
BOX = Box(left=34, top=10, right=590, bottom=190)  # what a 600 x 220 chart uses
LINE = {"width": 600, "height": 220}


def test_the_first_day_is_on_the_left_edge_and_the_last_on_the_right_edge():
    end = START + timedelta(days=10)
    assert day_x(START, start=START, end=end, box=BOX) == 34
    assert day_x(end, start=START, end=end, box=BOX) == 590
    assert day_x(START + timedelta(days=5), start=START, end=end, box=BOX) == 312


def test_a_single_day_is_drawn_in_the_middle():
    assert day_x(START, start=START, end=START, box=BOX) == 312


def test_pain_0_is_on_the_bottom_edge_and_10_on_the_top_edge():
    assert value_y(0, maximum=10, box=BOX) == 190
    assert value_y(10, maximum=10, box=BOX) == 10
    assert value_y(2.5, maximum=10, box=BOX) == 145


def test_a_line_through_known_values_has_the_expected_points():
    chart = line_chart(
        **LINE,
        start=START,
        end=START + timedelta(days=2),
        series=[("daily", "series-a", [(START, 0), (START + timedelta(days=1), 5), (START + timedelta(days=2), 10)])],
    )
    assert chart.series[0].segments == ["34,190 312,100 590,10"]


def test_a_missing_day_breaks_the_line_and_a_lone_day_becomes_a_dot():
    days = [START + timedelta(days=offset) for offset in range(5)]
    chart = line_chart(
        **LINE,
        start=days[0],
        end=days[4],
        series=[("daily", "series-a", [(days[0], 4), (days[1], 4), (days[2], None), (days[3], 6)])],
    )
    series = chart.series[0]
    assert series.segments == ["34,118 173,118"]
    assert [(dot.x, dot.y, dot.value) for dot in series.dots] == [(451, 82, 6)]


def test_a_day_absent_from_the_list_also_breaks_the_line():
    chart = line_chart(
        **LINE,
        start=START,
        end=START + timedelta(days=3),
        series=[("daily", "series-a", [(START, 2), (START + timedelta(days=2), 2), (START + timedelta(days=3), 3)])],
    )
    assert len(chart.series[0].segments) == 1  # days 3 and 4 joined; day 1 alone
    assert [dot.day for dot in chart.series[0].dots] == [START]


def test_short_ranges_show_a_dot_for_every_day_of_a_dotted_series():
    days = [START + timedelta(days=offset) for offset in range(3)]
    chart = line_chart(
        **LINE, start=days[0], end=days[2], series=[("daily", "series-a", [(day, 3) for day in days])], dots=["daily"]
    )
    assert len(chart.series[0].dots) == 3


def test_long_ranges_skip_the_daily_dots():
    days = [START + timedelta(days=offset) for offset in range(365)]
    chart = line_chart(
        **LINE, start=days[0], end=days[-1], series=[("daily", "series-a", [(day, 3) for day in days])], dots=["daily"]
    )
    assert chart.series[0].dots == []
    assert len(chart.series[0].segments[0].split()) == 365


def test_values_outside_the_range_asked_for_are_left_out():
    chart = line_chart(
        **LINE,
        start=START,
        end=START + timedelta(days=1),
        series=[("daily", "series-a", [(START - timedelta(days=1), 9), (START, 1), (START + timedelta(days=1), 1)])],
    )
    assert chart.series[0].segments == ["34,172 590,172"]


def test_the_value_scale_is_labelled_every_two_points():
    chart = line_chart(**LINE, start=START, end=START + timedelta(days=6), series=[])
    assert [(tick.position, tick.label) for tick in chart.y_ticks] == [
        (190, "0"),
        (154, "2"),
        (118, "4"),
        (82, "6"),
        (46, "8"),
        (10, "10"),
    ]


def test_the_date_labels_are_few_and_start_and_end_the_range():
    chart = line_chart(**LINE, start=START, end=START + timedelta(days=27), series=[])
    labels = [tick.label for tick in chart.x_ticks]
    assert len(labels) == charts.MAX_X_LABELS
    assert (labels[0], labels[-1]) == ("1 Mar", "28 Mar")


def test_bars_are_scaled_to_the_largest_number_and_the_done_bar_sits_inside_the_prescribed_bar():
    chart = bar_chart(bars=[("3 Mar", 7, 14), ("10 Mar", 14, 14)], width=600, height=200)
    first, second = chart.bars
    # Slots of 278 units; the scale runs 0-14 over 160 units (10 to 170).
    assert (first.x, first.width, first.prescribed_y, first.prescribed_height) == (75.7, 194.6, 10, 160)
    assert (first.done_x, first.done_width, first.done_y, first.done_height) == (117.4, 111.2, 90, 80)
    assert (second.done_y, second.done_height) == (10, 160)
    assert [tick.label for tick in chart.y_ticks] == ["0", "7", "14"]


def test_an_odd_largest_number_is_rounded_up_so_the_middle_line_is_whole():
    chart = bar_chart(bars=[("3 Mar", 3, 5)])
    assert [tick.label for tick in chart.y_ticks] == ["0", "3", "6"]


def test_no_bars_still_draws_an_empty_chart():
    chart = bar_chart(bars=[])
    assert chart.bars == []
    assert [tick.label for tick in chart.y_ticks] == ["0", "1", "2"]


# The caseload's 14-day trend line.


def test_the_sparkline_puts_known_values_on_known_points_and_keeps_gaps():
    line = charts.sparkline([6, 5, None, 4, 3], maximum=10, width=43, height=26)

    # Plotting box 3..40 across (37 wide, 4 steps of 9.25) and 3..23 down (0 at 23, 10 at 3).
    assert line.segments == ["3,11 12.2,13", "30.8,15 40,17"]
    assert [(dot.x, dot.y) for dot in line.dots] == [(40, 17)]
    assert (line.first, line.last) == (6, 3)


def test_a_lone_day_gets_a_dot_and_no_days_give_an_empty_line():
    lone = charts.sparkline([None, 7, None, None])
    empty = charts.sparkline([None] * 14)

    assert lone.segments == []
    assert len(lone.dots) == 1
    assert not empty
    assert empty.segments == []
    assert empty.dots == []
