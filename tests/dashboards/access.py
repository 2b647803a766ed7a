"""Access matrix of the dashboards app (``tests/access.py`` explains the columns): every
signed-in user has a home page and a dashboard of their own scope."""

from tests.access import Access, admin_pages

#: The summary tables are kept by the write functions; the admin only shows them.
READ_ONLY = {"add": 403, "change_post": 403, "delete": 403}

ACCESS = {
    #    anon off  offB fac  facB prog dprd admin
    "home": Access(
        "302  200  200  200  200  200  200  200",  # GET
        "302  200  200  200  200  200  200  200",  # POST
    ),
    "dashboard:index": Access(
        "302  200  200  200  200  200  200  200",  # GET
        "302  200  200  200  200  200  200  200",  # POST
    ),
    "dashboard:export_table": Access(
        "302  200  200  200  200  200  200  200",  # GET
        "302  200  200  200  200  200  200  200",  # POST
        args=("funnel",),
    ),
    **admin_pages("dashboards.AspirationSummary", **READ_ONLY),
    **admin_pages("dashboards.MoneySummary", **READ_ONLY),
}
