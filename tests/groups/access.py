"""Access matrix of the groups app (``tests/access.py`` explains the columns).

Everyone signed in reads the groups of their scope (DPRD staff: their district's); the
group's officers, its regency's facilitators and administrators edit it; facilitators and
administrators found new groups.
"""

from tests.access import Access, admin_pages

ACCESS = {
    #    anon off  offB fac  facB prog dprd admin
    "groups:list": Access(
        "302  200  200  200  200  200  200  200",  # GET
        "302  200  200  200  200  200  200  200",  # POST
    ),
    "groups:export": Access(
        "302  200  200  200  200  200  200  200",  # GET
        "302  200  200  200  200  200  200  200",  # POST
    ),
    "groups:create": Access(
        "302  404  404  200  200  404  404  200",  # GET
        "302  404  404  200  200  404  404  200",  # POST
    ),
    "groups:detail": Access(
        "302  200  404  200  404  200  200  200",  # GET
        "302  200  404  200  404  200  200  200",  # POST
        args=("group",),
    ),
    "groups:edit": Access(
        "302  200  404  200  404  404  404  200",  # GET
        "302  200  404  200  404  404  404  200",  # POST
        args=("group",),
    ),
    "groups:decree": Access(
        "302  200  404  200  404  200  200  200",  # GET
        "302  200  404  200  404  200  200  200",  # POST
        args=("group",),
    ),
    **admin_pages("groups.Province"),
    **admin_pages("groups.Regency"),
    **admin_pages("groups.Subdistrict"),
    **admin_pages("groups.Village"),
    **admin_pages("groups.ConstituentGroup"),
}
