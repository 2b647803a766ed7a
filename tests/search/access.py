"""Access matrix of the search app (``tests/access.py`` explains the columns): every
signed-in user may search (each finds only the rows of their own scope); the page only
reads, so a POST is refused."""

from tests.access import Access

ACCESS = {
    #    anon off  offB fac  facB prog dprd admin
    "search:results": Access(
        "302  200  200  200  200  200  200  200",  # GET
        "302  405  405  405  405  405  405  405",  # POST
    ),
}
