"""The audit trail: who read or changed which patient's record, when and from where (issue 10).

One append-only row per request that concerns a patient (middleware.py), the
patient's "who has looked at my record" page and the clinic's review with its
CSV export (views.py). The patient a request concerns is named centrally
(context.py), by the shared access selectors and the admin, never per view.
"""
