"""One check for every HTML page the tests fetch: the structure any page of the service must have."""

import html
import re
from collections import Counter

import html5lib
from html5lib.constants import namespaces

XHTML = namespaces["html"]
LABEL_EXEMPT_TYPES = {"hidden", "submit", "button", "image", "reset"}


def _text(element):
    return " ".join("".join(element.itertext()).split())


def check_page(response, url=""):
    """Valid HTML5, one <h1>, a <title> starting with it, unique ids, labelled inputs, typed text without
    a template's whitespace around it, forms with an action."""
    if response.mimetype != "text/html":
        return
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        document = parser.parse(response.get_data(as_text=True))
    except html5lib.html5parser.ParseError as error:
        raise AssertionError(f"{url}: not valid HTML: {error}") from error

    headings = document.findall(".//h1")
    assert len(headings) == 1, f"{url}: {len(headings)} <h1> elements"
    heading = _text(headings[0])
    title = _text(document.find(".//title"))
    assert title.removeprefix("Error: ").startswith(heading), f"{url}: title {title!r} does not start with {heading!r}"

    ids = Counter(element.get("id") for element in document.iter() if element.get("id"))
    duplicates = [name for name, count in ids.items() if count > 1]
    assert not duplicates, f"{url}: duplicate ids {duplicates}"

    labelled = {label.get("for") for label in document.iter("label")}
    for tag in ("input", "select", "textarea"):
        for field in document.iter(tag):
            if field.get("type") in LABEL_EXEMPT_TYPES:
                continue
            assert field.get("id") in labelled or field.get("aria-label") or field.get("aria-labelledby"), (
                f"{url}: <{tag} name={field.get('name')!r}> has no label"
            )

    # Typed text keeps its line breaks (app-preserve): whitespace a template put around it would show too,
    # as a stray blank line and indent before the text.
    for element in document.iter():
        if "app-preserve" in (element.get("class") or "").split():
            text = "".join(element.itertext())
            assert text == text.strip(), f"{url}: typed text shown with whitespace around it: {text[:40]!r}"

    for form in document.iter("form"):
        assert form.get("action"), f"{url}: a form has no action"

    for element in (e for e in document.iter() if e.tag in ("script", "link", "img")):
        source = element.get("src") or element.get("href") or ""
        assert not source.startswith(("http:", "https:", "//")), f"{url}: loads {source} from another host"


def page_link(body, rel):
    """The address of a list page's link to its "next" or "prev" page, from the page's HTML (bytes or text)."""
    text = body.decode() if isinstance(body, bytes) else body
    match = re.search(rf'<a class="govuk-link govuk-pagination__link" href="([^"]+)" rel="{rel}"', text)
    assert match, f"no {rel} page link"
    return html.unescape(match.group(1))


def numbered_page_link(body, number):
    """The address of the link to page `number` among a list page's numbered links."""
    text = body.decode() if isinstance(body, bytes) else body
    match = re.search(rf'href="([^"]+)" aria-label="Page {number}"', text)
    assert match, f"no link to page {number}"
    return html.unescape(match.group(1))


def parsed(response):
    """A page's HTML as an element tree (html5lib's, without namespaces), to find parts of it by XPath."""
    return html5lib.parse(response.get_data(as_text=True), namespaceHTMLElements=False)


def revealed_under(page, name, value):
    """The names of the fields GOV.UK's conditional reveal shows under the radio `name`=`value`, in order, or None
    if it has none."""
    radio = page.find(f".//input[@name='{name}'][@value='{value}']")
    # GOV.UK's script makes data-aria-controls aria-controls, once it can open and close the panel.
    controls = radio.get("data-aria-controls")
    panel = page.find(f".//div[@id='{controls}']") if controls else None
    if panel is None:
        return None
    return list(
        dict.fromkeys(field.get("name") for field in panel.iter() if field.tag in ("input", "textarea", "select"))
    )


def group_named(page, legend):
    """The <fieldset> whose legend reads `legend`."""
    for fieldset in page.iter("fieldset"):
        found = fieldset.find("legend")
        if found is not None and _text(found) == legend:
            return fieldset
    raise AssertionError(f"no fieldset with the legend {legend!r}")


def label_texts(element):
    return [_text(label) for label in element.iter("label")]
