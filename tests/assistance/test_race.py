"""Two taps on "Simpan" at the same moment, each on its own database connection: both
answer with the one case, on SQLite (writers wait for the lock) and on PostgreSQL (the
loser's duplicate token finds the winner's case)."""

import threading
import time

import pytest
from django.db import connection
from django.urls import reverse

from assistance import services
from assistance.models import AssistanceCase
from tests.assistance.test_views import _form

pytestmark = pytest.mark.django_db(transaction=True)


def test_double_tap_at_the_same_moment_ends_on_one_case(officer, world, monkeypatch):
    opened = services.case_open

    def slow_case_open(**kwargs):
        # Hold the transaction open so that the second tap arrives while the first writes.
        time.sleep(0.5)
        return opened(**kwargs)

    monkeypatch.setattr(services, "case_open", slow_case_open)
    data = _form(world)
    start = threading.Barrier(2)
    answers = []

    def tap():
        try:
            start.wait()
            answers.append(officer.post(reverse("assistance:create"), data))
        finally:
            connection.close()

    taps = [threading.Thread(target=tap) for _ in range(2)]
    for thread in taps:
        thread.start()
    for thread in taps:
        thread.join()

    case = AssistanceCase.objects.get()
    assert sorted(answer.status_code for answer in answers) == [302, 302]
    assert {answer.url for answer in answers} == {reverse("assistance:detail", args=[case.pk])}
