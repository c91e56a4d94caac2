from django import template

from routines.formatting import assignment_dose, describe_frequency, exercise_default_dose

register = template.Library()


@register.filter
def dose(assignment) -> str:
    """An assignment's dose in plain words."""
    return assignment_dose(assignment)


@register.filter
def usual_dose(exercise) -> str:
    """The library's usual dose for an exercise, in plain words."""
    return exercise_default_dose(exercise)


@register.filter
def frequency(times_per_week: int) -> str:
    return describe_frequency(times_per_week)
