"""Access matrix of the tracker app (``tests/access.py`` explains the columns): the public
pages answer everyone alike, without login; the staff scorecards need a login and follow
the representative's read scope."""

from tests.access import Access, same_for_all

ACCESS = {
    "tracker:index": same_for_all(200, 405),
    "tracker:list": same_for_all(200, 405),
    "tracker:detail": same_for_all(200, 405, args=("public_aspiration",)),
    "tracker:representative": same_for_all(200, 405, args=("reses.Representative",)),
    "tracker:agencies": same_for_all(200, 405),
    #    anon off  offB fac  facB prog dprd admin
    "tracker:staff_representative": Access(
        "302  200  404  200  404  200  200  200",  # GET
        "302  405  405  405  405  405  405  405",  # POST
        args=("reses.Representative",),
    ),
    "tracker:staff_pokir_export": Access(
        "302  200  404  200  404  200  200  200",  # GET
        "302  405  405  405  405  405  405  405",  # POST
        args=("reses.Representative",),
    ),
    "tracker:staff_agencies": Access(
        "302  200  200  200  200  200  200  200",  # GET
        "302  405  405  405  405  405  405  405",  # POST
    ),
}
