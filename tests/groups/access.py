"""Access matrix of the groups app: it has no pages of its own, only its admin pages."""

from tests.access import admin_pages

ACCESS = {
    **admin_pages("groups.Province"),
    **admin_pages("groups.Regency"),
    **admin_pages("groups.Subdistrict"),
    **admin_pages("groups.Village"),
    **admin_pages("groups.ConstituentGroup"),
}
