"""Moderation: drawing a month's sample, changing a moderator, and moderating an audit."""

import datetime
import io
import json
import re

import docx
import pytest

from models import (
    Action,
    Audit,
    AuditTemplate,
    DomainJudgement,
    DomainModeration,
    Draft,
    Event,
    Moderation,
    ModerationDraw,
    Notice,
    utcnow,
)
from services import moderation_draw, moderations
from services.dates import uk_today
from tests.conftest import date_parts, sign_in_client

NOW = utcnow()
THIS_MONTH = uk_today(NOW).replace(day=1)
# The last whole month, the one a QA officer draws; its audits were submitted in the middle of it.
MONTH = (THIS_MONTH - datetime.timedelta(days=1)).replace(day=1)
IN_MONTH = datetime.datetime(MONTH.year, MONTH.month, 15, 12, 0)


@pytest.fixture
def submitted(make_audit):
    """An audit submitted last month (or `at`) with this overall grade, every domain graded `domain_grade`
    (default the same)."""

    def make(grade, domain_grade=None, at=IN_MONTH, **fields):
        audit = make_audit(
            status="submitted",
            submitted_at=at,
            overall_grade=grade,
            overall_rationale="Reasons for the grade",
            **fields,
        )
        for domain in AuditTemplate.current().ordered_domains:
            DomainJudgement.create(
                audit=audit, domain=domain, grade=domain_grade or grade, evidence="Seen", so_what="It helped"
            )
        return audit

    return make


@pytest.fixture
def moderator(make_user):
    return make_user(roles=("moderator",))


def month_code(month=MONTH):
    return f"{month:%Y-%m}"


def test_a_qa_officer_draws_the_month_with_every_good_audit_and_sees_why_each_was_chosen(
    client, login_as, submitted, moderator
):
    qa = login_as("qa-officer")
    goods = [submitted("good") for _ in range(2)]
    others = [submitted(grade) for grade in ["requires-improvement"] * 6 + ["inadequate"] * 2]
    page = client.get(f"/moderation-sample?month={month_code()}").get_data(as_text=True)
    assert "This month has not been drawn yet" in page and "at least 3 of its 10 audits" in page

    response = client.post("/moderation-sample", data={"month": month_code()})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "drawn: 3 audits to moderate" in page
    chosen = {m.audit_id: m for m in Moderation.select()}
    assert {audit.id for audit in goods} <= set(chosen) and len(chosen) == 3
    assert [chosen[audit.id].chosen_because for audit in goods] == ["good-or-outstanding"] * 2
    assert sum(1 for audit in others if audit.id in chosen) == 1
    assert page.count("Graded Good or Outstanding") == 2 and page.count("Random from the other grades") == 1
    assert f"seed {moderation_draw.draws(MONTH)[0].seed}" in page
    assert all(m.moderator_id == moderator.id for m in chosen.values())
    assert Notice.get(Notice.recipient == moderator).subject == f"3 audits to moderate for {MONTH:%B %Y}"
    assert Event.select().where(Event.record_type == "Moderation", Event.user == qa).count() == 3
    # Each domain's grade is copied for the moderator to answer.
    assert DomainModeration.select().count() == 3 * len(AuditTemplate.current().ordered_domains)


def test_the_recorded_seed_and_audits_give_the_same_sample_again(app, login_as, submitted, moderator):
    qa = login_as("qa-officer")
    for grade in ["good"] + ["inadequate"] * 9:
        submitted(grade)
    draw = moderation_draw.draw(qa, MONTH, 30, NOW)
    grades = dict(Audit.select(Audit.id, Audit.overall_grade).tuples())
    again = moderation_draw.sample(
        [(audit_id, grades[audit_id]) for audit_id in json.loads(draw.population)], draw.seed, draw.percentage
    )
    assert again == {m.audit_id: m.chosen_because for m in draw.moderations}


def test_good_and_outstanding_alone_passing_30_percent_are_all_drawn_and_the_page_says_why(
    client, login_as, submitted, moderator
):
    login_as("qa-officer")
    for grade in ["good"] * 3 + ["outstanding"] + ["inadequate"] * 2:
        submitted(grade)
    client.post("/moderation-sample", data={"month": month_code()})
    page = client.get(f"/moderation-sample?month={month_code()}").get_data(as_text=True)
    assert Moderation.select().count() == 4
    assert "The sample is larger than 30% (2 audits)" in page and "there were 4" in page


def test_a_month_is_drawn_once_and_late_audits_are_drawn_again_without_removing_any(
    client, login_as, submitted, moderator
):
    login_as("qa-officer")
    for grade in ["requires-improvement"] * 10:
        submitted(grade)
    client.post("/moderation-sample", data={"month": month_code()})
    first = set(Moderation.select(Moderation.audit).tuples())
    page = client.get(f"/moderation-sample?month={month_code()}").get_data(as_text=True)
    assert "Draw the sample" not in page and "Draw again" not in page, "drawn once"
    refused = client.post("/moderation-sample", data={"month": month_code()}).get_data(as_text=True)
    assert "have been submitted into" in refused and Moderation.select().count() == 3

    late_good = submitted("good")
    for _ in range(3):
        submitted("inadequate")
    page = client.get(f"/moderation-sample?month={month_code()}").get_data(as_text=True)
    assert "4 audits were submitted into" in page and "Draw again for late audits" in page
    client.post("/moderation-sample", data={"month": month_code()})
    now = set(Moderation.select(Moderation.audit).tuples())
    assert first < now and (late_good.id,) in now
    assert len(now) == 5, "30% of 14, rounded up: the 3 drawn, the late Good and one more"
    assert [d.round for d in moderation_draw.draws(MONTH)] == [1, 2]


@pytest.mark.parametrize("month", ["", "2026-13", "<script>", "1999-01", "9999-99", "2999-01"])
def test_a_draw_for_a_month_not_in_the_list_is_refused_with_a_message(client, login_as, submitted, month):
    login_as("qa-officer")
    submitted("good")
    response = client.post("/moderation-sample", data={"month": month})
    assert response.status_code == 200
    assert "Select a month from the list" in response.get_data(as_text=True)
    assert Moderation.select().count() == 0


def test_the_sample_page_opens_on_the_last_whole_month_without_a_message(client, login_as):
    login_as("qa-officer")
    page = client.get("/moderation-sample").get_data(as_text=True)
    assert "govuk-error-message" not in page
    assert f"<title>Moderation sample for {MONTH:%B %Y} –" in page
    assert f'<h1 class="govuk-heading-l">Moderation sample for {MONTH:%B %Y}</h1>' in page


def test_drawing_the_month_under_way_asks_first_and_draws_only_once_the_qa_officer_says_yes(
    client, login_as, submitted, moderator
):
    login_as("qa-officer")
    submitted("good", at=NOW - datetime.timedelta(minutes=5))
    page = client.get(f"/moderation-sample?month={month_code(THIS_MONTH)}").get_data(as_text=True)
    assert f"{THIS_MONTH:%B %Y} is not over yet" in page
    assert "govuk-button--secondary" in page.split(f"Draw the sample for {THIS_MONTH:%B %Y}")[0].rsplit("<button", 1)[1]

    asked = client.post("/moderation-sample", data={"month": month_code(THIS_MONTH)})
    text = asked.get_data(as_text=True)
    assert asked.status_code == 200 and Moderation.select().count() == 0
    assert f"Draw the sample for {THIS_MONTH:%B %Y} before it is over?" in text
    assert "A draw cannot be undone" in text and 'name="confirmed" type="hidden" value="yes"' in text

    drawn = client.post("/moderation-sample", data={"month": month_code(THIS_MONTH), "confirmed": "yes"})
    assert drawn.status_code == 303 and Moderation.select().count() == 1
    assert "drawn: 1 audit to moderate" in client.get(drawn.headers["Location"]).get_data(as_text=True)


def test_a_month_with_no_audits_says_there_is_nothing_to_draw(client, login_as):
    login_as("qa-officer")
    page = client.get("/moderation-sample?month=nonsense").get_data(as_text=True)
    assert "Select a month from the list" in page
    assert "No audits were submitted in" in page


def test_late_audits_are_drawn_by_the_month_s_own_percentage(app, login_as, submitted, moderator):
    qa = login_as("qa-officer")
    for _ in range(10):
        submitted("inadequate")
    moderation_draw.draw(qa, MONTH, 30, NOW)
    for _ in range(10):
        submitted("inadequate")
    moderation_draw.draw(qa, MONTH, 50, NOW)  # the setting changed meanwhile
    assert Moderation.select().count() == 6, "30% of 20, as the month was first drawn"


def test_the_moderator_is_never_the_auditor_or_the_team_manager(
    app, login_as, submitted, make_user, make_case, make_team
):
    qa = login_as("qa-officer")
    auditor_moderator = make_user(roles=("auditor", "moderator"))
    manager_moderator = make_user(roles=("team-manager", "moderator"))
    other = make_user(roles=("moderator",))
    case = make_case(team=make_team(manager=manager_moderator))
    audit = submitted("good", auditor=auditor_moderator, case=case)
    moderation_draw.draw(qa, MONTH, 30, NOW)
    assert Moderation.get(Moderation.audit == audit).moderator_id == other.id


def test_a_moderator_finds_what_they_have_to_moderate_on_their_home_page(client, drawn, moderator):
    sign_in_client(client, moderator)
    page = client.get("/").get_data(as_text=True)
    assert "1 audit to moderate" in page and 'href="/moderations"' in page
    notice = Notice.get(Notice.recipient == moderator)
    assert "Open your moderations" in client.get(f"/notices/{notice.id}").get_data(as_text=True)


def test_a_qa_officer_changes_the_moderator_before_it_is_started_and_the_new_one_is_told(
    client, login_as, submitted, moderator, make_user
):
    qa = login_as("qa-officer")
    audit = submitted("good")
    moderation_draw.draw(qa, MONTH, 30, NOW)
    moderation = Moderation.get()
    second = make_user(roles=("moderator",))
    refused = client.post(
        f"/moderations/{moderation.id}/moderator", data={"version": moderation.version, "moderator": audit.auditor_id}
    )
    assert "Select a moderator from the list" in refused.get_data(as_text=True)
    response = client.post(
        f"/moderations/{moderation.id}/moderator", data={"version": moderation.version, "moderator": second.id}
    )
    assert response.status_code == 303
    assert Moderation.get().moderator_id == second.id
    assert Notice.get(Notice.recipient == second).link == f"/moderations/{moderation.id}"
    taken = Notice.select().where(Notice.recipient == moderator).order_by(Notice.id.desc()).first()
    assert taken.subject == f"The audit of case {audit.case.reference} is no longer yours to moderate"

    Moderation.update(status="in-progress").execute()
    started = client.post(
        f"/moderations/{moderation.id}/moderator", data={"version": moderation.version + 1, "moderator": moderator.id}
    )
    assert "has been started" in started.get_data(as_text=True)
    assert Moderation.get().moderator_id == second.id


def test_a_further_action_starts_the_moderation_so_nobody_can_take_it_away(client, drawn, moderator, make_user):
    sign_in_client(client, moderator)
    client.post(
        f"/moderations/{drawn.id}/further-actions/new",
        data={
            "what": "Update the plan with the school's new attendance targets and share it with the family",
            "owner_name": "Sam Worker",
            "owner_role": "Social Worker",
            "due_on": date_parts(uk_today() + datetime.timedelta(days=14)),
            "done_when": "The plan is on file",
        },
    )
    assert Moderation.get().status == "in-progress"
    sign_in_client(client, make_user(roles=("qa-officer",)))
    other = make_user(roles=("moderator",))
    page = client.post(f"/moderations/{drawn.id}/moderator", data={"version": drawn.version, "moderator": other.id})
    assert "has been started" in page.get_data(as_text=True)
    assert Moderation.get().moderator_id == moderator.id


@pytest.fixture
def drawn(app, make_user, submitted, moderator):
    """A Good audit, drawn this month and given to `moderator`."""
    audit = submitted("good", domain_grade="good")
    moderation_draw.draw(make_user(roles=("qa-officer",)), MONTH, 30, NOW)
    return Moderation.get(Moderation.audit == audit)


def answers(moderation, disagree_with=(), **overrides):
    """The moderation form, agreeing with every grade except the domains numbered in `disagree_with`."""
    data = {"version": moderation.version, "agrees": "yes", "actions_addressed": "partly", "message": "Well done"}
    for index, _ in enumerate(moderations.domains(moderation)):
        if index in disagree_with:
            data |= {
                f"domains-{index}-agrees": "no",
                f"domains-{index}-grade": "requires-improvement",
                f"domains-{index}-reason": "The plan has drifted",
            }
        else:
            data[f"domains-{index}-agrees"] = "yes"
    return data | overrides


def test_a_whole_moderation_disagreeing_with_one_domain(client, drawn, moderator):
    sign_in_client(client, moderator)
    page = client.get(f"/moderations/{drawn.id}").get_data(as_text=True)
    assert "Auditor&#39;s grade" in page and "It helped" in page
    saved = client.post(f"/moderations/{drawn.id}", data=answers(drawn, disagree_with=[1]))
    assert saved.status_code == 303
    assert Moderation.get().status == "in-progress"
    client.post(
        f"/moderations/{drawn.id}/further-actions/new",
        data={
            "what": "Update the plan with the school's new attendance targets and share it with the family",
            "owner_name": "Sam Worker",
            "owner_role": "Social Worker",
            "due_on": date_parts(uk_today() + datetime.timedelta(days=14)),
            "done_when": "The plan is on file",
        },
    )
    response = client.post(
        f"/moderations/{drawn.id}",
        data=answers(Moderation.get(), disagree_with=[1], submit_moderation="Submit moderation"),
    )
    assert response.status_code == 303
    moderation = Moderation.get()
    assert moderation.status == "submitted" and moderation.grade == "good"
    assert Audit.get_by_id(drawn.audit_id).status == "moderated"
    rows = moderations.domains(moderation)
    assert [row.grade for row in rows][:3] == ["good", "requires-improvement", "good"]
    notice = Notice.get(Notice.recipient == drawn.audit.auditor_id)
    assert notice.subject == f"Your audit of case {drawn.audit.case.reference} has been moderated"
    assert "changed 1 grade" in notice.body and "Well done" not in notice.body

    sign_in_client(client, drawn.audit.auditor)
    audit_page = client.get(f"/audits/{drawn.audit_id}").get_data(as_text=True)
    assert "Moderated" in audit_page and "The plan has drifted" in audit_page
    assert "(changed)" in audit_page and "Further actions from moderation" in audit_page
    case_note = client.get(f"/audits/{drawn.audit_id}/case-note.txt").get_data(as_text=True)
    assert "Overall judgement: Good\n" in case_note, "the moderator agreed with it"
    assert "Further actions from moderation:\n1. Update the plan with the school's new attendance targets" in case_note
    record = docx.Document(io.BytesIO(client.get(f"/audits/{drawn.audit_id}/record.docx").data))
    assert "Moderation" in [p.text for p in record.paragraphs if p.style.name == "Heading 1"]
    table = next(t for t in record.tables if t.rows[0].cells[1].text == "Auditor's grade")
    changed = [[cell.text for cell in row.cells] for row in table.rows if "(changed)" in row.cells[2].text]
    assert changed == [
        [rows[1].domain.name, "Good", "Requires Improvement to be Good (changed)", "The plan has drifted"]
    ]
    assert any("school's new attendance targets" in cell.text for t in record.tables for cell in t._cells)


def test_submitting_a_moderation_needs_every_answer(client, drawn, moderator):
    sign_in_client(client, moderator)
    data = answers(drawn, disagree_with=[0], submit_moderation="Submit moderation")
    data |= {"domains-0-grade": "good", "domains-0-reason": "", "domains-1-agrees": "", "agrees": "no"}
    data.pop("actions_addressed")
    page = client.post(f"/moderations/{drawn.id}", data=data).get_data(as_text=True)
    for message in [
        "is the auditor&#39;s grade (Good): select yes to agree, or choose another grade",
        "Enter why you disagree with the grade for",
        "Select yes if you agree with the grade for",
        "Select the moderated grade for the overall judgement",
        "Enter why you disagree with the grade for the overall judgement",
        "Select whether the actions from the audit have been addressed",
    ]:
        assert message in page
    assert Moderation.get().status == "in-progress", "saved as far as it goes, not submitted"


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("domains-0-grade", "brilliant", "Select a grade from the list"),
        ("domains-0-agrees", "maybe", "Select yes or no"),
        ("actions_addressed", "<script>", "Select whether the actions from the audit have been addressed"),
        ("message", "x" * 20_001, "must be 20,000 characters or fewer"),
        ("version", "abc", "This page is out of date"),
    ],
)
def test_bad_input_on_a_moderation_is_refused_and_nothing_saved(client, drawn, moderator, field, value, message):
    sign_in_client(client, moderator)
    response = client.post(f"/moderations/{drawn.id}", data=answers(drawn, message="Changed") | {field: value})
    assert message in response.get_data(as_text=True)
    assert Moderation.get().message == "" and Moderation.get().version == drawn.version


def test_a_version_conflict_on_a_moderation_shows_both_versions(client, drawn, moderator):
    sign_in_client(client, moderator)
    client.post(f"/moderations/{drawn.id}", data=answers(drawn, message="Mine from the first tab"))
    page = client.post(f"/moderations/{drawn.id}", data=answers(drawn, message="Mine from the second tab"))
    text = page.get_data(as_text=True)
    assert "Someone else saved this moderation after you opened it" in text
    assert "Mine from the first tab" in text and "Mine from the second tab" in text
    assert Moderation.get().message == "Mine from the first tab"


def test_what_was_typed_after_the_session_timed_out_is_kept_and_put_back(app, client, drawn, moderator):
    sign_in_client(client, moderator)
    with client.session_transaction() as session:
        session["last_seen"] -= app.config["SESSION_IDLE_MINUTES"] * 60 + 1
    response = client.post(f"/moderations/{drawn.id}", data=answers(drawn, message="Typed while away"))
    assert response.status_code == 302 and Moderation.get().message == ""
    sign_in_client(client, moderator)
    page = client.get(f"/moderations/{drawn.id}").get_data(as_text=True)
    assert "Typed while away" in page and "has been put back in the form" in page
    client.post(f"/moderations/{drawn.id}", data=answers(drawn, message="Typed while away"))
    assert Moderation.get().message == "Typed while away" and Draft.select().count() == 0


def test_only_its_moderator_opens_a_moderation(client, drawn, make_user):
    for roles in [("moderator",), ("qa-officer", "moderator")]:
        sign_in_client(client, make_user(roles=roles))
        assert client.get(f"/moderations/{drawn.id}").status_code == 403
        assert client.post(f"/moderations/{drawn.id}", data=answers(drawn, message="No")).status_code == 403
        assert client.get(f"/moderations/{drawn.id}/further-actions/new").status_code == 403
    assert Moderation.get().message == ""


def test_a_moderator_reads_the_audit_they_moderate_and_its_record_but_no_other(client, drawn, moderator, make_audit):
    sign_in_client(client, moderator)
    assert client.get(f"/audits/{drawn.audit_id}").status_code == 200
    assert client.get(f"/audits/{drawn.audit_id}/record.docx").status_code == 200
    assert client.post(f"/audits/{drawn.audit_id}", data={"about_child": "Changed"}).status_code == 403
    assert client.get(f"/audits/{make_audit().id}").status_code == 403


def test_an_auditor_sees_the_outcome_of_their_own_audits_only(client, drawn, moderator, make_user):
    sign_in_client(client, moderator)
    client.post(f"/moderations/{drawn.id}", data=answers(drawn, submit_moderation="Submit moderation"))
    assert Moderation.get().status == "submitted"
    sign_in_client(client, make_user(roles=("auditor",)))
    assert client.get(f"/audits/{drawn.audit_id}").status_code == 403


def test_a_submitted_moderation_cannot_be_changed_and_what_was_typed_is_shown(client, drawn, moderator):
    sign_in_client(client, moderator)
    client.post(f"/moderations/{drawn.id}", data=answers(drawn, submit_moderation="Submit moderation"))
    late = client.post(f"/moderations/{drawn.id}", data=answers(drawn, message="Too late"))
    text = late.get_data(as_text=True)
    assert "This moderation was submitted after you opened this page" in text and "Too late" in text
    assert Moderation.get().message == "Well done"
    action = client.post(
        f"/moderations/{drawn.id}/further-actions/new",
        data={
            "what": "A specific enough action to be taken by the team this month",
            "owner_name": "A",
            "owner_role": "B",
            "due_on": date_parts(uk_today() + datetime.timedelta(days=7)),
            "done_when": "Done",
        },
    )
    assert action.status_code == 200 and "can no longer be changed" in action.get_data(as_text=True)
    assert Action.select().count() == 0


def test_a_moderator_s_further_actions_are_not_the_audit_s_and_cannot_be_reached_through_it(client, drawn, moderator):
    further = Action.create(
        audit=drawn.audit,
        source="moderation",
        what="x",
        owner_name="A",
        owner_role="B",
        due_on=uk_today(),
        done_when="y",
    )
    audit_action = Action.create(
        audit=drawn.audit, what="z", owner_name="A", owner_role="B", due_on=uk_today(), done_when="y"
    )
    sign_in_client(client, moderator)
    assert client.get(f"/moderations/{drawn.id}/further-actions/{further.id}/edit").status_code == 200
    assert client.get(f"/moderations/{drawn.id}/further-actions/{audit_action.id}/edit").status_code == 404
    assert drawn.audit.ordered_actions() == [audit_action]


def test_a_month_s_moderations_are_due_by_the_end_of_the_next_month_and_the_sample_page_shows_progress(
    app, client, login_as, submitted, moderator
):
    qa = login_as("qa-officer")
    for grade in ["good"] * 3:
        submitted(grade)
    draw = moderation_draw.draw(qa, MONTH, 30, NOW, due_months=app.config["MODERATION_DUE_MONTHS"])
    end_of_next_month = (MONTH + datetime.timedelta(days=62)).replace(day=1) - datetime.timedelta(days=1)
    assert draw.due_on == end_of_next_month
    assert {m.due_on for m in Moderation.select()} == {end_of_next_month}
    notice = Notice.get(Notice.recipient == moderator)
    assert f"due by {end_of_next_month.day} {end_of_next_month:%B %Y}" in notice.body
    first = Moderation.select().order_by(Moderation.id).first()
    Moderation.update(status="submitted", submitted_at=NOW, grade="good", agrees=True).where(
        Moderation.id == first.id
    ).execute()

    page = client.get(f"/moderation-sample?month={month_code()}").get_data(as_text=True)
    assert "1 of 3 moderated" in page
    assert page.count('<strong class="govuk-tag govuk-tag--green">') == 1 and "Moderated" in page
    assert page.count('<strong class="govuk-tag govuk-tag--grey">') == 2 and "Not started" in page
    Moderation.update(due_on=uk_today()).execute()
    ModerationDraw.update(due_on=uk_today()).execute()
    page = client.get(f"/moderation-sample?month={month_code()}").get_data(as_text=True)
    assert page.count("Due today") == 3, "the month's deadline and the two not yet moderated"
    Moderation.update(due_on=uk_today() - datetime.timedelta(days=1)).execute()
    page = client.get(f"/moderation-sample?month={month_code()}").get_data(as_text=True)
    assert page.count("Overdue") == 2, "only those not yet moderated"


def test_late_audits_drawn_after_the_month_s_deadline_have_the_same_time_from_when_they_were_drawn():
    october = datetime.date(2026, 10, 1)
    assert moderation_draw.due_on(october, datetime.date(2026, 11, 2), 1) == datetime.date(2026, 11, 30)
    assert moderation_draw.due_on(october, datetime.date(2026, 11, 30), 1) == datetime.date(2026, 11, 30)
    assert moderation_draw.due_on(october, datetime.date(2026, 12, 1), 1) == datetime.date(2027, 1, 31)
    assert moderation_draw.due_on(datetime.date(2026, 12, 1), datetime.date(2027, 1, 5), 2) == datetime.date(
        2027, 2, 28
    )


def test_my_moderations_lists_those_to_do_soonest_due_first_and_those_done_on_their_own_page(
    client, login_as, submitted, moderator
):
    qa = login_as("qa-officer")
    for _ in range(3):
        submitted("good")
    moderation_draw.draw(qa, MONTH, 30, NOW)
    later, sooner, done = Moderation.select().order_by(Moderation.id)
    Moderation.update(due_on=uk_today() - datetime.timedelta(days=3)).where(Moderation.id == sooner.id).execute()
    Moderation.update(status="submitted", submitted_at=NOW, grade="good", agrees=True).where(
        Moderation.id == done.id
    ).execute()
    sign_in_client(client, moderator)
    page = client.get("/moderations").get_data(as_text=True)
    to_do = page.split('<h2 class="govuk-heading-m">Done</h2>')[0]
    assert to_do.index(sooner.audit.case.reference) < to_do.index(later.audit.case.reference)
    assert done.audit.case.reference not in page
    assert to_do.count("Overdue") == 1 and "Not started" in to_do
    assert "See the 1 moderation you have done" in page

    done_page = client.get("/moderations/done").get_data(as_text=True)
    assert done.audit.case.reference in done_page and sooner.audit.case.reference not in done_page
    assert f"{NOW.day} {NOW:%B %Y}" in done_page and '<strong class="govuk-tag govuk-tag--green">' in done_page


@pytest.mark.parametrize("status", ["in-progress", "submitted"])
def test_the_moderator_of_a_started_or_submitted_moderation_is_not_offered_to_change(client, drawn, status):
    Moderation.update(status=status).execute()
    sign_in_client(client, drawn.draw.drawn_by)
    sample = client.get(f"/moderation-sample?month={month_code()}").get_data(as_text=True)
    assert "Change moderator" not in sample
    page = client.get(f"/moderations/{drawn.id}/moderator")
    assert page.status_code == 403
    started_or_submitted = "started" if status == "in-progress" else "submitted"
    assert f"This moderation has been {started_or_submitted}, so its moderator can no longer be changed" in (
        page.get_data(as_text=True)
    )


def test_the_change_moderator_page_names_the_case_and_the_sample_s_month(client, drawn):
    sign_in_client(client, drawn.draw.drawn_by)
    page = client.get(f"/moderations/{drawn.id}/moderator").get_data(as_text=True)
    heading = f"Change the moderator of the audit of case {drawn.audit.case.reference}"
    assert f"<title>{heading} –" in page and f'<h1 class="govuk-heading-l">{heading}</h1>' in page
    assert f"Moderation sample for {MONTH:%B %Y}" in page


def test_further_action_pages_name_the_moderation_s_case(client, drawn, moderator):
    sign_in_client(client, moderator)
    page = client.get(f"/moderations/{drawn.id}/further-actions/new").get_data(as_text=True)
    heading = f"Add a further action to the moderation of the audit of case {drawn.audit.case.reference}"
    assert f"<title>{heading} –" in page and f'<h1 class="govuk-heading-l">{heading}</h1>' in page


def test_the_moderated_grade_and_why_open_under_no(client, drawn, moderator):
    sign_in_client(client, moderator)
    page = client.get(f"/moderations/{drawn.id}").get_data(as_text=True)
    rows = moderations.domains(drawn)
    # Each domain's, and the overall judgement's: hidden until "No" is chosen (shown without JavaScript).
    hidden = re.findall(r'<div class="govuk-radios__conditional govuk-radios__conditional--hidden" id="([^"]+)">', page)
    assert hidden == [f"conditional-domains-{index}-agrees-2" for index in range(len(rows))] + ["conditional-agrees-2"]
    reveal = page.split('id="conditional-domains-0-agrees-2">')[1].split('<div class="govuk-radios__conditional')[0]
    assert f"Moderated grade for {rows[0].domain.name}" in reveal and "Why do you disagree?" in reveal
    assert 'data-aria-controls="conditional-domains-0-agrees-2"' in page


FURTHER_ACTION = {
    "what": "Update the plan with the school's new attendance targets and share it with the family",
    "owner_name": "Sam Worker",
    "owner_role": "Social Worker",
    "done_when": "The plan is on file",
}


@pytest.fixture
def moderated(client, drawn, moderator):
    """`drawn`, moderated today: the second domain and the overall judgement changed to Requires Improvement,
    with a further action; the client is signed in as its auditor."""
    sign_in_client(client, moderator)
    due = uk_today() + datetime.timedelta(days=14)
    client.post(f"/moderations/{drawn.id}/further-actions/new", data=FURTHER_ACTION | {"due_on": date_parts(due)})
    overall = {"agrees": "no", "grade": "requires-improvement", "overall_reason": "No plan for school"}
    data = answers(Moderation.get(), disagree_with=[1], submit_moderation="Submit moderation") | overall
    assert client.post(f"/moderations/{drawn.id}", data=data).status_code == 303
    sign_in_client(client, drawn.audit.auditor)
    return Moderation.get()


def test_the_audit_shows_the_moderation_s_outcome_near_the_top_and_the_final_grades(client, moderated):
    page = client.get(f"/audits/{moderated.audit_id}").get_data(as_text=True)
    today, submitted_on = uk_today(), IN_MONTH.date()
    assert f"Moderated, {today.day} {today:%B %Y} (submitted {submitted_on.day} {submitted_on:%B %Y}" in page
    rows = moderations.domains(moderated)
    outcome = page.index("Moderation outcome")
    assert outcome < page.index(f"1. {rows[0].domain.name}") < page.index('id="moderation-heading"')
    summary = page[outcome : page.index(f"1. {rows[0].domain.name}")]
    assert f"{today.day} {today:%B %Y} by {moderated.moderator.name}" in summary
    assert "<strong>Requires Improvement to be Good</strong>, changed from the auditor's Good" in summary
    assert f"1 of {len(rows)}" in summary and 'href="#moderation"' in summary
    assert "<strong>Grade: Requires Improvement to be Good</strong>, moderated (the auditor's grade: Good)" in page
    assert page.count("<strong>Grade: Good</strong>") == len(rows) - 1
    assert '<th scope="col" class="govuk-table__header">Domain</th>' in page
    assert ">Actions</span></th>" not in page.split('id="moderation-heading"')[1].split("</table>")[0]


def test_the_word_record_gives_the_outcome_near_the_top_the_final_grades_and_the_moderation_in_one_table(
    client, moderated
):
    record = docx.Document(io.BytesIO(client.get(f"/audits/{moderated.audit_id}/record.docx").data))
    headings = [p.text for p in record.paragraphs if p.style.name == "Heading 1"]
    assert headings.index("Moderation outcome") == headings.index("Case details") + 1
    assert headings.index("Moderation outcome") < headings.index("Practice domains") < headings.index("Moderation")
    summary = {row.cells[0].text: row.cells[1].text for row in record.tables[1].rows}
    assert summary["Overall judgement"] == "Requires Improvement to be Good, changed from the auditor's Good"
    assert summary["Domain grades changed"] == f"1 of {len(moderations.domains(moderated))}"
    grades = [p.text for p in record.paragraphs if p.text.startswith("Grade: ")]
    assert grades[1] == "Grade: Requires Improvement to be Good, moderated (the auditor's grade: Good)"
    assert grades[0] == "Grade: Good"
    # No two tables run together: each table is followed by something other than another table.
    body = [child.tag.rsplit("}", 1)[1] for child in record.element.body]
    assert all(not (a == b == "tbl") for a, b in zip(body, body[1:], strict=False))
    table = next(t for t in record.tables if t.rows[0].cells[1].text == "Auditor's grade")
    assert table.rows[0].cells[0].text == "Domain"
    assert [p.text for p in record.paragraphs if p.text == "Have the audit's actions been addressed?"]


def test_the_word_action_plan_holds_the_moderation_s_further_actions(client, moderated, make_user):
    Action.create(
        audit=moderated.audit,
        what="Hold a core group meeting with the school nurse and the GP",
        owner_name="Ann Manager",
        owner_role="Team Manager",
        due_on=datetime.date(2027, 3, 1),
        done_when="Minutes on file",
    )
    plan = docx.Document(io.BytesIO(client.get(f"/audits/{moderated.audit_id}/action-plan.docx").data))
    rows = [[cell.text for cell in row.cells] for row in plan.tables[0].rows[1:]]
    today, due = uk_today(), uk_today() + datetime.timedelta(days=14)
    assert [row[0] for row in rows] == [
        f"Audit action 1, {IN_MONTH.day} {IN_MONTH:%B %Y}",
        f"Further action 1 from moderation, {today.day} {today:%B %Y}",
    ]
    assert rows[1][1].startswith(FURTHER_ACTION["what"]) and rows[1][4] == f"{due.day} {due:%B %Y}"
    overall = "Overall judgement: Requires Improvement to be Good, moderated (the auditor's: Good)"
    assert overall in plan.paragraphs[1].text


def test_once_submitted_the_pages_no_longer_ask_for_actions(client, drawn, moderator):
    sign_in_client(client, moderator)
    page = client.get(f"/moderations/{drawn.id}").get_data(as_text=True)
    assert "Add one if the audit&#39;s actions do not cover what must happen" in page
    client.post(f"/moderations/{drawn.id}", data=answers(drawn, submit_moderation="Submit moderation"))
    page = client.get(f"/moderations/{drawn.id}").get_data(as_text=True)
    assert "The moderation set no further actions." in page and "Add one if" not in page
    sign_in_client(client, drawn.audit.auditor)
    audit_page = client.get(f"/audits/{drawn.audit_id}").get_data(as_text=True)
    assert "The audit set no actions." in audit_page and "needs at least one" not in audit_page
