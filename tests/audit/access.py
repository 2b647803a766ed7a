"""Access matrix of the audit app (``tests/access.py`` explains the columns).

The access log is read by facilitators (their regency's rows) and administrators; everyone
else gets 404. Nothing changes it: the page only reads, the admin is read only.
"""

from tests.access import Access, admin_pages

ACCESS = {
    #    anon off  offB fac  facB prog dprd admin
    "audit:access_log": Access(
        "302  404  404  200  200  404  404  200",  # GET
        "302  404  404  200  200  404  404  200",  # POST
    ),
    **admin_pages("audit.AccessLog", add=403, change_post=403, delete=403),
}
