"""Access matrix of the assistance app (``tests/access.py`` explains the columns).

The case pages are tried on a confidential case of group A1 handled by the officer persona
(``case``): only she and the facilitator of regency A see it; the facilitator reads it
(403 on the forms that change it) and may name its handlers; officers of other groups,
facilitators of other regencies, programme and DPRD staff and the administrator get 404.
The lists, the export and the form to open a case are for those who write a group's data.
``tests/test_assistance_access_proof.py`` proves, beyond statuses, that nothing of the case
reaches anyone outside that circle.
"""

from tests.access import Access, admin_pages

#: A confidential case: the handling officer writes, the facilitator reads, others get 404.
_READ = Access(
    "302  200  404  200  404  404  404  404",  # GET
    "302  200  404  200  404  404  404  404",  # POST
    args=("case",),
)
_WRITE = Access(
    "302  200  404  403  404  404  404  404",  # GET
    "302  200  404  403  404  404  404  404",  # POST
    args=("case",),
)

ACCESS = {
    #    anon off  offB fac  facB prog dprd admin
    # A POST sets the name search and redirects to the list.
    "assistance:list": Access(
        "302  200  200  200  200  404  404  200",  # GET
        "302  302  302  302  302  404  404  302",  # POST
    ),
    "assistance:export": Access(
        "302  200  200  200  200  404  404  200",  # GET
        "302  200  200  200  200  404  404  200",  # POST
    ),
    "assistance:create": Access(
        "302  200  200  200  200  404  404  200",  # GET
        "302  200  200  200  200  404  404  200",  # POST
    ),
    "assistance:detail": _READ,
    "assistance:print": _READ,
    # The copy of the person's data (the case's person is not a member): for those who see
    # the case, files only (GET).
    "assistance:data_json": _READ._replace(post="302  405  405  405  405  405  405  405"),
    "assistance:data_pdf": _READ._replace(post="302  405  405  405  405  405  405  405"),
    "assistance:edit": _WRITE,
    "assistance:step": _WRITE._replace(args=("case", "referred")),
    "assistance:consent": _WRITE,
    "assistance:handlers": _READ,
    "assistance:document": Access(
        "302  200  404  200  404  404  404  404",  # GET
        "302  405  405  405  405  405  405  405",  # POST
        args=("case_document",),
    ),
    "assistance:document_thumbnail": Access(
        "302  200  404  200  404  404  404  404",  # GET
        "302  405  405  405  405  405  405  405",  # POST
        args=("case_document",),
    ),
    # The admin lists only cases that are not confidential, and changes none.
    **admin_pages("assistance.AssistanceCase", add=403, change_post=403, delete=403),
}
