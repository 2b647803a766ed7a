"""Access matrix of the reses app (``tests/access.py`` explains the columns).

A meeting of the world's representative in village A1: officers of group A1 see it (their
village) and propose for it; DPRD staff of the representative, the regency's facilitator
and administrators manage it; programme staff read it.
"""

from tests.access import Access, admin_only, admin_pages

ACCESS = {
    #    anon off  offB fac  facB prog dprd admin
    "reses:meeting_list": Access(
        "302  200  200  200  200  200  200  200",  # GET
        "302  200  200  200  200  200  200  200",  # POST
    ),
    "reses:meeting_create": Access(
        "302  403  403  200  200  403  200  200",  # GET
        "302  403  403  200  200  403  200  200",  # POST
    ),
    "reses:meeting_detail": Access(
        "302  200  404  200  404  200  200  200",  # GET
        "302  200  404  200  404  200  200  200",  # POST
        args=("meeting",),
    ),
    "reses:meeting_update": Access(
        "302  404  404  200  404  404  200  200",  # GET
        "302  404  404  200  404  404  200  200",  # POST
        args=("meeting",),
    ),
    "reses:agenda_build": Access(
        "302  404  404  200  404  404  200  200",  # GET
        "302  404  404  400  404  404  400  400",  # POST
        args=("meeting",),
    ),
    "reses:agenda_propose": Access(
        "302  405  405  405  405  405  405  405",  # GET
        "302  400  404  403  404  403  403  403",  # POST
        args=("meeting",),
    ),
    "reses:agenda_print": Access(
        "302  200  404  200  404  200  200  200",  # GET
        "302  200  404  200  404  200  200  200",  # POST
        args=("meeting",),
    ),
    "reses:agenda_pdf": Access(
        "302  200  404  200  404  200  200  200",  # GET
        "302  200  404  200  404  200  200  200",  # POST
        args=("meeting",),
    ),
    "reses:meeting_followup": Access(
        "302  404  404  200  404  404  200  200",  # GET
        "302  404  404  400  404  404  400  400",  # POST
        args=("meeting",),
    ),
    "admin:reses_electoraldistrict_add_villages": admin_only(args=("district",)),
    **admin_pages("reses.ElectoralDistrict"),
    **admin_pages("reses.Representative"),
    **admin_pages("reses.ResesMeeting"),
    **admin_pages("reses.ResesAttendance"),
}
