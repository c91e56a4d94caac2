"""The patient's daily log: check-ins, exercise sessions and the edit window they share."""
