"""The dashboard: what a senior leader and a QA officer see, each figure's link to the audits behind it, refused
filters, and the tallies kept right by every change that moves them, as working them all out again would."""

import datetime
import random
import re

import html5lib
import pytest

from models import Action, Audit, DashboardTally, DomainJudgement, FamilyFeedback, LearningTheme, Moderation, ThemeTag
from services import (
    allocation,
    cases,
    dashboard_tallies,
    feedback,
    moderation_draw,
    moderations,
    team_actions,
    teams,
)
from services.dates import uk_today
from tests.blueprints.test_audit_page import action_form, audit_form
from tests.conftest import sign_in_client
from tests.dashboard_data import MONTHS, build

SVG = "{http://www.w3.org/2000/svg}"


def tally_rows():
    """Every row of the tally that counts anything, without its id."""
    rows = DashboardTally.select().tuples()
    return sorted(row[1:] for row in rows if any(row[7:]))


def kept_right():
    """The tally as kept is the tally worked out again."""
    kept = tally_rows()
    dashboard_tallies.rebuild()
    assert kept and tally_rows() == kept
    return kept


def test_every_change_that_moves_a_figure_keeps_the_tally_as_working_it_out_again_would(
    client, make_user, make_team, make_case, make_service_area
):
    today = uk_today()
    qa, moderator = make_user(roles=("qa-officer",)), make_user(roles=("moderator",))
    manager = make_user(roles=("team-manager",))
    team = make_team(manager=manager)
    auditor = make_user(roles=("auditor",))
    sign_in_client(client, auditor)
    case = make_case(team=team)
    audit = allocation.allocate(qa, case, auditor.id, today + datetime.timedelta(days=20), today)
    before = kept_right()
    assert [row[6] for row in before if row[5] == 0] == [1, 1, 1], "one audit allocated, in each scope"

    assert client.post(f"/audits/{audit.id}/actions/new", data=action_form()).status_code == 303
    submitted = client.post(f"/audits/{audit.id}", data=audit_form(Audit.get_by_id(audit.id), submit_audit="y"))
    assert submitted.status_code == 303 and Audit.get_by_id(audit.id).status == "submitted"
    assert kept_right() != before

    values = {"given_by": "mother", "gathered": False, "not_gathered_reason": "declined", "attempts": "Twice"}
    given = feedback.add_feedback(auditor, Audit.get_by_id(audit.id), FamilyFeedback, values)
    kept_right()
    feedback.change_feedback(auditor, given, given.version, {"not_gathered_reason": "no-reply"})
    kept_right()

    moderation_draw.draw(qa, today.replace(day=1), 100, datetime.datetime.now())
    moderation = Moderation.get(audit=audit)
    moderations.reassign(qa, moderation, moderator, moderation.version)
    moderation = Moderation.get_by_id(moderation.id)
    rows = moderations.domains(moderation)
    domain_values = [{"agrees": True, "grade": None, "reason": ""} for _ in rows]
    values = {"agrees": False, "grade": "inadequate", "overall_reason": "Thin", "actions_addressed": "yes"}
    values["message"] = ""
    moderations.save(moderator, moderation, moderation.version, values, domain_values)
    moderations.submit(moderator, Moderation.get_by_id(moderation.id), today)
    assert sum(row[13] for row in kept_right() if row[3:5] == (0, 0)) == 1, "the overall judgement, now Inadequate"

    action = team_actions.detailed().where(Action.audit == audit).get()
    team_actions.take(manager, action, "done", action.version, {"text": "Done"}, team_actions.DEFAULT_RULES, today)
    action = team_actions.detailed().where(Action.id == action.id).get()
    team_actions.take(manager, action, "signed-off", action.version, {}, team_actions.DEFAULT_RULES, today)
    kept_right()

    other = allocation.allocate(qa, make_case(team=team), auditor.id, today + datetime.timedelta(days=20), today)
    allocation.cancel(qa, other, other.version, "The case closed", datetime.datetime.now())
    kept_right()

    elsewhere = make_team()
    cases.change(qa, case, case.version, {"team": elsewhere.id}, [])
    assert {row[4] for row in kept_right() if row[4]} == {elsewhere.id, team.id}, "the cancelled audit stays"
    teams.change(qa, elsewhere, elsewhere.version, {"service_area": make_service_area().id})
    kept_right()


@pytest.fixture
def made(make_user, make_team, make_service_area):
    first, second = make_service_area(name="North"), make_service_area(name="South")
    teams_made = [(make_team(service_area=area), area.id) for area in (first, first, second)]
    people = {"qa": make_user(roles=("qa-officer",)), "auditor": make_user(roles=("auditor",))}
    return build(random.Random(18), people, teams_made)


def period():
    return f"from_month={MONTHS[0]:%Y-%m}&to_month={MONTHS[-1]:%Y-%m}"


def listed(client, url):
    """How many audits the list at `url` says it has."""
    page = client.get(url).get_data(as_text=True)
    found = re.search(r"of (\d+) audits|Showing (1) audit<", page)
    return int(found.group(1) or found.group(2)) if found else 0


@pytest.mark.parametrize("role", ["senior-leader", "qa-officer"])
def test_each_figure_in_the_tables_links_to_the_audits_behind_it(client, login_as, made, role):
    login_as(role)
    page = client.get(f"/dashboard?{period()}")
    assert page.status_code == 200
    document = html5lib.parse(page.get_data(as_text=True), namespaceHTMLElements=False)
    links = [
        (link.get("href"), "".join(link.itertext()))
        for link in document.iter("a")
        if link.get("href", "").startswith("/audits?")
    ]
    counts = [(href, re.match(r"([\d,]+)(?: \(|:)", text)) for href, text in links]  # not a share of a month's
    counts = [(href, int(found.group(1).replace(",", ""))) for href, found in counts if found]
    assert len(counts) > 30
    for href, count in counts[::4]:
        assert listed(client, href) == count, href


def test_a_senior_leader_opens_an_audit_behind_a_figure_but_cannot_change_it(client, login_as, made):
    login_as("senior-leader")
    audits, _, _ = made
    submitted = next(record.audit for record in audits if record.audit.status == "submitted")
    page = client.get(f"/audits/{submitted.id}")
    assert page.status_code == 200 and submitted.case.reference in page.get_data(as_text=True)
    assert client.post(f"/audits/{submitted.id}", data={"version": "1"}).status_code == 403
    assert client.get("/cases").status_code == 403


def test_every_chart_has_its_title_summary_and_table_and_says_so_to_a_screen_reader(client, login_as, made):
    login_as("qa-officer")
    for url in (f"/dashboard?{period()}", f"/dashboard?{period()}&service_area={made[0][0].area}"):
        document = html5lib.parse(client.get(url).get_data(as_text=True), namespaceHTMLElements=False)
        charts = [div for div in document.iter("div") if "app-chart" in div.get("class", "").split()]
        assert len(charts) == 4
        for chart in charts:
            pictures = [svg for svg in chart.iter(f"{SVG}svg") if svg.get("role") == "img"]
            assert len(pictures) == 1
            title, summary = pictures[0].get("aria-labelledby").split()
            ids = {element.get("id"): "".join(element.itertext()) for element in chart.iter() if element.get("id")}
            assert ids[title] and ids[summary].endswith(".")
            assert len(list(chart.iter("table"))) == 1


def test_a_refused_filter_is_shown_beside_its_field_and_the_figures_use_its_default(client, login_as, made):
    login_as("senior-leader")
    page = client.get("/dashboard?from_month=2026-13&team=99999").get_data(as_text=True)
    assert "Enter the from month as a year and month, like 2026-11" in page
    assert "Select a team from the list" in page and "<title>Error: Dashboard" in page
    assert "Audits by the month they were allocated" in page


def test_people_who_do_not_lead_the_service_cannot_see_it(client, login_as):
    for role in ("auditor", "team-manager", "moderator", "practitioner"):
        login_as(role)
        assert client.get("/dashboard").status_code == 403


def test_a_period_longer_than_two_years_is_refused_beside_its_field(client, login_as):
    login_as("qa-officer")
    page = client.get("/dashboard?from_month=2024-01&to_month=2026-01").get_data(as_text=True)
    assert "Choose a period of 24 months or fewer" in page and "<title>Error: Dashboard" in page
    assert client.get("/dashboard?from_month=2024-02&to_month=2026-01").status_code == 200
    assert "Choose a period" not in client.get("/dashboard?from_month=2024-02&to_month=2026-01").get_data(as_text=True)


def test_an_auditor_tags_a_domain_with_a_theme_and_the_dashboard_counts_it(client, login_as, make_audit, make_user):
    auditor = login_as("auditor")
    theme = LearningTheme.create(name="Chronologies")
    audit = make_audit(auditor=auditor, status="submitted", submitted_at=datetime.datetime.now(), overall_grade="good")
    domain = audit.template.ordered_domains[0]
    judgement = DomainJudgement.create(audit=audit, domain=domain, grade="good")
    dashboard_tallies.rebuild()  # made outside the services that keep the tallies
    page = client.get(f"/audits/{audit.id}/learning-themes").get_data(as_text=True)
    assert domain.name in page and "Chronologies" in page
    seen = re.search(r'name="seen" type="hidden" value="([^"]*)"', page).group(1)
    response = client.post(
        f"/audits/{audit.id}/learning-themes", data={"seen": seen, f"domain_{judgement.id}": str(theme.id)}
    )
    assert response.status_code == 303
    shown = client.get(f"/audits/{audit.id}").get_data(as_text=True)
    assert "Learning themes saved" in shown and "Chronologies" in shown
    stale = client.post(f"/audits/{audit.id}/learning-themes", data={"seen": seen})
    assert "changed this audit&#39;s learning themes" in stale.get_data(as_text=True)
    assert ThemeTag.select().count() == 1, "nothing saved over the other change"
    kept_right()
    sign_in_client(client, make_user(roles=("auditor",)))
    assert client.get(f"/audits/{audit.id}/learning-themes").status_code == 403
    sign_in_client(client, make_user(roles=("qa-officer",)))
    dashboard = client.get("/dashboard").get_data(as_text=True)
    row = re.search(r"<th scope=\"row\" class=\"govuk-table__header\">Chronologies</th>(.*?)</tr>", dashboard, re.S)
    assert row and ">1<" in row.group(1) and domain.name in row.group(1), "found once, in its domain"
    assert "does not prove the learning caused it" in dashboard
