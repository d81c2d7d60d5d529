"""The calibration page and its CSV files: who may see them, what they show, what bad filters say, and that
they cost the same few queries at 100 moderations as at 5,000."""

import csv
import datetime
import html
import io
import re
import time

import pytest

from models import Team
from services.calibration import twelve_months_to
from services.dates import uk_today
from tests.moderated import ModeratedAudits, small_template

THIS_MONTH = uk_today().replace(day=1)
LAST_MONTH = (THIS_MONTH - datetime.timedelta(days=1)).replace(day=1)
MONTH_BEFORE = (LAST_MONTH - datetime.timedelta(days=1)).replace(day=1)
TABLES = ["agreement", "grade-changes", "grade-moves", "auditors", "teams", "months"]


@pytest.fixture
def moderated(make_user):
    """Builds moderated audits on a small template of two domains (tests/moderated.py)."""
    return ModeratedAudits(make_user(roles=("qa-officer",)), small_template())


@pytest.fixture
def three_audits(moderated, make_user, make_team):
    """Three audits by one auditor, moderated last month and the month before: 9 grades, 6 left alone, 3 made
    worse; and one this month, which the page leaves out until asked for (a month is moderated after it ends)."""
    auditor = make_user(name='=HYPERLINK("http://example.com","Ash")')
    team = make_team(name="Fostering East")
    moderated.add(
        [
            (auditor, team, MONTH_BEFORE, ["G>G", "G>RI", "G>G"], "submitted"),
            (auditor, team, LAST_MONTH, ["G>RI", "G>G", "G>RI"], "submitted"),
            (auditor, team, LAST_MONTH, ["RI>RI", "RI>RI", "O>O"], "submitted"),
            (auditor, team, THIS_MONTH, ["O>I", "O>I", "O>I"], "submitted"),
        ]
    )
    return moderated


def csv_links(body):
    return [html.unescape(link) for link in re.findall(r'href="(/calibration/[a-z-]+\.csv\?[^"]*)"', body)]


def read_csv(response):
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("role", ["qa-officer", "moderator", "senior-leader"])
def test_the_people_who_watch_quality_see_the_figures_in_tables(client, login_as, three_audits, role):
    login_as(role)
    body = client.get("/calibration").get_data(as_text=True)
    assert '<a class="govuk-service-navigation__link" href="/calibration"' in body
    assert f"{twelve_months_to(LAST_MONTH):%B %Y} to {LAST_MONTH:%B %Y}" in body  # the last 12 whole months
    assert "67% (6 of 9)" in body  # grades left as the auditor gave them
    assert "Moderated to a worse grade by one step" in body and "33% (3 of 9)" in body
    assert "1 other auditor had audits moderated, fewer than 5." in " ".join(body.split())
    assert [link.split("?")[0] for link in csv_links(body)] == [f"/calibration/{table}.csv" for table in TABLES]
    auditors = client.get("/calibration/auditors").get_data(as_text=True)
    assert "Fewer than 5 moderations: read with care" in auditors
    assert "+0.33" in auditors  # the average change: moderators graded lower


def test_each_table_downloads_as_csv_for_the_same_filters(client, login_as, three_audits):
    login_as("qa-officer")
    period = {"from_month": f"{MONTH_BEFORE:%Y-%m}", "to_month": f"{LAST_MONTH:%Y-%m}"}
    page = client.get("/calibration", query_string=period | {"template": three_audits.template.id})
    links = csv_links(page.get_data(as_text=True))
    assert [link.split("?")[0] for link in links] == [f"/calibration/{table}.csv" for table in TABLES]
    for link in links:
        assert f"from_month={period['from_month']}&to_month={period['to_month']}&template=" in link
        response = client.get(link)
        assert response.status_code == 200 and response.mimetype == "text/csv"
        assert response.get_data().startswith(b"\xef\xbb\xbf")
        assert f"-{period['from_month']}-to-{period['to_month']}.csv" in response.headers["Content-Disposition"]


def test_a_csv_keeps_numbers_as_numbers_and_names_as_text(client, login_as, three_audits):
    login_as("qa-officer")
    rows = read_csv(client.get("/calibration/auditors.csv"))
    assert rows[0] == [
        "Auditor",
        "Audits moderated",
        "Grades moderated",
        "Grades agreed",
        "Agreement (%)",
        "Average change in steps",
        "What it suggests",
    ]
    # The name someone typed cannot run as a formula; the figures are plain numbers.
    assert rows[1] == ["'" + '=HYPERLINK("http://example.com","Ash")', "3", "9", "6", "66.7", "0.33", rows[1][6]]
    assert rows[1][6] == "Fewer than 5 moderations: read with care"
    grades = read_csv(client.get("/calibration/grade-changes.csv"))
    assert grades[2] == ["Good", "0", "3", "3", "0", "6"]
    assert grades[-1] == ["Total", "1", "3", "5", "0", "9"]
    months = read_csv(client.get("/calibration/months.csv"))
    assert months[1:] == [
        [f"{MONTH_BEFORE:%B %Y}", "1", "0", "0.0", "3", "1", "33.3"],
        [f"{LAST_MONTH:%B %Y}", "2", "1", "50.0", "6", "2", "33.3"],
    ]
    this_month = {"from_month": f"{THIS_MONTH:%Y-%m}", "to_month": f"{THIS_MONTH:%Y-%m}"}
    asked = read_csv(client.get("/calibration/months.csv", query_string=this_month))
    assert asked[1:] == [[f"{THIS_MONTH:%B %Y}", "1", "1", "100.0", "3", "3", "100.0"]]


def test_with_nothing_moderated_the_page_says_so(client, login_as):
    login_as("senior-leader")
    body = client.get("/calibration").get_data(as_text=True)
    assert "have been moderated" in body and "Download this table" not in body
    assert read_csv(client.get("/calibration/months.csv"))[1:] == []


@pytest.mark.parametrize("role", ["auditor", "team-manager"])
@pytest.mark.parametrize("url", ["/calibration", "/calibration/auditors.csv"])
def test_auditors_and_team_managers_may_not_see_calibration(client, login_as, role, url):
    login_as(role)
    assert client.get(url).status_code == 403


def test_an_unknown_table_is_not_found(client, login_as):
    login_as("qa-officer")
    assert client.get("/calibration/everything.csv").status_code == 404


@pytest.mark.parametrize(
    "args, field, message",
    [
        (
            {"from_month": "2026-05", "to_month": "2026-01"},
            "to_month",
            "To month must be the same as or after the from",
        ),
        ({"from_month": "last spring"}, "from_month", "Enter the from month as a year and month, like 2026-11"),
        ({"to_month": "1999-12"}, "to_month", "Enter a to month between 2000 and 2100"),
        ({"from_month": "9" * 5000}, "from_month", "Enter the from month as a year and month"),
        ({"service_area": "999999"}, "service_area", "Select a service area from the list"),
        ({"service_area": "9" * 20}, "service_area", "Select a service area from the list"),
        ({"template": "sefton"}, "template", "Select an audit template from the list"),
    ],
)
def test_a_refused_filter_is_explained_beside_its_field_and_the_default_figures_shown(
    client, login_as, three_audits, args, field, message
):
    login_as("qa-officer")
    response = client.get("/calibration", query_string=args)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    beside = re.search(rf'<p id="{field}-error" class="govuk-error-message">(.*?)</p>', body, re.S)
    assert beside and message in " ".join(beside.group(1).split())
    assert body.count('data-module="govuk-error-summary"') == 1 and f'href="#{field}"' in body
    assert "67% (6 of 9)" in body  # the last 12 months, of every service area and template
    assert client.get("/calibration/agreement.csv", query_string=args).status_code == 200


def spread(moderated, auditors, teams, count, start=0):
    """`count` audits spread over the auditors, teams and the last three months, with grades that vary."""
    months = [LAST_MONTH, MONTH_BEFORE, (MONTH_BEFORE - datetime.timedelta(days=1)).replace(day=1)]
    patterns = [["G>G", "G>RI", "O>G"], ["RI>RI", "RI>G", "I>RI"], ["G>RI", "G>G", "G>G"], ["O>O", "O>G", "G>I"]]
    moderated.add(
        (auditors[n % len(auditors)], teams[n % len(teams)], months[n % 3], patterns[n % 4], "submitted")
        for n in range(start, start + count)
    )


def test_the_page_and_a_csv_cost_the_same_queries_at_100_and_5000_moderations(
    client, login_as, moderated, make_user, make_team, count_queries
):
    login_as("qa-officer")
    auditors = [make_user(name=f"Auditor {n:02d}") for n in range(40)]
    teams = [make_team() for _ in range(12)]
    spread(moderated, auditors[:5], teams[:3], 100)

    def costs():
        return [count_queries(lambda url=url: client.get(url)) for url in ("/calibration", "/calibration/teams.csv")]

    at_100 = costs()
    started = time.perf_counter()
    spread(moderated, auditors, teams, 4900, start=100)
    at_5000 = costs()
    assert at_5000 == at_100, f"queries at 100: {at_100}, at 5,000: {at_5000}"
    assert "75% (3750 of 5000)" in client.get("/calibration").get_data(as_text=True)  # overall judgements agreed
    assert time.perf_counter() - started < 15


@pytest.fixture
def leaning(moderated, make_user, make_team):
    """Last month: Morgan, in the middle of the alphabet, graded generously on 5 audits; Avery and Zoe graded as
    moderators did on 5 each (all of Steady Team's cases); 12 others had 1 audit each, of Thin Team's cases but
    for one of Lone Team's."""
    steady, thin, lone = make_team(name="Steady Team"), make_team(name="Thin Team"), make_team(name="Lone Team")
    audits = [(make_user(name="Morgan Generous"), steady, LAST_MONTH, ["G>RI", "G>RI", "O>G"], "submitted")] * 5
    for name in ("Avery Even", "Zoe Even"):
        person = make_user(name=name)
        audits += [(person, steady, LAST_MONTH, ["G>G", "RI>RI", "O>O"], "submitted")] * 4
        audits.append((person, steady, LAST_MONTH, ["G>RI", "RI>G", "G>G"], "submitted"))
    audits += [
        (make_user(name=f"Few {n:02d}"), lone if n == 11 else thin, LAST_MONTH, ["G>G", "G>G", "RI>RI"], "submitted")
        for n in range(12)
    ]
    moderated.add(audits)
    return moderated


def section(body, heading_id):
    """The page from the h2 with `heading_id` to the next h2."""
    start = body.index(f'id="{heading_id}"')
    end = body.find("<h2", start)
    return body[start : end if end > 0 else None]


def test_who_needs_talking_to_comes_first_and_everyone_else_is_counted_with_a_link_to_them_all(
    client, login_as, leaning
):
    login_as("qa-officer")
    body = client.get("/calibration").get_data(as_text=True)
    contents = re.findall(r'<li><a class="govuk-link" href="#([a-z-]+)">', body)
    assert contents == ["attention", "agreement", "domains", "grade-changes", "everyone-else", "over-time"]
    assert all(f'id="{anchor}"' in body for anchor in contents)
    first = section(body, "attention")
    assert "Morgan Generous" in first and "Grades more generously than moderators" in first
    assert "Avery Even" not in first and "Few 00" not in first
    rest = " ".join(section(body, "everyone-else").split())
    assert "Morgan Generous" not in rest and "Avery Even" not in rest
    assert "14 other auditors had audits moderated, 12 of them fewer than 5." in rest
    assert "3 other teams had audits moderated, 1 of them fewer than 5." in rest
    assert 'href="/calibration/auditors?from_month=' in rest and 'href="/calibration/teams?from_month=' in rest


def test_every_auditors_figures_are_listed_by_name_a_page_at_a_time(client, login_as, moderated, make_user, make_team):
    login_as("qa-officer")
    auditors = [make_user(name=f"Auditor {n:02d}") for n in range(30)]
    spread(moderated, auditors, [make_team()], 30)
    first = client.get("/calibration/auditors").get_data(as_text=True)
    assert f"<title>Calibration by auditor, {twelve_months_to(LAST_MONTH):%B %Y} to {LAST_MONTH:%B %Y} –" in first
    assert "Showing 1 to 25 of 30 auditors" in first
    names = re.findall(r'<th scope="row" class="govuk-table__header">(Auditor \d+)</th>', first)
    assert names == [f"Auditor {n:02d}" for n in range(25)]
    assert "Fewer than 5 moderations: read with care" in first
    assert 'govuk-table__header govuk-table__header--numeric">Audits moderated' in first
    last = client.get("/calibration/auditors?page=2").get_data(as_text=True)
    assert "Showing 26 to 30 of 30 auditors" in last and "Auditor 29" in last and "Auditor 24" not in last
    assert "Showing 26 to 30 of 30 auditors" in client.get("/calibration/auditors?page=9").get_data(as_text=True)
    period = {"from_month": f"{LAST_MONTH:%Y-%m}", "to_month": f"{LAST_MONTH:%Y-%m}"}
    one_month = client.get("/calibration/auditors", query_string=period).get_data(as_text=True)
    assert "Showing 1 to 10 of 10 auditors" in one_month  # every third audit was drawn last month
    assert f'href="/calibration?from_month={period["from_month"]}&amp;to_month={period["to_month"]}"' in one_month


def test_the_method_is_in_a_details_component_and_no_longer_says_the_interval_reads_narrow(client, login_as, leaning):
    login_as("qa-officer")
    body = client.get("/calibration").get_data(as_text=True)
    method = body[body.index("How these figures are worked out") :]
    method = method[: method.index("</details>")]
    assert "each audit a cluster" in method and "fewer than 10 moderated audits" in method
    assert "narrower than it should be" not in body and "takes every grade as independent" not in body


def test_the_title_and_heading_say_which_period_service_area_and_template(client, login_as, three_audits):
    login_as("qa-officer")
    area = Team.get(Team.name == "Fostering East").service_area
    args = {"from_month": f"{MONTH_BEFORE:%Y-%m}", "to_month": f"{LAST_MONTH:%Y-%m}", "service_area": area.id}
    body = client.get("/calibration", query_string=args).get_data(as_text=True)
    if MONTH_BEFORE.year == LAST_MONTH.year:
        period = f"{MONTH_BEFORE:%B} to {LAST_MONTH:%B %Y}"
    else:
        period = f"{MONTH_BEFORE:%B %Y} to {LAST_MONTH:%B %Y}"
    described = html.escape(f"Calibration, {period}, {area.name}")
    assert f"<title>{described} –" in body and f'<h1 class="govuk-heading-l">{described}</h1>' in body
    one = client.get(
        "/calibration", query_string={"from_month": f"{LAST_MONTH:%Y-%m}", "to_month": f"{LAST_MONTH:%Y-%m}"}
    )
    assert f"<title>Calibration, {LAST_MONTH:%B %Y} –" in one.get_data(as_text=True)


def test_one_service_area_for_one_month_says_kappa_cannot_be_worked_out_rather_than_a_certain_looking_figure(
    client, login_as, moderated, make_user, make_team
):
    """Every grade the auditors gave was Good, so kappa is 0 whatever moderators did: the issue's
    "0.00 (95% confidence interval 0.00 to 0.00)". And a month with one audit: "1.00 (1.00 to 1.00)"."""
    login_as("qa-officer")
    team, auditor = make_team(), make_user()
    moderated.add([(auditor, team, LAST_MONTH, ["G>G", "G>RI", "G>O"], "submitted")] * 12)
    moderated.add([(auditor, team, MONTH_BEFORE, ["G>G", "O>O", "RI>RI"], "submitted")])
    args = {
        "from_month": f"{LAST_MONTH:%Y-%m}",
        "to_month": f"{LAST_MONTH:%Y-%m}",
        "service_area": team.service_area_id,
    }
    body = client.get("/calibration", query_string=args).get_data(as_text=True)
    assert "Not worked out: the auditors gave every grade as Good, so there is no spread" in body
    assert "0.00 (95% confidence interval" not in body
    month_before = {"from_month": f"{MONTH_BEFORE:%Y-%m}", "to_month": f"{MONTH_BEFORE:%Y-%m}"}
    body = client.get("/calibration", query_string=month_before).get_data(as_text=True)
    assert "Not worked out: 1 audit moderated, and it takes at least 10" in body
    assert "1.00 (95% confidence interval" not in body


def test_every_column_of_numbers_has_its_header_over_the_numbers(client, login_as, leaning):
    login_as("qa-officer")
    pages = ["/calibration", "/calibration/auditors", "/calibration/teams"]
    body = "".join(client.get(page).get_data(as_text=True) for page in pages)
    tables = re.findall(r"<table.*?</table>", body, re.S)
    assert len(tables) >= 7
    for table in tables:
        headers = re.findall(r'<th scope="col" class="([^"]*)"', table)
        rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", table.split("</thead>")[1], re.S)
        for row in rows:
            cells = re.findall(r'<t[hd] (?:scope="row" )?class="([^"]*)"', row)
            for header, cell in zip(headers, cells, strict=True):
                assert ("--numeric" in header) == ("--numeric" in cell), table
