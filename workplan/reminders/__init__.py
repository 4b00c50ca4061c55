"""The daily reminders: who is reminded of what (policy), sending each digest exactly once
(delivery), the mails, the Celery jobs and their back-office pages (admin).

The working-day calendar they count with is `workplan.calendar`: urgency and report deadlines
count with it too.
"""
