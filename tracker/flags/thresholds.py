"""Every number the flag rules use, in one place, each with where it comes from.

These are clinical judgements that a clinic must be able to read and review.
Change a value here and every rule, explanation and test follows. Scores are on
the 0-10 numeric rating scale the daily check-in uses.

Sources:
- Farrar JT et al. 2001, "Clinical importance of changes in chronic pain
  intensity measured on an 11-point numerical pain rating scale", Pain 94:149.
- Ostelo RW et al. 2008, "Interpreting change scores for pain and functional
  status in low back pain", Spine 33:90 (a change of 2 points or 30% is the
  smallest one that matters to patients).
- NICE Clinical Knowledge Summaries, "Sciatica (lumbar radiculopathy)": red
  flags needing emergency or urgent referral (cauda equina syndrome, severe or
  progressive neurological deficit, signs of infection or cancer).
- Cauda equina warning cards (e.g. the UK GIRFT / Spinal Injuries patient
  cards): bladder or bowel change, saddle numbness, sciatica in both legs.
- Silbernagel KG et al. 2007, "Continued sports activity, using a
  pain-monitoring model, during rehabilitation in patients with Achilles
  tendinopathy", Am J Sports Med 35:897 (pain during exercise may reach 5/10,
  and the next morning's pain must not be worse).
Values marked "house rule" are this product's own choices, explained beside
them, for a clinic to review.
"""

from fractions import Fraction

# --- Meaningful change in pain (Farrar 2001; Ostelo 2008) -------------------

# A rise of at least 2 points on the 0-10 scale matters to patients.
MEANINGFUL_RISE_POINTS = Fraction(2)
# ... or a rise of at least 30% of the starting level.
MEANINGFUL_RISE_FRACTION = Fraction(3, 10)
# House rule: the 30% rule only counts a rise of at least 1 whole point, so a
# starting level near 0 does not turn a 0.3-point wobble into a flag.
MEANINGFUL_RISE_FLOOR_POINTS = Fraction(1)

# --- Baseline: the patient's starting level (DESIGN.md "Flag rules") ---------

# The baseline is the mean pain over the first 7 calendar days...
BASELINE_DAYS = 7
# ... that hold at least 4 check-ins (fewer is too few to call a level).
BASELINE_MIN_CHECK_INS = 4

# --- Rising pain (Farrar 2001; Ostelo 2008; DESIGN.md) ----------------------

# The trend is the mean of the check-ins in a rolling 7-day window.
ROLLING_DAYS = 7
# House rule: a window needs at least 3 check-ins to count as a trend; a single
# bad day is covered by the high-pain-day rule instead.
ROLLING_MIN_CHECK_INS = 3
# The rise must hold on 3 days in a row (the latest check-in day and the 2
# calendar days before it) to be more than a bad day.
SUSTAINED_DAYS = 3

# --- A setback from the best recent level (Farrar 2001; Ostelo 2008; DESIGN.md)

# The best recent level is the lowest rolling 7-day mean (ROLLING_DAYS, at
# least ROLLING_MIN_CHECK_INS check-ins) among the windows ending in the last
# SETBACK_LOOKBACK_DAYS days before the SUSTAINED_DAYS being judged. House
# rule: four weeks. Recovery from a radiculopathy is measured in weeks, so a
# low reached within the last month is the level the patient has shown they
# can hold; a low from months ago says little about now (and the first week's
# baseline already covers the long view, in the rising-pain rule).
SETBACK_LOOKBACK_DAYS = 28
# A setback is a rise of at least 2 points AND at least 30% above that best
# level (both, as the source studies' "meaningful change" for a patient who
# had improved: 2 points alone would flag 1 -> 3, 30% alone 7 -> 9.1 only).
SETBACK_RISE_POINTS = Fraction(2)
SETBACK_RISE_FRACTION = Fraction(3, 10)

# --- A single bad day (NICE CKS sciatica: severe pain; DESIGN.md) -----------

# Pain at 8/10 or more on one day.
HIGH_PAIN_SCORE = 8
# ... or 3 points or more above the baseline on one day.
HIGH_PAIN_RISE_POINTS = 3

# --- Nerve symptoms getting worse (NICE CKS sciatica: progressive deficit) --

# New or spreading numbness, or symptoms spreading down the limb, count when
# they have lasted more than 48 hours. Check-ins are daily, so this means the
# sign is still reported 2 calendar days after the day it was first reported.
NERVE_SIGN_MIN_DAYS = 2

# --- Safety checklist answers (NICE CKS; cauda equina cards) ----------------

# House rule: checklist answers count from today's and yesterday's check-ins
# (the days a patient can still fill in or change), or from the latest
# check-in if the patient has not checked in since.
CHECKLIST_RECENT_DAYS = 2

# --- "We have not heard from you" (house rule, DESIGN.md issue 5) -----------

# Worse symptoms were reported, and then this many days passed without another
# check-in (last check-in Monday, nothing by Thursday).
NOT_HEARD_FROM_DAYS = 3

# --- One exercise making things worse (Silbernagel 2007; DESIGN.md) ---------

# Look at the exercise's last 3 sessions in which it was done...
EXERCISE_SESSIONS_CONSIDERED = 3
# ... and flag it when 2 of them aggravated symptoms.
EXERCISE_AGGRAVATING_SESSIONS = 2
# A session aggravates when pain after the exercise is MORE than 2 points above
# the pain before it...
SESSION_PAIN_RISE_LIMIT = 2
# ... or the exercise raised pain to ABOVE 5/10 (Silbernagel's acceptable limit;
# pain that was already higher and eased during the exercise does not count)...
SESSION_PAIN_CEILING = 5
# ... or the patient said the symptoms spread or got worse, or the next
# morning's pain was worse: the check-in on the day after the session has a
# higher score (the higher of its two pain scores) than the pain before the
# exercise. No margin: Silbernagel's model allows no rise by the next morning.
NEXT_MORNING_RISE_LIMIT = 0

# --- How far back the rules look (house rule) -------------------------------

# Check-ins and sessions older than this say little about the patient now.
# (The baseline is the exception: it is taken from the start.)
RECENT_DAYS = 28
