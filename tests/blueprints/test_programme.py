"""The auditor pool page: each auditor's number of audits a month, their own-area rule and the months away."""

import pytest

from models import AuditorAway, Event, User, UserRole
from services.audits import months_before
from services.dates import uk_today

THIS_MONTH = uk_today().replace(day=1)
NEXT_MONTH = months_before(THIS_MONTH, -1)


@pytest.fixture
def qa(login_as):
    return login_as("qa-officer")


def test_the_pool_shows_next_month_s_auditors_what_each_can_take_and_the_sample_size(client, qa, make_user, get_page):
    make_user(name="Hana Head", job_role="Head of Service")
    away = make_user(name="Ash Away", job_role="Team Manager")
    make_user(name="Ira Set", job_role="IRO", monthly_quota=3)
    AuditorAway.create(user=away, month=NEXT_MONTH)
    body = " ".join(get_page("/auditor-pool").get_data(as_text=True).split())
    assert f"<title>Auditor pool, {NEXT_MONTH:%B %Y} –" in body
    assert 'Auditors available</dt> <dd class="govuk-summary-list__value">2 (1 away)' in body
    assert 'the month\'s sample</dt> <dd class="govuk-summary-list__value">5</dd>' in body.replace("&#39;", "'")
    rows = body.split("<tbody")[1]
    assert rows.index("Ash Away") < rows.index("Hana Head") < rows.index("Ira Set")
    assert "Away" in rows.split("Ash Away")[1].split("</tr>")[0]
    this_month = get_page(f"/auditor-pool?month={THIS_MONTH:%Y-%m}").get_data(as_text=True)
    assert "3 (1 away)" not in this_month and f"Auditor pool, {THIS_MONTH:%B %Y}" in this_month
    refused = get_page("/auditor-pool?month=next-ish").get_data(as_text=True)
    assert "Enter the month as a year and month, like 2026-11" in refused and f"{NEXT_MONTH:%B %Y}" in refused


def test_a_qa_officer_sets_a_number_the_rule_and_months_away_and_the_change_is_logged(client, qa, make_user, get_page):
    person = make_user(name="Sid Manager", job_role="Service Delivery Manager")
    page = get_page(f"/auditor-pool/{person.id}").get_data(as_text=True)
    assert "<title>Change their part in the auditor pool – Sid Manager –" in page
    assert "The usual for their job role is 4." in page and 'name="monthly_quota" type="text" value="4"' in page
    assert "As usual for their job role: kept from them" in page
    later = months_before(THIS_MONTH, -3)
    data = {
        "version": "1",
        "monthly_quota": "2",
        "kept_from_own_area": "no",
        "away": [f"{NEXT_MONTH:%Y-%m}", f"{later:%Y-%m}"],
    }
    response = client.post(f"/auditor-pool/{person.id}?month={NEXT_MONTH:%Y-%m}", data=data)
    assert response.status_code == 303 and response.location.endswith(f"/auditor-pool?month={NEXT_MONTH:%Y-%m}")
    person = User.get_by_id(person.id)
    assert (person.monthly_quota, person.kept_from_own_area) == (2, False)
    assert sorted(row.month for row in AuditorAway.select().where(AuditorAway.user == person)) == [NEXT_MONTH, later]
    event = Event.select().where((Event.record_type == "User") & (Event.record_id == person.id)).get()
    assert event.user == qa and "months away" in event.fields and "monthly_quota" in event.fields
    data |= {"version": "2", "monthly_quota": "4", "kept_from_own_area": "", "away": [f"{later:%Y-%m}"]}
    assert client.post(f"/auditor-pool/{person.id}", data=data).status_code == 303
    person = User.get_by_id(person.id)
    assert (person.monthly_quota, person.kept_from_own_area) == (None, None)
    assert [row.month for row in AuditorAway.select().where(AuditorAway.user == person)] == [later]


@pytest.mark.parametrize(
    ("quota", "message"),
    [
        ("many", "Audits a month must be a whole number from 0 to 20"),
        ("21", "Audits a month must be a whole number from 0 to 20"),
        ("-1", "Audits a month must be a whole number from 0 to 20"),
        ("", "Enter how many audits a month they take, from 0 to 20"),
    ],
)
def test_a_bad_number_is_explained_beside_the_field_and_nothing_is_saved(client, qa, make_user, quota, message):
    person = make_user(job_role="Team Manager")
    data = {"version": "1", "monthly_quota": quota, "away": [f"{NEXT_MONTH:%Y-%m}"]}
    body = client.post(f"/auditor-pool/{person.id}", data=data).get_data(as_text=True)
    assert '<p id="monthly_quota-error" class="govuk-error-message">' in body and message in body
    assert User.get_by_id(person.id).version == 1 and not AuditorAway.select().exists()


def test_two_tabs_cannot_silently_overwrite_each_other(client, qa, make_user):
    person = make_user(job_role="Team Manager")
    assert client.post(f"/auditor-pool/{person.id}", data={"version": "1", "monthly_quota": "3"}).status_code == 303
    stale = client.post(f"/auditor-pool/{person.id}", data={"version": "1", "monthly_quota": "1"})
    assert stale.status_code == 200 and User.get_by_id(person.id).monthly_quota == 3


def test_only_an_active_auditor_has_a_part_in_the_pool(client, qa, make_user):
    assert client.get(f"/auditor-pool/{make_user(roles=('qa-officer',)).id}").status_code == 404
    assert client.get(f"/auditor-pool/{make_user(active=False).id}").status_code == 404
    assert client.get("/auditor-pool/99999999999").status_code == 404


@pytest.mark.parametrize("role", ["auditor", "team-manager", "moderator", "senior-leader"])
def test_only_qa_officers_see_the_pool(client, login_as, make_user, role):
    login_as(role)
    assert client.get("/auditor-pool").status_code == 403
    assert client.get(f"/auditor-pool/{make_user().id}").status_code == 403


def test_the_pool_costs_the_same_queries_at_10_auditors_as_at_500(
    client, qa, make_user, make_team, count_queries, get_page
):
    teams = [make_team() for _ in range(10)]
    for number in range(10):
        make_user(team=teams[number])
    few = count_queries(lambda: get_page("/auditor-pool"))
    people = [
        {"name": f"Pooled {n:03d}", "email": f"pooled{n}@example.gov.uk", "job_role": "IRO", "team": teams[n % 10]}
        for n in range(490)
    ]
    ids = [row[0] for row in User.insert_many(people).returning(User.id).tuples().execute()]
    UserRole.insert_many([{"user": user_id, "role": "auditor"} for user_id in ids]).execute()
    AuditorAway.insert_many([{"user": user_id, "month": NEXT_MONTH} for user_id in ids[::7]]).execute()
    assert count_queries(lambda: get_page("/auditor-pool")) == few
    assert count_queries(lambda: get_page("/auditor-pool?page=20")) == few
    assert "Showing 476 to 500 of 500 auditors" in get_page("/auditor-pool?page=20").get_data(as_text=True)
