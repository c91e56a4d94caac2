import pytest

IMMEDIATE_TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]},
}


@pytest.fixture
def immediate_tasks(settings):
    """Background tasks run at once, in the test's thread (on commit, like the real queue)."""
    settings.TASKS = IMMEDIATE_TASKS
    return settings


@pytest.fixture
def failing_mail(settings):
    settings.EMAIL_BACKEND = "tests.tracker.flags.broken_backends.FailingEmailBackend"
    return settings


@pytest.fixture
def broken_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "tests.tracker.flags.broken_backends.BrokenQueueBackend"}}
    return settings
