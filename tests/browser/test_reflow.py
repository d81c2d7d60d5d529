"""WCAG 1.4.10 Reflow: every page, for every role, fits a 320px wide screen without scrolling sideways.
A wide table may scroll inside its own region, but the page itself must not."""

import pytest

from models import ROLES
from tests.browser.support import pages_for

NARROW = {"width": 320, "height": 640}


@pytest.mark.parametrize("role", [None, *ROLES])
def test_every_page_reflows_at_320_pixels_wide(open_page, live_server, role):
    page = open_page(role, viewport=NARROW)
    too_wide = []
    for url in pages_for(live_server.app, role, live_server.ids):
        response = page.goto(url)
        assert response.status == 200, f"{role} {url}: {response.status}"
        width, viewport = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if width > viewport:
            too_wide.append(f"{url} is {width}px wide")
    assert not too_wide, f"{role or 'signed out'}: pages scroll sideways at 320px: {too_wide}"
