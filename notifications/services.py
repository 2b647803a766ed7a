"""Writing a user's notification preference."""

from django.db import transaction

from notifications.models import Preference


def preference_save(user, *, channel, language, email, phone):
    """Keep ``user``'s reminder ``channel`` and ``language``, and the e-mail address and
    phone (``+62…``, normalised by the form) they go to. Returns the ``Preference``."""
    with transaction.atomic():
        user.email = email
        user.phone = phone
        user.save(update_fields=["email", "phone"])
        preference, _created = Preference.objects.update_or_create(
            user=user, defaults={"channel": channel, "language": language}
        )
    return preference
