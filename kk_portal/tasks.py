"""Background tasks that are tried again when they fail.

Django's Tasks framework (``django.tasks``) runs a task once; a notification whose SMS gateway
is down for a minute, or an import that meets a database restart, should be tried again.
``retrying_task`` is ``django.tasks.task`` with that added: a run that raises queues the same
call again, later each time, up to ``attempts`` runs in all, and then raises as any task does.
``on_final_failure`` lets the app that owns the task record that the last run failed (an
import marked failed, so its page stops showing it running).
Every failed run stays in the task results (the admin's "Task results" page, filtered by
status, with its traceback) and is logged at ERROR on the ``django.tasks`` logger, which
e-mails ``ADMINS`` when e-mail is configured (``kk_portal/settings.py``).
"""

import functools
from datetime import timedelta

from django.tasks import task
from django.utils import timezone

#: Runs in all, and the wait before the second run; each later wait doubles.
ATTEMPTS = 3
FIRST_RETRY_AFTER = timedelta(minutes=1)


def retrying_task(
    function=None,
    *,
    attempts=ATTEMPTS,
    retry_after=FIRST_RETRY_AFTER,
    on_final_failure=None,
    **options,
):
    """Decorate a module-level function as a task that is queued again when it raises.

    Use as ``@retrying_task`` or ``@retrying_task(attempts=5, priority=10)``; ``options`` go to
    ``django.tasks.task``. The task takes the function's arguments (JSON values only, as every
    task does) and a keyword ``attempt`` (1 for the first run) that callers leave out. A run
    that raises queues attempt ``n + 1`` to run ``retry_after × 2^(n-1)`` later, while
    ``n < attempts``, and re-raises, so the failed run is recorded with its error. Backends
    that cannot defer (the immediate backend of tests) run the next attempt at once.

    ``on_final_failure(args, kwargs, exception)`` (``args`` a tuple and ``kwargs`` a dict of
    the call's own arguments, without ``attempt``) is called when the last run raises,
    before the exception is re-raised; it is passed by the app that owns the task, so this
    module imports no app. An exception it raises replaces the task's.
    """

    def decorate(func):
        @functools.wraps(func)
        def run(*args, attempt=1, **kwargs):
            try:
                return func(*args, **kwargs)
            except Exception as error:
                if attempt < attempts:
                    again = scheduled
                    if again.get_backend().supports_defer:
                        again = again.using(
                            run_after=timezone.now() + retry_after * 2 ** (attempt - 1)
                        )
                    again.enqueue(*args, attempt=attempt + 1, **kwargs)
                elif on_final_failure is not None:
                    on_final_failure(args, kwargs, error)
                raise

        scheduled = task(**options)(run)
        return scheduled

    return decorate(function) if function is not None else decorate
