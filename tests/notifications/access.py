"""Access matrix of the notifications app (``tests/access.py`` explains the columns).

Every signed-in user sets their own reminders; an empty POST shows the form's errors. The
admin's log of sent reminders is read only.
"""

from tests.access import Access, admin_pages

ACCESS = {
    #    anon off  offB fac  facB prog dprd admin
    "notifications:preferences": Access(
        "302  200  200  200  200  200  200  200",  # GET
        "302  200  200  200  200  200  200  200",  # POST
    ),
    **admin_pages("notifications.Preference"),
    **admin_pages("notifications.Delivery", add=403, change_post=403),
}
