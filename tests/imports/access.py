"""Access matrix of the imports app (``tests/access.py`` explains the columns).

Facilitators and administrators import (DESIGN.md); an import is seen by its uploader (the
facilitator of regency A made the matrix's job) and administrators only.
"""

from tests.access import Access, admin_pages

ACCESS = {
    #    anon off  offB fac  facB prog dprd admin
    "imports:list": Access(
        "302  404  404  200  200  404  404  200",  # GET
        "302  404  404  200  200  404  404  200",  # POST
    ),
    # An empty POST shows the form again with its errors.
    "imports:upload": Access(
        "302  404  404  200  200  404  404  200",  # GET
        "302  404  404  200  200  404  404  200",  # POST
    ),
    "imports:template": Access(
        "302  404  404  200  200  404  404  200",  # GET
        "302  405  405  405  405  405  405  405",  # POST
        args=("members",),
    ),
    "imports:detail": Access(
        "302  404  404  200  404  404  404  200",  # GET
        "302  404  404  200  404  404  404  200",  # POST
        args=("import_job",),
    ),
    "imports:progress": Access(
        "302  404  404  200  404  404  404  200",  # GET
        "302  405  405  405  405  405  405  405",  # POST
        args=("import_job",),
    ),
    "imports:resolve": Access(
        "302  405  405  405  405  405  405  405",  # GET
        "302  404  404  302  404  404  404  302",  # POST
        args=("import_job",),
    ),
    "imports:confirm": Access(
        "302  405  405  405  405  405  405  405",  # GET
        "302  404  404  302  404  404  404  302",  # POST
        args=("import_job",),
    ),
    # Trying a job again that has not failed leaves it as it is and shows its page.
    "imports:retry": Access(
        "302  405  405  405  405  405  405  405",  # GET
        "302  404  404  302  404  404  404  302",  # POST
        args=("import_job",),
    ),
    # The matrix's job is a preview never confirmed: its uploader and administrators may
    # delete it (GET asks, POST deletes and goes back to the list).
    "imports:delete": Access(
        "302  404  404  200  404  404  404  200",  # GET
        "302  404  404  302  404  404  404  302",  # POST
        args=("import_job",),
    ),
    **admin_pages("imports.ImportJob", add=403, change_post=403),
    **admin_pages("imports.ImportRow", add=403, change_post=403),
}
