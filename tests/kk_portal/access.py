"""Access matrix of the core's URLs: officer accounts, signing in and out, the language
switch and the admin site itself (``tests/access.py`` explains the columns)."""

from django.contrib.contenttypes.models import ContentType

from aspirations.models import Aspiration
from tests.access import Access, admin_only, admin_pages, same_for_all

ACCESS = {
    #    anon off  offB fac  facB prog dprd admin
    # The language switch sends everyone back where they were.
    "set_language": same_for_all(302, anonymous_to_login=False),
    # Facilitators manage the officers of their regency's groups, administrators all.
    "officers:list": Access(
        "302  404  404  200  200  404  404  200",  # GET
        "302  404  404  200  200  404  404  200",  # POST
    ),
    "officers:create": Access(
        "302  404  404  200  200  404  404  200",  # GET
        "302  404  404  200  200  404  404  200",  # POST
    ),
    "officers:password": Access(
        "302  404  404  200  404  404  404  200",  # GET
        "302  404  404  200  404  404  404  200",  # POST
        args=("officer_account",),
    ),
    "officers:active": Access(
        "302  405  405  405  405  405  405  405",  # GET
        "302  404  404  302  404  404  404  302",  # POST
        args=("officer_account",),
    ),
    # Facilitators unlock the officers of their regency after failed sign-ins, administrators
    # any account.
    "officers:unlock": Access(
        "302  405  405  405  405  405  405  405",  # GET
        "302  404  404  302  404  404  404  302",  # POST
        args=("officer_account",),
    ),
    "login": same_for_all(200),
    # The installable web app: the service worker, the manifest and the page saying what
    # the phone keeps are the same for everyone (the drafts are the browser's own).
    "service_worker": same_for_all(200, 405),
    "manifest": same_for_all(200, 405),
    "offline_help": same_for_all(200, 405),
    "privacy": same_for_all(200, 405),
    "logout": Access(
        "405  405  405  405  405  405  405  405",  # GET
        "302  302  302  302  302  302  302  302",  # POST
    ),
    # Everyone's own account page, and Django's password change in this site's templates.
    "account": Access(
        "302  200  200  200  200  200  200  200",  # GET
        "302  405  405  405  405  405  405  405",  # POST
    ),
    # The code of the second factor: a user without an authenticator is sent to set one
    # up; programme staff and administrators (both factors given) back to where they were.
    "second_factor": same_for_all(302, 302),
    "second_factor_enrol": Access(
        "302  200  200  200  200  302  200  302",  # GET
        "302  200  200  200  200  302  200  302",  # POST
    ),
    # Backup codes: only with the authenticator app set up (programme staff and
    # administrators here); the others are sent to their account page to turn it on.
    "second_factor_backup_codes": Access(
        "302  302  302  302  302  200  302  200",  # GET
        "302  302  302  302  302  200  302  200",  # POST
    ),
    "password_change": Access(
        "302  200  200  200  200  200  200  200",  # GET
        "302  200  200  200  200  200  200  200",  # POST
    ),
    "password_change_done": Access(
        "302  200  200  200  200  200  200  200",  # GET
        "302  405  405  405  405  405  405  405",  # POST
    ),
    # Password reset by e-mail, or the page saying that no e-mail can be sent (the suite
    # runs without e-mail configured).
    "password_reset": same_for_all(200),
    "password_reset_done": same_for_all(200, 405),
    "password_reset_confirm": same_for_all(200, args=("MQ", "set-password")),
    "password_reset_complete": same_for_all(200, 405),
    # The admin site: administrators only; everyone else is sent to its sign-in page.
    "admin:index": admin_only(),
    "admin:login": Access(
        "200  200  200  200  200  200  200  302",  # GET
        "200  200  200  200  200  200  200  200",  # POST
    ),
    # Signing out of the admin sends a visitor who is not signed in to the admin's index.
    "admin:logout": admin_only(405, 302, anonymous_to_login=False),
    "admin:password_change": admin_only(),
    "admin:password_change_done": admin_only(200, 405),
    "admin:autocomplete": admin_only(403, 405),
    "admin:jsi18n": admin_only(200, 405),
    "admin:view_on_site": admin_only(
        302,
        302,
        args=(lambda rows: ContentType.objects.get_for_model(Aspiration).pk, "aspiration"),
    ),
    "admin:app_list": admin_only(args=("aspirations",)),
    "admin:auth_user_password_change": admin_only(args=("officer_account",)),
    **admin_pages("auth.Group"),
    **admin_pages("kk_portal.User"),
    # Failed sign-ins counting towards a lock: listed, and deleted to unlock, never added
    # (every field is read only: an empty POST saves nothing and goes back to the list).
    **admin_pages("axes.AccessAttempt", add=403, change_post=302),
    # Authenticator apps: an administrator removes a lost one; their secrets are never shown.
    **admin_pages("otp_totp.TOTPDevice"),
    # Backup codes: an administrator removes them with a lost phone; the codes never show.
    **admin_pages("otp_static.StaticDevice"),
    "admin:otp_totp_totpdevice_config": admin_only(403, 403, args=("otp_totp.TOTPDevice",)),
    "admin:otp_totp_totpdevice_qrcode": admin_only(403, 403, args=("otp_totp.TOTPDevice",)),
    # Background tasks and their errors: read only (django-tasks-db's admin).
    **admin_pages("django_tasks_database.DBTaskResult", add=403, change_post=403, delete=403),
    # Django's read-only password widget reads a variable its admin page does not pass.
    "admin:kk_portal_user_change": admin_only(args=("kk_portal.User",), djangos_templates=True),
}
