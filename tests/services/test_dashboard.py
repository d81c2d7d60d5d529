"""The dashboard's figures (services/dashboard.py) against counts the test makes itself from the audits it made
(tests/dashboard_data.py), for filters drawn at random; and the tallies they come from kept right by every change
that moves them, as working them all out again would."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models import GRADES, Audit
from services import dashboard
from services.dashboard import Filters
from tests.dashboard_data import MONTHS, TODAY, sixty_audits

CLOSED = ("submitted", "moderated", "cancelled")


@pytest.fixture
def made(make_user, make_team, make_service_area):
    return sixty_audits(make_user, make_team, make_service_area)


def chosen(record, filters):
    audit = record.audit
    return (
        filters.first_month <= record.month <= filters.last_month
        and filters.service_area_id in (None, record.area)
        and filters.team_id in (None, record.team)
        and filters.audit_type in (None, audit.audit_type)
        and filters.template_id in (None, audit.template_id)
    )


def grade_counts(grades):
    grades = list(grades)
    return tuple(grades.count(code) for code in GRADES)


def expected(records, responses, filters, teams):
    """Every figure, counted from what the test made; `teams` are (team, service area id) of every team."""
    records = [record for record in records if chosen(record, filters)]
    done = [record for record in records if record.audit.status in Audit.DONE]

    def on_time(record):
        return record.audit.status in Audit.DONE and record.audit.submitted_at.date() <= record.audit.due_on

    months = {}
    for month in filters.months():
        those = [record for record in records if record.month == month]
        months[month] = (
            len(those),
            sum(record.audit.status == "cancelled" for record in those),
            sum(record.audit.status in Audit.DONE for record in those),
            sum(on_time(record) for record in those),
            sum(record.audit.status not in CLOSED and record.audit.due_on < TODAY for record in those),
            grade_counts(record.overall for record in those if record.audit.status in Audit.DONE),
        )
    domains = {}
    for record in done:
        for key, grade in record.domains.items():
            domains.setdefault(key, []).append(grade)
    domains = {name: grade_counts(grades) for (_, name), grades in sorted(domains.items())}
    domains["Overall judgement"] = grade_counts(record.overall for record in done)

    in_scope = [(team.id, area) for team, area in teams if filters.team_id in (None, team.id)]
    in_scope = [(team, area) for team, area in in_scope if filters.service_area_id in (None, area)]
    every = {
        "team": [team for team, _ in in_scope],
        "area": sorted({area for _, area in (in_scope if filters.team_id or filters.service_area_id else teams)}),
    }

    def groups(key):
        found = {group: [] for group in every[key]}
        for record in records:
            found.setdefault(getattr(record, key), []).append(record)
        return {
            group: (
                len(those),
                sum(record.audit.status in Audit.DONE for record in those),
                sum(on_time(record) for record in those),
                grade_counts(record.overall for record in those if record.audit.status in Audit.DONE),
            )
            for group, those in found.items()
        }

    moderated = [pair for record in records for pair in record.moderated]
    overall_moderated = [record.moderated[0] for record in records if record.moderated]
    actions = [(record, action) for record in records for action in record.actions if action.received_on]
    completed = [(r, a) for r, a in actions if a.closed_at and a.status in ("authorised", "signed-off")]
    overdue = [a for _, a in actions if not a.closed_at and a.status in ("open", "done") and a.deadline < TODAY]
    family = [entry for record in records for entry in record.family]
    return {
        "months": months,
        "domains": domains,
        "places": groups("team" if filters.team_id or filters.service_area_id else "area"),
        "moderation": (
            len(overall_moderated),
            sum(given != final for given, final in overall_moderated),
            len(moderated),
            sum(given != final for given, final in moderated),
        ),
        "actions": (
            len(actions),
            sum(1 for _, action in actions if action.closed_at),
            len(completed),
            sum(1 for record, action in completed if record.signed_off.get(action.id, TODAY) <= action.deadline),
            len(overdue),
        ),
        "responses": responses_expected(records_of_responses(responses, filters)),
        "family": (
            sum(gathered for gathered, _ in family),
            {
                reason: sum(1 for gathered, why in family if not gathered and why == reason)
                for reason in ("declined", "no-reply", "not-appropriate", "safety", "other")
            },
        ),  # fmt: skip
    }


def records_of_responses(responses, filters):
    """The Immediate Responses raised in the months chosen, on cases of the teams chosen, from audits of the type and
    template chosen (any, or none, where neither is chosen)."""
    found = []
    for response, area in responses:
        audit = response.audit
        if not filters.first_month <= response.raised_at.date().replace(day=1) <= filters.last_month:
            continue
        if filters.service_area_id not in (None, area) or filters.team_id not in (None, response.case.team_id):
            continue
        if (filters.audit_type or filters.template_id) and audit is None:
            continue
        if filters.audit_type not in (None, getattr(audit, "audit_type", None)):
            continue
        if filters.template_id not in (None, getattr(audit, "template_id", None)):
            continue
        found.append(response)
    return found


def responses_expected(responses):
    return (
        len(responses),
        sum(response.status != "closed" for response in responses),
        sum(response.status == "raised" and response.due_on < TODAY for response in responses),
        sum(response.escalated_at is not None for response in responses),
    )


def shown(figures):
    """The same figures, as the dashboard worked them out."""
    return {
        "months": {
            row.month: (row.allocated, row.cancelled, row.submitted, row.on_time, row.overdue, row.grades.counts)
            for row in figures.months
        },
        "domains": {name: grades.counts for _, name, grades in figures.domains},
        "places": {row.id: (row.allocated, row.submitted, row.on_time, row.grades.counts) for row in figures.places},
        "moderation": (
            figures.moderation.audits,
            figures.moderation.audits_changed,
            figures.moderation.grades,
            figures.moderation.changed,
        ),
        "actions": (
            figures.actions.sent,
            figures.actions.closed,
            figures.actions.completed,
            figures.actions.on_time,
            figures.actions.overdue,
        ),
        "responses": (
            figures.responses.raised,
            figures.responses.open,
            figures.responses.overdue,
            figures.responses.escalated,
        ),
        "family": (figures.family.gathered, figures.family.not_gathered),
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_every_figure_is_what_counting_the_audits_made_gives_for_any_filters(made, data):
    records, templates, responses, teams = made
    first = data.draw(st.sampled_from(MONTHS), "from")
    last = data.draw(st.sampled_from([month for month in MONTHS if month >= first]), "to")
    filters = Filters(
        first,
        last,
        data.draw(st.sampled_from([None, *sorted({area for _, area in teams})]), "service area"),
        data.draw(st.sampled_from([None, *(team.id for team, _ in teams)]), "team"),
        data.draw(st.sampled_from([None, "monthly", "themed"]), "type"),
        data.draw(st.sampled_from([None, *(template.id for template in templates)]), "template"),
    )
    areas = {team.id: area for team, area in teams}
    wanted = expected(records, [(response, areas[response.case.team_id]) for response in responses], filters, teams)
    got = shown(dashboard.figures(filters, TODAY))
    for figure, value in wanted.items():
        assert got[figure] == value, figure


def test_a_period_with_nothing_in_it_shows_every_month_empty(made):
    later = Filters(datetime.date(2027, 1, 1), datetime.date(2027, 3, 1))
    figures = dashboard.figures(later, TODAY)
    assert [row.allocated for row in figures.months] == [0, 0, 0]
    assert figures.overall.total == 0 and {row.allocated for row in figures.places} == {0}
    assert figures.domains == [(0, "Overall judgement", dashboard.Grades())]
