"""Access matrix of the activities app (``tests/access.py`` explains the columns).

Activities and attendance are read like members' personal data: officers of the groups
taking part and their regency's facilitators; programme and DPRD staff get 404 (they see
the dashboard's counts). The host group's writers change them. Budget access is read as
groups are and written by the group's writers; so are replicated practices, which the
writers of other groups record taking up.
"""

from tests.access import Access, admin_pages

ACCESS = {
    #    anon off  offB fac  facB prog dprd admin
    "activities:list": Access(
        "302  200  200  200  200  404  404  200",  # GET
        "302  200  200  200  200  404  404  200",  # POST
    ),
    "activities:export": Access(
        "302  200  200  200  200  404  404  200",  # GET
        "302  200  200  200  200  404  404  200",  # POST
    ),
    "activities:create": Access(
        "302  200  200  200  200  404  404  200",  # GET
        "302  200  200  200  200  404  404  200",  # POST
    ),
    "activities:detail": Access(
        "302  200  404  200  404  404  404  200",  # GET
        "302  200  404  200  404  404  404  200",  # POST
        args=("activity",),
    ),
    "activities:edit": Access(
        "302  200  404  200  404  404  404  200",  # GET
        "302  200  404  200  404  404  404  200",  # POST
        args=("activity",),
    ),
    "activities:attendance_members": Access(
        "302  405  405  405  405  405  405  405",  # GET
        "302  400  404  400  404  404  404  400",  # POST
        args=("activity",),
    ),
    "activities:attendance_guest": Access(
        "302  405  405  405  405  405  405  405",  # GET
        "302  400  404  400  404  404  404  400",  # POST
        args=("activity",),
    ),
    "activities:attendance_export": Access(
        "302  200  404  200  404  404  404  200",  # GET
        "302  200  404  200  404  404  404  200",  # POST
        args=("activity",),
    ),
    "activities:sheet": Access(
        "302  200  404  200  404  404  404  200",  # GET
        "302  200  404  200  404  404  404  200",  # POST
        args=("activity",),
    ),
    "activities:attendance_remove": Access(
        "302  405  405  405  405  405  405  405",  # GET
        "302  302  404  302  404  404  404  302",  # POST
        args=("attendance",),
    ),
    "activities:attendance_list": Access(
        "302  200  200  200  200  404  404  200",  # GET
        "302  200  200  200  200  404  404  200",  # POST
    ),
    "activities:budget_list": Access(
        "302  200  200  200  200  200  200  200",  # GET
        "302  200  200  200  200  200  200  200",  # POST
    ),
    "activities:budget_export": Access(
        "302  200  200  200  200  200  200  200",  # GET
        "302  200  200  200  200  200  200  200",  # POST
    ),
    "activities:budget_create": Access(
        "302  200  200  200  200  404  404  200",  # GET
        "302  200  200  200  200  404  404  200",  # POST
    ),
    "activities:budget_edit": Access(
        "302  200  404  200  404  404  404  200",  # GET
        "302  200  404  200  404  404  404  200",  # POST
        args=("budget_access",),
    ),
    "activities:practice_list": Access(
        "302  200  200  200  200  200  200  200",  # GET
        "302  200  200  200  200  200  200  200",  # POST
    ),
    "activities:practice_create": Access(
        "302  200  200  200  200  404  404  200",  # GET
        "302  200  200  200  200  404  404  200",  # POST
    ),
    "activities:practice_detail": Access(
        "302  200  404  200  404  200  200  200",  # GET
        "302  200  404  200  404  200  200  200",  # POST
        args=("practice",),
    ),
    "activities:practice_adopt": Access(
        "302  405  405  405  405  405  405  405",  # GET
        "302  400  404  400  404  404  404  400",  # POST
        args=("practice",),
    ),
    **admin_pages("activities.Activity"),
    **admin_pages("activities.Attendance"),
    **admin_pages("activities.BudgetAccess"),
    **admin_pages("activities.ReplicatedPractice"),
    **admin_pages("activities.PracticeAdoption"),
}
