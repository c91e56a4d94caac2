"""Backends that always fail, as a mail server or a task queue that is down would."""

from smtplib import SMTPException

from django.core.mail.backends.base import BaseEmailBackend
from django_tasks.backends.base import BaseTaskBackend


class FailingEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise SMTPException("421 Service not available")


class BrokenQueueBackend(BaseTaskBackend):
    def enqueue(self, task, args, kwargs):
        raise ConnectionError("queue unavailable")
