"""Access matrix of the members app (``tests/access.py`` explains the columns).

Members' personal data: the group's officers and the regency's facilitator read and write
it; programme and DPRD staff get 404 on every member page (they see aggregates only).
"""

from tests.access import Access, admin_pages

ACCESS = {
    #    anon off  offB fac  facB prog dprd admin
    "members:list": Access(
        "302  200  200  200  200  404  404  200",  # GET
        "302  200  200  200  200  404  404  200",  # POST
    ),
    "members:export": Access(
        "302  200  200  200  200  404  404  200",  # GET
        "302  200  200  200  200  404  404  200",  # POST
    ),
    "members:create": Access(
        "302  200  200  200  200  404  404  200",  # GET
        "302  200  200  200  200  404  404  200",  # POST
    ),
    "members:detail": Access(
        "302  200  404  200  404  404  404  200",  # GET
        "302  200  404  200  404  404  404  200",  # POST
        args=("member",),
    ),
    "members:edit": Access(
        "302  200  404  200  404  404  404  200",  # GET
        "302  200  404  200  404  404  404  200",  # POST
        args=("member",),
    ),
    "members:leave": Access(
        "302  405  405  405  405  405  405  405",  # GET
        "302  302  404  302  404  404  404  302",  # POST
        args=("member",),
    ),
    # An empty POST (no reason, box not ticked) shows the data page again with its errors.
    "members:anonymise": Access(
        "302  405  405  405  405  405  405  405",  # GET
        "302  200  404  200  404  404  404  200",  # POST
        args=("member",),
    ),
    # A member's own data (UU PDP): those who may change the member.
    "members:data": Access(
        "302  200  404  200  404  404  404  200",  # GET
        "302  405  405  405  405  405  405  405",  # POST
        args=("member",),
    ),
    "members:data_json": Access(
        "302  200  404  200  404  404  404  200",  # GET
        "302  405  405  405  405  405  405  405",  # POST
        args=("member",),
    ),
    "members:data_pdf": Access(
        "302  200  404  200  404  404  404  200",  # GET
        "302  405  405  405  405  405  405  405",  # POST
        args=("member",),
    ),
    "members:officer_start": Access(
        "302  200  404  200  404  404  404  200",  # GET
        "302  200  404  200  404  404  404  200",  # POST
        args=("group",),
    ),
    "members:officer_end": Access(
        "302  200  404  200  404  404  404  200",  # GET
        "302  200  404  200  404  404  404  200",  # POST
        args=("officer_term",),
    ),
    # Public roles are personal data as members are.
    "members:role_list": Access(
        "302  200  200  200  200  404  404  200",  # GET
        "302  200  200  200  200  404  404  200",  # POST
    ),
    "members:role_export": Access(
        "302  200  200  200  200  404  404  200",  # GET
        "302  200  200  200  200  404  404  200",  # POST
    ),
    "members:role_create": Access(
        "302  200  404  200  404  404  404  200",  # GET
        "302  200  404  200  404  404  404  200",  # POST
        args=("member",),
    ),
    "members:role_edit": Access(
        "302  200  404  200  404  404  404  200",  # GET
        "302  200  404  200  404  404  404  200",  # POST
        args=("public_role",),
    ),
    **admin_pages("members.Member"),
    **admin_pages("members.OfficerTerm"),
    **admin_pages("members.PublicRole"),
}
