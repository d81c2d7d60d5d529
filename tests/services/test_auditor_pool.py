"""The auditor pool: each auditor's quota and the cases the rules keep them from, for a month."""

import datetime

from models import AuditorAway
from services import auditor_pool
from services.audit_plan import kept_from

MONTH = datetime.date(2027, 1, 1)


def members_by_name(month=MONTH):
    return {member.name: member for member in auditor_pool.pool(month)}


def test_each_auditor_audits_their_job_role_s_usual_number_unless_theirs_is_set(app, make_user):
    for name, job_role in [("Hana", "Head of Service"), ("Sid", "Service Delivery Manager"), ("Tam", "Team Manager")]:
        make_user(name=name, job_role=job_role)
    make_user(name="Ira", job_role="IRO")
    make_user(name="Quinn", job_role="QA Officer")
    make_user(name="Set", job_role="IRO", monthly_quota=3)
    make_user(name="Not an auditor", job_role="Team Manager", roles=("qa-officer",))
    make_user(name="Left", job_role="Team Manager", active=False)
    members = members_by_name()
    assert {name: (member.quota, member.quota_is_usual) for name, member in members.items()} == {
        "Hana": (2, True),
        "Sid": (4, True),
        "Tam": (4, True),
        "Ira": (1, True),
        "Quinn": (0, True),
        "Set": (3, False),
    }
    assert auditor_pool.sample_size(members.values()) == 2 + 4 + 4 + 1 + 3


def test_an_auditor_away_in_the_month_takes_none_of_it_and_the_sample_is_smaller(app, make_user):
    away, here = make_user(name="Away"), make_user(name="Here")
    AuditorAway.create(user=away, month=MONTH)
    members = members_by_name()
    assert members["Away"].away and not members["Away"].available and members["Here"].available
    assert auditor_pool.sample_size(members.values()) == 4
    assert [auditor.user_id for auditor in auditor_pool.available(MONTH)] == [here.id]
    assert members_by_name(datetime.date(2027, 2, 1))["Away"].available


def test_nobody_is_given_a_case_of_a_team_they_work_in_or_manage_nor_heads_their_own_area(
    app, make_user, make_team, make_service_area
):
    area, other_area = make_service_area(), make_service_area()
    own, managed, elsewhere = (
        make_team(service_area=area),
        make_team(service_area=area),
        make_team(service_area=other_area),
    )
    manager = make_user(name="Manager", team=own)
    managed.manager = manager
    managed.save()
    head = make_user(name="Head", job_role="Head of Service")
    area.head_of_service = head
    area.save()
    let_in = make_user(name="Let in", job_role="Service Delivery Manager", team=own, kept_from_own_area=False)
    members = members_by_name()
    rules = {name: member.auditor for name, member in members.items()}
    assert kept_from(rules["Manager"], own.id, area.id) and kept_from(rules["Manager"], managed.id, area.id)
    assert not kept_from(rules["Manager"], elsewhere.id, other_area.id)
    assert not kept_from(rules["Manager"], make_team(service_area=area).id, area.id)  # a TM: other teams of the area
    assert kept_from(rules["Head"], make_team(service_area=area).id, area.id)
    assert not kept_from(rules["Head"], elsewhere.id, other_area.id)
    assert kept_from(rules["Let in"], own.id, area.id) and not kept_from(rules["Let in"], managed.id, area.id)
    assert let_in.id == rules["Let in"].user_id


def test_the_pool_costs_the_same_queries_for_any_number_of_auditors(app, make_user, make_team, count_queries):
    make_user(team=make_team())
    few = count_queries(lambda: auditor_pool.pool(MONTH))
    for _ in range(20):
        team = make_team()
        AuditorAway.create(user=make_user(team=team), month=MONTH)
    assert count_queries(lambda: auditor_pool.pool(MONTH)) == few == 4
