"""The optional pain score after a one-tap "Done": one more tap on a 0-10 tile, or none.

It fills the session entry's "pain after", which the exercise rule
(review.exercise_aggravates) reads, without making "Done" itself any longer.
"""
