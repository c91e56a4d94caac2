"""The safety path: every reported warning sign becomes a flag, a banner and an e-mail, whatever fails.

- step.py: the safety step every write of a patient's symptoms runs in its own
  transaction (flag rules and dashboard summary, or their durable queueing).
- advice.py: the emergency advice worked out from the patient's own answers,
  for when the flag rules could not run or the database could not be reached.
- outage.py: what a visitor sees when the database is unreachable (a 503 with
  a clear message, never a 500).
"""
