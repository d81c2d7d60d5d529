"""Reliability exercises through the test client with no JavaScript: setting one up from a case, each person's
part on the audit page, who sees the others' answers when, the results, and what the discussion agreed."""

import datetime
import time

import pytest

from models import Audit, AuditTemplate, Draft, Event, Notice, ReliabilityExercise
from services import reliability
from services.dates import uk_today
from tests.conftest import PASSWORD, date_parts, sign_in_client

DUE = uk_today() + datetime.timedelta(days=28)


def exercise_form(audit, grade="good", overall="good", **changes):
    """What a participant's audit page posts: the period, the domains and the overall judgement, nothing else."""
    data = {
        "version": str(audit.version),
        "period_start": date_parts(audit.period_start),
        "period_end": date_parts(audit.period_end),
        "overall_grade": overall,
        "overall_rationale": "Help came quickly, but the plan drifted.",
    }
    for index, domain in enumerate(audit.template.ordered_domains):
        data[f"domains-{index}-grade"] = grade
        data[f"domains-{index}-evidence"] = f"Evidence for {domain.name}"
        data[f"domains-{index}-so_what"] = f"So what for {domain.name}"
    return data | changes


def set_up_form(people, due_on=DUE, **changes):
    return {"participants": [str(person.id) for person in people], "due_on": date_parts(due_on)} | changes


@pytest.fixture
def people(make_user):
    """A QA officer who sets exercises up, and three people who take part: an auditor, a QA officer, a moderator."""
    return {
        "qa": make_user(roles=("qa-officer",)),
        "auditor": make_user(roles=("auditor",)),
        "qa_participant": make_user(roles=("qa-officer",)),
        "moderator": make_user(roles=("moderator",)),
    }


@pytest.fixture
def exercise(make_case, people):
    participants = [people[name].id for name in ("auditor", "qa_participant", "moderator")]
    return reliability.set_up(people["qa"], make_case(), AuditTemplate.current(), participants, DUE)


def part_of(exercise, person):
    return Audit.get((Audit.exercise == exercise) & (Audit.auditor == person))


def submit_part(client, exercise, person, grade="good", overall="good"):
    sign_in_client(client, person)
    audit = part_of(exercise, person)
    response = client.post(f"/audits/{audit.id}", data=exercise_form(audit, grade, overall, submit_audit="y"))
    assert response.status_code == 303, response.get_data(as_text=True)
    return audit


def test_a_qa_officer_sets_one_up_from_the_case_and_everyone_taking_part_is_told(client, make_case, people):
    case = make_case()
    sign_in_client(client, people["qa"])
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert f'href="/cases/{case.id}/reliability-exercises/new"' in page
    form = client.get(f"/cases/{case.id}/reliability-exercises/new").get_data(as_text=True)
    assert people["moderator"].name in form and people["qa"].name in form

    chosen = [people["auditor"], people["moderator"]]
    response = client.post(f"/cases/{case.id}/reliability-exercises/new", data=set_up_form(chosen))
    exercise = ReliabilityExercise.get()
    assert response.status_code == 303 and response.headers["Location"] == f"/reliability-exercises/{exercise.id}"
    assert "everyone taking part has been told" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert [n.recipient_id for n in Notice.select().order_by(Notice.id)] == [p.id for p in chosen]

    listing = client.get("/reliability-exercises").get_data(as_text=True)
    assert case.reference in listing and "2, 0 submitted" in listing and "Not yet recorded" in listing
    # Not the programme's: neither the list of audits nor the case's audits show them.
    assert "No audits found" in client.get("/audits").get_data(as_text=True)
    assert "This case has not been audited in this service yet" in client.get(f"/cases/{case.id}").get_data(
        as_text=True
    )

    sign_in_client(client, people["auditor"])
    audit = part_of(exercise, people["auditor"])
    home = client.get("/").get_data(as_text=True)
    assert f'href="/audits/{audit.id}">Audit case {case.reference}</a>: your part in a reliability exercise' in home
    mine = client.get("/my-audits").get_data(as_text=True)
    assert 'govuk-tag--purple">\n  Reliability exercise' in mine and "Showing 1 audit" in mine


def test_the_exercise_audit_asks_only_for_the_domains_and_the_overall_judgement(client, exercise, people):
    sign_in_client(client, people["moderator"])
    audit = part_of(exercise, people["moderator"])
    page = client.get(f"/audits/{audit.id}").get_data(as_text=True)
    assert "This audit is part of a reliability exercise" in page and "until they submit their own" in page
    assert "7. Impact and Overall Outcomes" in page and 'name="overall_rationale"' in page
    for hidden in (
        "Discussion with the practitioner",
        "Safeguarding",
        "About the child",
        "Case note text",
        "Download the action plan",
        'id="feedback"',
        "Add an action",
    ):
        assert hidden not in page, hidden

    refused = client.post(f"/audits/{audit.id}", data=exercise_form(audit, overall_rationale="", submit_audit="y"))
    body = refused.get_data(as_text=True)
    assert "Enter the reasons for the overall judgement" in body and "discussion" not in body.lower()
    assert Audit.get_by_id(audit.id).status == "in-progress"

    response = client.post(
        f"/audits/{audit.id}", data=exercise_form(audit, "inadequate", "inadequate", version="2", submit_audit="y")
    )
    assert response.status_code == 303
    submitted = Audit.get_by_id(audit.id)
    assert submitted.status == "submitted" and submitted.discussion_on is None and not submitted.actions.exists()


def test_an_autosave_of_the_exercise_audit_refreshes_only_what_its_page_has(client, exercise, people):
    sign_in_client(client, people["auditor"])
    audit = part_of(exercise, people["auditor"])
    response = client.post(f"/audits/{audit.id}", data=exercise_form(audit), headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert "Saved at " in body and 'id="progress"' in body
    assert 'id="warnings"' not in body and 'id="case-note"' not in body and 'id="discussion-summary"' not in body


def test_nobody_taking_part_sees_the_others_answers_until_they_submit(client, exercise, people):
    first = submit_part(client, exercise, people["auditor"], "requires-improvement", "requires-improvement")
    for person in (people["qa_participant"], people["moderator"]):
        sign_in_client(client, person)
        page = client.get(f"/reliability-exercises/{exercise.id}").get_data(as_text=True)
        assert "once you have submitted your own audit" in page and "Requires Improvement" not in page
        refused = client.get(f"/audits/{first.id}")
        assert refused.status_code == 403
        if person.has_role("qa-officer"):  # who may read any audit but this one, yet
            assert "once you have submitted your own" in refused.get_data(as_text=True)
        assert client.get(f"/audits/{first.id}/record.docx").status_code == 403
        posted = client.post(f"/reliability-exercises/{exercise.id}", data={"version": "1", "agreed": "Sneaky"})
        assert posted.status_code == 403

    submit_part(client, exercise, people["qa_participant"], "good", "good")
    page = client.get(f"/reliability-exercises/{exercise.id}").get_data(as_text=True)
    assert "Grades side by side" in page and "1 still to submit" in page
    assert "Requires Improvement to be Good" in page and "Tied: Good and Requires Improvement to be Good" in page
    assert "Good to Requires Improvement to be Good: 1 grade apart" in page
    assert client.get(f"/audits/{first.id}").status_code == 200, "a QA officer who has submitted may read it"

    sign_in_client(client, people["auditor"])
    assert "Grades side by side" in client.get(f"/reliability-exercises/{exercise.id}").get_data(as_text=True)
    assert client.get(f"/audits/{part_of(exercise, people['moderator']).id}").status_code == 403


def test_someone_not_taking_part_cannot_see_it_but_a_qa_officer_can(client, exercise, make_user, people):
    sign_in_client(client, make_user(roles=("auditor", "moderator")))
    response = client.get(f"/reliability-exercises/{exercise.id}")
    assert response.status_code == 403 and "Only QA officers and the people taking part" in response.get_data(
        as_text=True
    )
    sign_in_client(client, make_user(roles=("team-manager",)))
    assert client.get(f"/reliability-exercises/{exercise.id}").status_code == 403
    sign_in_client(client, people["qa"])
    page = client.get(f"/reliability-exercises/{exercise.id}").get_data(as_text=True)
    assert "Nobody has submitted their audit yet" in page and "What the discussion agreed" in page
    assert client.get(f"/audits/{part_of(exercise, people['auditor']).id}").status_code == 200


def test_the_qa_officer_sees_the_results_and_records_what_was_agreed(client, exercise, people):
    submit_part(client, exercise, people["auditor"], "good", "good")
    submit_part(client, exercise, people["qa_participant"], "good", "requires-improvement")
    submit_part(client, exercise, people["moderator"], "requires-improvement", "requires-improvement")
    sign_in_client(client, people["qa"])
    page = client.get(f"/reliability-exercises/{exercise.id}").get_data(as_text=True)
    alpha = reliability.results(exercise).alpha.value
    assert f"<strong>{alpha:.2f}</strong>" in page and "Krippendorff" in page
    assert all(people[name].name in page for name in ("auditor", "qa_participant", "moderator"))
    # Each domain's alpha needs more cases than this one exercise's: the page says so rather than a figure.
    by_domain = page[page.index("By domain, over every exercise on this template") :]
    assert by_domain.count("Not worked out: 1 case graded by two or more people so far, and it takes at least 5.") == 8

    agreed = "Assessment is Good where the plan is reviewed on time; Requires Improvement where it drifts."
    response = client.post(f"/reliability-exercises/{exercise.id}", data={"version": "1", "agreed": agreed})
    assert response.status_code == 303
    assert ReliabilityExercise.get_by_id(exercise.id).agreed == agreed
    assert Event.select().where((Event.record_type == "ReliabilityExercise") & (Event.action == "changed")).exists()
    assert "3 submitted" in client.get("/reliability-exercises").get_data(as_text=True)

    sign_in_client(client, people["auditor"])
    page = client.get(f"/reliability-exercises/{exercise.id}").get_data(as_text=True)
    assert agreed in page and 'name="agreed"' not in page
    refused = client.post(f"/reliability-exercises/{exercise.id}", data={"version": "2", "agreed": "Changed"})
    assert refused.status_code == 403


def test_a_save_based_on_an_older_version_shows_both_texts(client, exercise, people):
    sign_in_client(client, people["qa"])
    url = f"/reliability-exercises/{exercise.id}"
    assert client.post(url, data={"version": "1", "agreed": "Agreed in the first tab."}).status_code == 303
    response = client.post(url, data={"version": "1", "agreed": "Agreed in the second tab."})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "Someone else saved what the discussion agreed" in body
    assert "Agreed in the first tab." in body and "Agreed in the second tab." in body
    assert ReliabilityExercise.get_by_id(exercise.id).agreed == "Agreed in the first tab."
    assert 'name="version" type="hidden" value="2"' in body
    assert client.post(url, data={"version": "2", "agreed": "Agreed in the second tab."}).status_code == 303
    assert ReliabilityExercise.get_by_id(exercise.id).agreed == "Agreed in the second tab."


@pytest.mark.app_config(SESSION_IDLE_MINUTES=30)
def test_what_was_agreed_typed_after_the_session_timed_out_is_back_after_signing_in(client, exercise, people):
    url = f"/reliability-exercises/{exercise.id}"
    sign_in_client(client, people["qa"])
    with client.session_transaction() as session:
        session["last_seen"] = time.time() - 41 * 60
    typed = {"version": "1", "agreed": "An hour's discussion, carefully written up."}
    response = client.post(url, data=typed, headers={"Referer": f"http://localhost{url}"})
    assert response.status_code == 302 and response.headers["Location"] == f"/sign-in?next={url}"
    assert Draft.select().count() == 1 and ReliabilityExercise.get_by_id(exercise.id).agreed == ""

    client.post(f"/sign-in?next={url}", data={"email": people["qa"].email, "password": PASSWORD})
    page = client.get(url).get_data(as_text=True)
    assert "An hour&#39;s discussion, carefully written up." in page and "has been put back in the form" in page
    assert client.post(url, data=typed).status_code == 303
    assert ReliabilityExercise.get_by_id(exercise.id).agreed.startswith("An hour") and Draft.select().count() == 0


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"participants": []}, "Select at least two people to take part"),
        ("one", "Select at least two people to take part"),
        (("also", "999999"), "Select the people taking part from the list"),
        (("also", "<script>"), "Select the people taking part from the list"),
        (("also", "9" * 20), "Select the people taking part from the list"),
        ("team-manager", "cannot take part: choose active auditors, QA officers or moderators"),
        (
            {"due_on": date_parts(uk_today() - datetime.timedelta(days=1))},
            "The date the exercise is due must be in the future",
        ),
        ({"due_on": ["31", "2", str(uk_today().year + 1)]}, "Due date must be a real date"),
        ({"due_on": ["<script>", "1", "2027"]}, "Due date must be a real date"),
        ({"due_on": ["", "", ""]}, "Enter the date the exercise is due"),
    ],
    ids=[
        "nobody",
        "one",
        "unknown",
        "script",
        "too-large",
        "without-a-role",
        "due-in-the-past",
        "impossible-date",
        "script-date",
        "no-date",
    ],
)
def test_bad_set_up_input_is_explained_beside_the_field_and_nothing_is_saved(
    client, make_case, make_user, people, changes, message
):
    case = make_case()
    sign_in_client(client, people["qa"])
    data = set_up_form([people["auditor"], people["moderator"]])
    if changes == "one":
        data["participants"] = [str(people["auditor"].id)]
    elif changes == "team-manager":
        data["participants"].append(str(make_user(roles=("team-manager",)).id))
    elif isinstance(changes, tuple):  # ("also", a value) beside two who may take part
        data["participants"].append(changes[1])
    else:
        data |= changes
    response = client.post(f"/cases/{case.id}/reliability-exercises/new", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and message in body and 'class="govuk-error-message"' in body
    assert ReliabilityExercise.select().count() == 0 and Audit.select().count() == 0 and Notice.select().count() == 0


@pytest.mark.parametrize(
    "agreed, message",
    [("   ", "Enter what the discussion agreed"), ("x" * 20_001, "must be 20,000 characters or fewer")],
    ids=["empty", "too-long"],
)
def test_bad_agreed_input_is_explained_and_nothing_is_saved(client, exercise, people, agreed, message):
    sign_in_client(client, people["qa"])
    response = client.post(f"/reliability-exercises/{exercise.id}", data={"version": "1", "agreed": agreed})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and message in body and 'class="govuk-error-message"' in body
    assert ReliabilityExercise.get_by_id(exercise.id).version == 1


def test_markup_in_what_was_agreed_is_shown_escaped(client, exercise, people):
    sign_in_client(client, people["qa"])
    url = f"/reliability-exercises/{exercise.id}"
    client.post(url, data={"version": "1", "agreed": "<script>alert(1)</script>"})
    submit_part(client, exercise, people["auditor"])
    body = client.get(url).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_the_list_pages_newest_first(client, make_case, people):
    participants = [people["auditor"].id, people["moderator"].id]
    exercises = [
        reliability.set_up(people["qa"], make_case(), AuditTemplate.current(), participants, DUE) for _ in range(27)
    ]
    sign_in_client(client, people["qa"])
    first = client.get("/reliability-exercises").get_data(as_text=True)
    assert "Showing 1 to 25 of 27 reliability exercises" in first
    assert first.index(exercises[-1].case.reference) < first.index(exercises[-2].case.reference)
    last = client.get("/reliability-exercises?page=2&last=1").get_data(as_text=True)
    assert exercises[0].case.reference in last and exercises[-1].case.reference not in last
