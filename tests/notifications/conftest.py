import pytest

from tests.conftest import PERSONA_USERS


@pytest.fixture
def people(world):
    """Every signed-in persona of ``tests/conftest.py`` as a user with an e-mail address
    ``<username>@example.org`` and no preference saved (reminders by e-mail)."""
    users = {}
    for persona, make in PERSONA_USERS.items():
        user = make(world)
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
        users[persona] = user
    return users


def recipients(outbox):
    """The usernames an outbox's messages went to, sorted."""
    return sorted(address.split("@")[0] for message in outbox for address in message.to)
