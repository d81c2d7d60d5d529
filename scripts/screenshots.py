"""Full-page screenshots of every page for each role, at desktop and 320px wide, for reviewers.

Run with `make screenshots`; the PNGs go to screenshots/ (git-ignored)."""

import pathlib
import sys
import tempfile

from playwright.sync_api import sync_playwright

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.support import CHROMIUM_ARGS, PASSWORD, LiveServer, chromium_path, pages_for  # noqa: E402

WIDTHS = {"desktop": 1280, "mobile": 320}


def main():
    if not chromium_path():
        sys.exit("Chromium is not installed: run `sudo apt-get install chromium`, then `make screenshots` again.")
    out = ROOT / "screenshots"
    out.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as directory, sync_playwright() as playwright:
        server = LiveServer(pathlib.Path(directory))
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        for role, email in [(None, None), *server.accounts.items()]:
            for size, width in WIDTHS.items():
                page = browser.new_page(base_url=server.url, viewport={"width": width, "height": 900})
                if email:
                    page.goto("/sign-in")
                    page.fill("#email", email)
                    page.fill("#password", PASSWORD)
                    page.click("button:has-text('Sign in')")
                    page.wait_for_url(lambda url: "/sign-in" not in url)
                for url in pages_for(server.app, role, server.ids):
                    page.goto(url)
                    name = url.strip("/").replace("/", "_") or "home"
                    page.screenshot(path=out / f"{role or 'signed-out'}-{name}-{size}.png", full_page=True)
                page.close()
        browser.close()
        server.stop()
    print(f"Screenshots written to {out}")


if __name__ == "__main__":
    main()
