"""Access matrix of the aspirations app (``tests/access.py`` explains the columns).

Aspirations of group A1 in village A1: its officers, the regency's facilitator, programme
staff and the DPRD staff of village A1's district read them; only the group's writers
change them, and DPRD staff may move them too (conveyed, Pokir). On the aspiration's way,
readers get 403 ("your role does not allow this"), outsiders 404. Musrenbang forums are
recorded by officers and facilitators only, and edited by the officer who recorded them, the
regency's facilitators and administrators.
"""

from tests.access import Access, admin_pages

ACCESS = {
    #    anon off  offB fac  facB prog dprd admin
    "aspirations:list": Access(
        "302  200  200  200  200  200  200  200",  # GET
        "302  200  200  200  200  200  200  200",  # POST
    ),
    "aspirations:export": Access(
        "302  200  200  200  200  200  200  200",  # GET
        "302  200  200  200  200  200  200  200",  # POST
    ),
    # Bulk "taken into Pokir" from the list: facilitators, DPRD staff, administrators
    # ("move_many"); an empty POST shows the list again with "tick the aspirations".
    "aspirations:move_bulk": Access(
        "302  405  405  405  405  405  405  405",  # GET
        "302  403  403  200  200  403  200  200",  # POST
    ),
    "aspirations:create": Access(
        "302  200  200  200  200  404  404  200",  # GET
        "302  200  200  200  200  404  404  200",  # POST
    ),
    "aspirations:detail": Access(
        "302  200  404  200  404  200  200  200",  # GET
        "302  200  404  200  404  200  200  200",  # POST
        args=("aspiration",),
    ),
    "aspirations:edit": Access(
        "302  200  404  200  404  404  404  200",  # GET
        "302  200  404  200  404  404  404  200",  # POST
        args=("aspiration",),
    ),
    "aspirations:attachment": Access(
        "302  200  404  200  404  200  200  200",  # GET
        "302  405  405  405  405  405  405  405",  # POST
        args=("attachment",),
    ),
    "aspirations:attachment_thumbnail": Access(
        "302  200  404  200  404  200  200  200",  # GET
        "302  405  405  405  405  405  405  405",  # POST
        args=("attachment",),
    ),
    # DPRD staff record conveyed and Pokir for the aspirations they see (services.targets_for).
    "aspirations:move": Access(
        "302  200  404  200  404  403  200  200",  # GET
        "302  200  404  200  404  403  200  200",  # POST
        args=("aspiration",),
    ),
    "aspirations:correct": Access(
        "302  200  404  200  404  403  403  200",  # GET
        "302  200  404  200  404  403  403  200",  # POST
        args=("aspiration",),
    ),
    "aspirations:carry_over": Access(
        "302  405  405  405  405  405  405  405",  # GET
        "302  302  404  302  404  403  403  302",  # POST
        args=("aspiration",),
    ),
    "aspirations:set_public": Access(
        "302  405  405  405  405  405  405  405",  # GET
        "302  302  404  302  404  403  403  302",  # POST
        args=("aspiration",),
    ),
    "aspirations:link_duplicate": Access(
        "302  405  405  405  405  405  405  405",  # GET
        "302  302  404  302  404  403  403  302",  # POST
        args=("aspiration",),
    ),
    "aspirations:unlink_duplicate": Access(
        "302  405  405  405  405  405  405  405",  # GET
        "302  302  404  302  404  403  403  302",  # POST
        args=("aspiration",),
    ),
    "aspirations:stuck": Access(
        "302  200  200  200  200  200  200  200",  # GET
        "302  200  200  200  200  200  200  200",  # POST
    ),
    "aspirations:musrenbang_list": Access(
        "302  200  200  200  200  200  200  200",  # GET
        "302  200  200  200  200  200  200  200",  # POST
    ),
    "aspirations:musrenbang_create": Access(
        "302  200  200  200  200  403  403  403",  # GET
        "302  200  200  200  200  403  403  403",  # POST
    ),
    "aspirations:musrenbang_detail": Access(
        "302  200  404  200  404  200  200  200",  # GET
        "302  200  404  200  404  200  200  200",  # POST
        args=("forum",),
    ),
    # The matrix's forum was recorded by nobody: officers who see it read it only (403).
    "aspirations:musrenbang_edit": Access(
        "302  403  404  200  404  403  403  200",  # GET
        "302  403  404  200  404  403  403  200",  # POST
        args=("forum",),
    ),
    **admin_pages("aspirations.Urusan"),
    **admin_pages("aspirations.Topic"),
    **admin_pages("aspirations.Aspiration"),
    # Timeline events are written by the aspiration's way only.
    **admin_pages("aspirations.AspirationEvent", change_post=403),
    **admin_pages("aspirations.MusrenbangForum"),
    # Budget outcomes come from moves; the admin corrects only their agency and evidence.
    **admin_pages("aspirations.BudgetOutcome", add=403, change_post=302, delete=403),
    **admin_pages("aspirations.Attachment"),
}
