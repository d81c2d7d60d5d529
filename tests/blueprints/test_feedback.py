"""Feedback from the child, parents and carers, and from the IRO or CP chair, through the test client without
JavaScript."""

import datetime
import io
import re
import time

import pytest
from docx import Document

from models import Audit, Draft, Event, FamilyFeedback, IroFeedback
from services.dates import uk_today
from tests.conftest import PASSWORD, date_parts, sign_in_client
from tests.pages import parsed, revealed_under


def iro_form(**changes):
    return {
        "name": "Jo Reviewer",
        "role": "iro",
        "given_on": date_parts(uk_today() - datetime.timedelta(days=3)),
        "plan_progress": "The plan is on track, but the contingency is missing.",
        "grades_view": "Agrees with every grade but Assessment, which she would call Good.",
    } | changes


def test_the_auditor_records_the_iros_feedback_and_it_shows_on_the_audit_and_in_the_record(client, audit, get_page):
    form = get_page(f"/audits/{audit.id}/feedback/iro/new").get_data(as_text=True)
    assert "Feedback from the IRO or CP chair" in form and "Their view of the plan&#39;s progress" in form
    response = client.post(f"/audits/{audit.id}/feedback/iro/new", data=iro_form())
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/audits/{audit.id}#feedback")
    saved = IroFeedback.get()
    assert (saved.name, saved.role, saved.after_submission) == ("Jo Reviewer", "iro", False)
    assert Event.get((Event.record_type == "IroFeedback") & (Event.record_id == saved.id)).action == "created"
    page = get_page(f"/audits/{audit.id}").get_data(as_text=True)
    assert "Jo Reviewer, Independent Reviewing Officer (IRO)" in page and "the contingency is missing" in page
    document = Document(io.BytesIO(client.get(f"/audits/{audit.id}/record.docx").data))
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert "Jo Reviewer, Independent Reviewing Officer (IRO)" in texts
    assert "The plan is on track, but the contingency is missing." in texts


def test_changing_it_is_refused_if_someone_saved_it_meanwhile(client, audit):
    client.post(f"/audits/{audit.id}/feedback/iro/new", data=iro_form())
    saved = IroFeedback.get()
    url = f"/audits/{audit.id}/feedback/iro/{saved.id}/edit"
    assert client.post(url, data=iro_form(version="1", name="Jo Reviewer-Smith")).status_code == 303
    body = client.post(url, data=iro_form(version="1", plan_progress="Older text")).get_data(as_text=True)
    assert "Someone else changed this record" in body
    kept = IroFeedback.get_by_id(saved.id)
    assert (kept.name, kept.version) == ("Jo Reviewer-Smith", 2) and kept.plan_progress.startswith("The plan")


def test_feedback_can_be_added_after_the_audit_is_submitted_and_says_so(client, audit):
    Audit.update(status="submitted", submitted_at=datetime.datetime.now()).where(Audit.id == audit.id).execute()
    assert client.post(f"/audits/{audit.id}/feedback/iro/new", data=iro_form(role="cp-chair")).status_code == 303
    assert IroFeedback.get().after_submission
    before = IroFeedback.create(
        audit=audit,
        recorded_by=audit.auditor,
        name="Sam Chair",
        role="cp-chair",
        given_on=uk_today(),
        plan_progress="x",
    )
    changed = iro_form(version="1", name="Sam Chair", role="cp-chair", plan_progress="Changed later")
    assert client.post(f"/audits/{audit.id}/feedback/iro/{before.id}/edit", data=changed).status_code == 303
    assert IroFeedback.get_by_id(before.id).after_submission, "changed after submission, it says so"
    page = client.get(f"/audits/{audit.id}").get_data(as_text=True)
    assert "Child Protection (CP) chair" in page and "After the audit was submitted" in page


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"name": ""}, "Enter the name of the IRO or CP chair"),
        ({"name": "x" * 101}, "Their name must be 100 characters or fewer"),
        ({"role": ""}, "Select whether they are the child&#39;s IRO or CP chair"),
        ({"role": "social-worker"}, "Select whether they are the child&#39;s IRO or CP chair"),
        ({"given_on": ["", "", ""]}, "Enter the date they gave their feedback"),
        ({"given_on": ["31", "2", "2026"]}, "When they gave it must be a real date"),
        (
            {"given_on": date_parts(uk_today() + datetime.timedelta(days=7))},
            "When they gave it must be today or in the past",
        ),
        ({"plan_progress": " ", "grades_view": ""}, "Enter their view of the plan&#39;s progress, or of the grades"),
        ({"grades_view": "x" * 20_001}, "Their view of the grades must be 20,000 characters or fewer"),
    ],
)
def test_bad_input_is_refused_beside_its_field_and_nothing_is_saved(client, audit, changes, message):
    response = client.post(f"/audits/{audit.id}/feedback/iro/new", data=iro_form(**changes))
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert IroFeedback.select().count() == 0


def test_what_is_typed_is_shown_as_text_never_as_markup(client, audit):
    client.post(f"/audits/{audit.id}/feedback/iro/new", data=iro_form(name="<script>alert(1)</script>"))
    page = client.get(f"/audits/{audit.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_only_the_audits_auditor_records_its_feedback(client, audit, make_audit, make_user):
    client.post(f"/audits/{audit.id}/feedback/iro/new", data=iro_form())
    mine = IroFeedback.get()
    theirs = make_audit(auditor=make_user(roles=("auditor",)))
    assert client.get(f"/audits/{theirs.id}/feedback/iro/new").status_code == 403
    assert client.post(f"/audits/{theirs.id}/feedback/iro/new", data=iro_form()).status_code == 403
    assert client.get(f"/audits/{theirs.id}/feedback/iro/{mine.id}/edit").status_code == 403
    assert client.get(f"/audits/{audit.id}/feedback/iro/{mine.id + 1000}/edit").status_code == 404
    sign_in_client(client, make_user(roles=("qa-officer",)))
    assert client.get(f"/audits/{audit.id}/feedback/iro/new").status_code == 403
    page = client.get(f"/audits/{audit.id}").get_data(as_text=True)
    assert "Jo Reviewer" in page and "Add feedback from the IRO or CP chair" not in page
    assert IroFeedback.select().count() == 1


@pytest.mark.parametrize("submitted", [False, True])
def test_feedback_typed_after_the_session_timed_out_is_kept_and_put_back(client, audit, auditor, submitted):
    """Also once the audit is submitted: feedback often comes late."""
    if submitted:
        Audit.update(status="submitted", submitted_at=datetime.datetime.now()).where(Audit.id == audit.id).execute()
    with client.session_transaction() as session:
        session["last_seen"] = time.time() - 31 * 60
    typed = iro_form(plan_progress="Typed while the session was timing out: the plan has stalled since June.")
    url = f"/audits/{audit.id}/feedback/iro/new"
    response = client.post(url, data=typed, headers={"Referer": f"http://localhost{url}"})
    assert response.status_code == 302 and response.headers["Location"] == f"/sign-in?next={url}"
    client.post("/sign-in", data={"email": auditor.email, "password": PASSWORD})
    assert "the plan has stalled since June" in client.get(url).get_data(as_text=True)
    assert client.post(url, data=typed).status_code == 303
    assert Draft.select().count() == 0 and IroFeedback.select().count() == 1


# Feedback from the child, parents and carers (seed 001 s.3.3)


def mothers_feedback(**changes):
    return {
        "given_by": "mother",
        "relationship": "",
        "gathered": "yes",
        "how": "phone",
        "given_on": date_parts(uk_today() - datetime.timedelta(days=2)),
        "what_changed": "Less shouting at home, and the children are at school every day.",
        "listened_to": "Mostly.",
        "explained": "",
        "do_better": "Tell me sooner when a meeting is moved.",
        "helpfulness": "4",
        "child_views": "",
    } | changes


def father_not_reached(**changes):
    return {
        "given_by": "father",
        "relationship": "",
        "gathered": "no",
        "not_gathered_reason": "no-reply",
        "attempts": "Called three times and sent a letter asking him to call back.",
        "last_attempt_on": date_parts(uk_today() - datetime.timedelta(days=1)),
    } | changes


def add_family_feedback(client, audit, form):
    return client.post(f"/audits/{audit.id}/feedback/family/new", data=form)


def box(page, box_id):
    """What a text box on the page holds."""
    match = re.search(rf'id="{box_id}" name="[^"]+" type="text"(?: value="([^"]*)")?', page)
    return match.group(1) or ""


def texts_of(document):
    """Every paragraph's text and every table cell's, in order."""
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return [paragraph.text for paragraph in document.paragraphs] + cells


def test_feedback_from_a_mother_a_father_not_reached_and_the_iro_shows_on_the_audit_and_in_the_record(
    client, audit, get_page
):
    form = get_page(f"/audits/{audit.id}/feedback/family/new").get_data(as_text=True)
    assert "Feedback from the child, a parent or carer" in form and "Could their feedback be gathered?" in form
    assert "Very helpful (4 out of 5)" in form and "Their words, as they said them" in form
    response = add_family_feedback(client, audit, mothers_feedback())
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/audits/{audit.id}#feedback")
    assert add_family_feedback(client, audit, father_not_reached()).status_code == 303
    assert client.post(f"/audits/{audit.id}/feedback/iro/new", data=iro_form()).status_code == 303

    mother, father = FamilyFeedback.select().order_by(FamilyFeedback.id)
    assert (mother.given_by, mother.gathered, mother.how, mother.helpfulness) == ("mother", True, "phone", 4)
    assert (father.gathered, father.not_gathered_reason, father.given_on) == (
        False,
        "no-reply",
        uk_today() - datetime.timedelta(days=1),
    )
    assert not mother.after_submission and mother.recorded_by_id == audit.auditor_id
    assert Event.get((Event.record_type == "FamilyFeedback") & (Event.record_id == father.id)).action == "created"

    page = get_page(f"/audits/{audit.id}").get_data(as_text=True)
    assert '<h2 class="govuk-heading-m" id="feedback-heading">Feedback</h2>' in page
    for text in (
        "Discussion with the practitioner",
        "The child, young person, parents and carers",
        "The IRO or CP chair",
        "Less shouting at home",
        "Very helpful (4 out of 5)",
        "No reply after several attempts",
        "Called three times and sent a letter",
        "Jo Reviewer, Independent Reviewing Officer (IRO)",
    ):
        assert text in page, text

    document = Document(io.BytesIO(client.get(f"/audits/{audit.id}/record.docx").data))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert ("Heading 1", "Feedback from the child, young person, parents and carers") in headings
    assert ("Heading 2", "Mother") in headings and ("Heading 2", "Father") in headings
    texts = texts_of(document)
    for text in (
        "What has changed since we became involved?",
        "Less shouting at home, and the children are at school every day.",
        "Very helpful (4 out of 5)",
        "No reply after several attempts",
        "Called three times and sent a letter asking him to call back.",
        "Jo Reviewer, Independent Reviewing Officer (IRO)",
    ):
        assert text in texts, text


def test_only_the_answer_chosen_is_kept_so_a_record_never_holds_both(client, audit):
    """With JavaScript off every question is on the page: what was typed under the other answer goes."""
    leftovers = {"what_changed": "Typed before choosing no", "how": "phone", "helpfulness": "5", "relationship": "Aunt"}
    assert add_family_feedback(client, audit, father_not_reached(**leftovers)).status_code == 303
    saved = FamilyFeedback.get()
    assert (saved.what_changed, saved.how, saved.helpfulness, saved.relationship) == ("", "", None, "")
    form = client.get(f"/audits/{audit.id}/feedback/family/{saved.id}/edit").get_data(as_text=True)
    assert (box(form, "last_attempt_on-day"), box(form, "given_on-day")) == (
        f"{uk_today() - datetime.timedelta(days=1):%d}",
        "",
    )

    # Reached after all: the reasons go, and a half-typed date under "no" does not stop the save.
    changed = mothers_feedback(given_by="father", version="1", attempts="Still here", last_attempt_on=["31", "2", ""])
    assert client.post(f"/audits/{audit.id}/feedback/family/{saved.id}/edit", data=changed).status_code == 303
    saved = FamilyFeedback.get_by_id(saved.id)
    assert (saved.gathered, saved.not_gathered_reason, saved.attempts) == (True, "", "")
    assert saved.given_on == uk_today() - datetime.timedelta(days=2) and saved.version == 2


@pytest.mark.parametrize(
    "form, field, message",
    [
        (mothers_feedback(given_by=""), "given_by", "Select who gave the feedback"),
        (mothers_feedback(given_by="uncle"), "given_by", "Select who gave the feedback"),
        (
            mothers_feedback(given_by="family-member"),
            "relationship",
            "Enter who they are to the child, for example Grandmother",
        ),
        (
            mothers_feedback(given_by="other-parent", relationship="x" * 101),
            "relationship",
            "Who they are to the child must be 100 characters or fewer",
        ),
        (mothers_feedback(gathered=""), "gathered", "Select yes if their feedback could be gathered"),
        (mothers_feedback(how=""), "how", "Select how they gave their feedback"),
        (mothers_feedback(given_on=["", "", ""]), "given_on", "Enter the date they gave their feedback"),
        (mothers_feedback(given_on=["31", "2", "2026"]), "given_on", "When they gave it must be a real date"),
        (
            mothers_feedback(given_on=date_parts(uk_today() + datetime.timedelta(days=7))),
            "given_on",
            "When they gave it must be today or in the past",
        ),
        (
            mothers_feedback(what_changed=" ", listened_to="", do_better="\r\n"),
            "what_changed",
            "Enter their answer to at least one question, or the child&#39;s views",
        ),
        (
            mothers_feedback(explained="x" * 20_001),
            "explained",
            "The answer to ‘Does your worker explain things so you understand?’ must be 20,000 characters or fewer",
        ),
        (mothers_feedback(helpfulness=""), "helpfulness", "Select how helpful they have found our work"),
        (mothers_feedback(helpfulness="6"), "helpfulness", "Select how helpful they have found our work"),
        (father_not_reached(not_gathered_reason=""), "not_gathered_reason", "Select why their feedback could not"),
        (father_not_reached(attempts=" "), "attempts", "Enter what was tried"),
        (
            father_not_reached(attempts="x" * 20_001),
            "attempts",
            "What was tried must be 20,000 characters or fewer",
        ),
        (
            father_not_reached(last_attempt_on=date_parts(uk_today() + datetime.timedelta(days=7))),
            "last_attempt_on",
            "Date of the last attempt must be today or in the past",
        ),
        (
            father_not_reached(last_attempt_on=["31", "2", "2026"]),
            "last_attempt_on",
            "Date of the last attempt must be a real date",
        ),
    ],
)
def test_bad_family_feedback_is_refused_beside_its_field_and_nothing_is_saved(client, audit, form, field, message):
    response = add_family_feedback(client, audit, form)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and message in body
    assert f'id="{field}-error"' in body, "the message is beside the field"
    assert FamilyFeedback.select().count() == 0 and Event.select().count() == 0


def test_what_the_family_said_is_shown_as_text_never_as_markup(client, audit):
    script = "<script>alert(1)</script>"
    form = mothers_feedback(given_by="family-member", relationship=script, child_views=script)
    assert add_family_feedback(client, audit, form).status_code == 303
    page = client.get(f"/audits/{audit.id}").get_data(as_text=True)
    assert script not in page and "&lt;script&gt;alert(1)&lt;/script&gt; (other family member)" in page


def test_only_the_audits_auditor_records_family_feedback_and_a_qa_officer_reads_it(
    client, audit, make_audit, make_user
):
    add_family_feedback(client, audit, mothers_feedback())
    mine = FamilyFeedback.get()
    theirs = make_audit(auditor=make_user(roles=("auditor",)))
    assert client.get(f"/audits/{theirs.id}/feedback/family/new").status_code == 403
    assert add_family_feedback(client, theirs, mothers_feedback()).status_code == 403
    assert client.get(f"/audits/{theirs.id}/feedback/family/{mine.id}/edit").status_code == 403
    assert client.get(f"/audits/{audit.id}/feedback/family/{mine.id + 1000}/edit").status_code == 404
    assert client.get(f"/audits/{audit.id}/feedback/family/99999999999/edit").status_code == 404
    own_other = make_audit(auditor=audit.auditor)
    assert client.get(f"/audits/{own_other.id}/feedback/family/{mine.id}/edit").status_code == 404, "another audit's"
    sign_in_client(client, make_user(roles=("qa-officer",)))
    assert client.get(f"/audits/{audit.id}/feedback/family/new").status_code == 403
    assert client.get(f"/audits/{audit.id}/feedback/family/{mine.id}/edit").status_code == 403
    page = client.get(f"/audits/{audit.id}").get_data(as_text=True)
    assert "Less shouting at home" in page and "Add feedback from the child, a parent or carer" not in page
    assert "/feedback/family/" not in page, "no Change link"
    assert FamilyFeedback.select().count() == 1


def test_the_practitioner_discussion_is_summarised_with_the_other_feedback(client, audit, make_user):
    Audit.update(discussion_on=uk_today(), discussion_minutes=75, practitioner_view="Agrees with the grades.").where(
        Audit.id == audit.id
    ).execute()
    page = client.get(f"/audits/{audit.id}").get_data(as_text=True)
    feedback = page[page.index('id="feedback-heading"') :]
    assert "Recorded in the audit form above" in feedback and "75 minutes" in feedback
    sign_in_client(client, make_user(roles=("qa-officer",)))
    feedback = client.get(f"/audits/{audit.id}").get_data(as_text=True).split('id="feedback-heading"')[1]
    assert "Recorded in the audit form above" not in feedback and "Agrees with the grades." in feedback


def test_family_feedback_can_be_added_and_changed_after_the_audit_is_submitted_and_says_so(client, audit):
    earlier = FamilyFeedback.create(
        audit=audit, recorded_by=audit.auditor, given_by="child", how="in-person", given_on=uk_today(), helpfulness=3
    )
    Audit.update(status="submitted", submitted_at=datetime.datetime.now()).where(Audit.id == audit.id).execute()
    page = client.get(f"/audits/{audit.id}").get_data(as_text=True)
    assert "The audit has been submitted, but you can still add feedback" in page
    assert "After the audit was submitted" not in page
    assert add_family_feedback(client, audit, father_not_reached()).status_code == 303
    assert FamilyFeedback.get(FamilyFeedback.given_by == "father").after_submission
    changed = mothers_feedback(given_by="child", version="1", child_views="I want to see my dad more.")
    assert client.post(f"/audits/{audit.id}/feedback/family/{earlier.id}/edit", data=changed).status_code == 303
    assert FamilyFeedback.get_by_id(earlier.id).after_submission, "changed after submission, it says so"
    page = client.get(f"/audits/{audit.id}").get_data(as_text=True)
    assert page.count("After the audit was submitted") == 2 and "I want to see my dad more." in page


@pytest.mark.parametrize("submitted", [False, True])
@pytest.mark.parametrize("changing", [False, True])
def test_family_feedback_typed_after_the_session_timed_out_is_kept_and_put_back(
    client, audit, auditor, submitted, changing
):
    url = f"/audits/{audit.id}/feedback/family/new"
    typed = father_not_reached(attempts="Typed while the session was timing out: two calls and a home visit.")
    if changing:
        record = FamilyFeedback.create(
            audit=audit, recorded_by=auditor, given_by="father", gathered=False, attempts="One call"
        )
        url = f"/audits/{audit.id}/feedback/family/{record.id}/edit"
        typed |= {"version": "1"}
    if submitted:
        Audit.update(status="submitted", submitted_at=datetime.datetime.now()).where(Audit.id == audit.id).execute()
    with client.session_transaction() as session:
        session["last_seen"] = time.time() - 31 * 60
    response = client.post(url, data=typed, headers={"Referer": f"http://localhost{url}"})
    assert response.status_code == 302 and response.headers["Location"] == f"/sign-in?next={url}"
    client.post("/sign-in", data={"email": auditor.email, "password": PASSWORD})
    assert "two calls and a home visit" in client.get(url).get_data(as_text=True)
    assert "two calls and a home visit" not in client.get(f"/audits/{audit.id}/feedback/iro/new").get_data(as_text=True)
    assert client.post(url, data=typed).status_code == 303
    assert Draft.select().count() == 0 and FamilyFeedback.select().count() == 1
    assert FamilyFeedback.get().attempts.startswith("Typed while the session")


def test_each_answer_to_could_it_be_gathered_opens_only_its_own_questions(client, audit, get_page):
    page = parsed(get_page(f"/audits/{audit.id}/feedback/family/new"))
    gathered = ["how", "given_on", *FamilyFeedback.QUESTIONS, "helpfulness", "child_views"]
    assert revealed_under(page, "gathered", "yes") == gathered
    assert revealed_under(page, "gathered", "no") == ["not_gathered_reason", "attempts", "last_attempt_on"]
    # A refused answer opens under its answer, with its message (its panel is not hidden).
    refused = parsed(add_family_feedback(client, audit, father_not_reached(attempts=" ")))
    panel = refused.find(".//div[@id='conditional-gathered-2']")
    assert "govuk-radios__conditional--hidden" not in panel.get("class")
    assert "Enter what was tried" in "".join(panel.itertext())


def test_every_feedback_page_names_the_case_of_its_audit(client, audit, get_page):
    reference = audit.case.reference
    add_family_feedback(client, audit, mothers_feedback())
    client.post(f"/audits/{audit.id}/feedback/iro/new", data=iro_form())
    family, iro = FamilyFeedback.get(), IroFeedback.get()
    pages = {
        "family/new": "Feedback from the child, a parent or carer",
        f"family/{family.id}/edit": "Change feedback from the child, a parent or carer",
        "iro/new": "Feedback from the IRO or CP chair",
        f"iro/{iro.id}/edit": "Change feedback from the IRO or CP chair",
    }
    for path, title in pages.items():
        page = parsed(get_page(f"/audits/{audit.id}/feedback/{path}"))
        assert "".join(page.find(".//h1").itertext()).strip() == f"{title} for the audit of case {reference}"
