"""The main menu (``templates/_nav.html``) offers each role the pages it may use."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    ("role", "links"),
    [
        ("officer", ["/", "/members/", "/aspirations/"]),
        ("facilitator", ["/", "/members/", "/aspirations/", "/accounts/officers/"]),
        ("programme", ["/", "/aspirations/"]),
        ("dprd", ["/", "/aspirations/"]),
    ],
)
def test_menu_offers_each_role_its_pages(request, role, links):
    client = request.getfixturevalue(role)

    text = client.get(reverse("home")).text
    menu = text.split('class="menu"', 1)[1].split("</nav>", 1)[0]

    for link in links:
        assert f'href="{link}"' in menu
    if role in {"programme", "dprd"}:
        assert 'href="/members/"' not in menu
    if role != "facilitator":
        assert 'href="/accounts/officers/"' not in menu
