"""Demo data: the IRO's and the families' feedback on the demo's audits, and Immediate Responses in each state, raised
and moved on through the service so that their events and notices are real."""

import datetime

from models import FamilyFeedback, ImmediateResponse, IroFeedback, Notice, utcnow
from services import demo_actions, immediate_responses

IRO_NAMES = ["Pat Kestrel", "Morgan Wren", "Sam Linnet", "Alex Dunnock"]


def iro_feedback(rng, submitted):
    """The IRO's or CP chair's feedback on about a third of the submitted audits, some given after."""
    feedback = []
    for audit in rng.sample(submitted, len(submitted) // 3):
        after = rng.random() < 0.3
        given_on = audit.submitted_at.date() + datetime.timedelta(days=3 if after else -4)
        feedback.append(
            IroFeedback.create(
                audit=audit,
                recorded_by=audit.auditor,
                name=rng.choice(IRO_NAMES),
                role=rng.choice(list(IroFeedback.ROLES)),
                given_on=given_on,
                plan_progress="The plan is on track, but its contingency section has not been updated since review.",
                grades_view="Agrees with the grades, and would add that the child's voice is stronger than it was.",
                after_submission=after,
            )
        )
    return feedback


FAMILY_FEEDBACK = [
    {
        "given_by": "mother",
        "how": "phone",
        "what_changed": "The children get to school every day now, and there is less shouting at home.",
        "listened_to": "Mostly. This worker rings back when she says she will.",
        "explained": "Yes, apart from the letters about the meetings, which my sister read to me.",
        "do_better": "Tell me sooner when a meeting is moved.",
        "helpfulness": 4,
    },
    {
        "given_by": "father",
        "gathered": False,
        "not_gathered_reason": "no-reply",
        "attempts": "Called three times on the number on the record, morning and evening, then sent a text "
        "and a letter asking him to call back. No reply.",
    },
    {
        "given_by": "child",
        "how": "in-person",
        "listened_to": "Sometimes. Not at the big meetings.",
        "child_views": "I like it when my worker comes because we go to the park and talk. I want to see my dad more.",
        "helpfulness": 3,
    },
    {
        "given_by": "family-member",
        "relationship": "Grandmother",
        "how": "in-person",
        "what_changed": "I know who to ring now if things go wrong at the weekend.",
        "do_better": "Ask me to the meetings: I have the children every Saturday.",
        "helpfulness": 5,
    },
]


def family_feedback(rng, audits, today):
    """Feedback from families, two people each, on about a third of the submitted audits and on the first one
    still open (the printed auditor's): a mother, a father who could not be reached, a child, a grandmother."""
    submitted = [audit for audit in audits if audit.is_submitted]
    feedback = []
    for number, audit in enumerate([audits[0], *rng.sample(submitted, len(submitted) // 3)]):
        after = audit.is_submitted and rng.random() < 0.3
        given_on = today
        if audit.is_submitted:
            given_on = audit.submitted_at.date() + datetime.timedelta(days=3 if after else -5)
        for values in (FAMILY_FEEDBACK[number % 4], FAMILY_FEEDBACK[(number + 1) % 4]):
            feedback.append(
                FamilyFeedback.create(
                    audit=audit, recorded_by=audit.auditor, given_on=given_on, after_submission=after, **values
                )
            )
    return feedback


def raise_immediate_responses(rng, audits, cases, printed, today):
    """Immediate Responses in each state, through the service, so their events and notices are real: one
    for each submitted audit whose case had not been discussed in supervision (most closed, some only
    acknowledged, those too recent for a step not yet taken); one raised today on the printed team manager's
    team; one overdue and escalated. Each step, and its notices, dated when it was taken: never after now."""
    qa_officer, manager = printed["qa.officer"], printed["team.manager"]
    now = min(utcnow(), datetime.datetime.combine(today, datetime.time.max))

    def raised(case, audit, raiser, trigger, urgency, days_ago):
        on = today - datetime.timedelta(days=days_ago)
        values = {
            "trigger": trigger,
            "trigger_other": "",
            "found": DEMO_FOUND[trigger],
            "must_happen": DEMO_MUST_HAPPEN[trigger],
            "who_acts": case.team.manager,
            "urgency": urgency,
            "told_name": "",
            "told_role": "",
            "told_how": "",
            "told_on": None,
        }
        response = immediate_responses.raise_response(raiser, case, audit, values, on)
        at = min(datetime.datetime.combine(on, datetime.time(11, 20)), now)
        ImmediateResponse.update(raised_at=at).where(ImmediateResponse.id == response.id).execute()
        Notice.update(created_at=at).where(Notice.link == immediate_responses.link_to(response)).execute()
        response.raised_at = at
        return response

    def moved(response, step, actor, values, days_later):
        """Take `step` `days_later` than it was raised, if that day has come; returns whether it was taken."""
        at = response.raised_at + datetime.timedelta(days=days_later, hours=2)
        if at > now:
            return False
        demo_actions.dated(at, lambda: step(actor, response, response.version, values))
        column = (
            ImmediateResponse.acknowledged_at
            if step is immediate_responses.acknowledge
            else ImmediateResponse.closed_at
        )
        ImmediateResponse.update({column: at}).where(ImmediateResponse.id == response.id).execute()
        setattr(response, column.name, at)
        return True

    for number, audit in enumerate(a for a in audits if a.is_submitted and a.supervised_recently is False):
        days_ago = (today - audit.submitted_at.date()).days + 1
        response = raised(audit.case, audit, audit.auditor, "no-supervision", "5-days", days_ago)
        if moved(response, immediate_responses.acknowledge, audit.case.team.manager, DEMO_ACKNOWLEDGED, 2):
            if number % 3:
                moved(response, immediate_responses.close, qa_officer, DEMO_CLOSED, 9)
    managed = [case for case in cases if case.team.manager_id == manager.id and case.is_open]
    raised(managed[0], None, qa_officer, "safeguarding", "today", 0)
    late = raised(managed[1], None, qa_officer, "other", "1-day", 6)
    ImmediateResponse.update(trigger_other="A home visit found the children alone overnight").where(
        ImmediateResponse.id == late.id
    ).execute()
    demo_actions.dated(now, lambda: immediate_responses.escalate_overdue(today))
    ImmediateResponse.update(escalated_at=now).where(ImmediateResponse.escalated_at.is_null(False)).execute()


DEMO_FOUND = {
    "no-supervision": "The case has not been discussed in supervision since the spring; the plan has drifted.",
    "safeguarding": "The record shows a new bruise reported by school last week with no strategy discussion.",
    "other": "Found outside an audit: the record shows nobody has seen the children since the referral.",
}
DEMO_MUST_HAPPEN = {
    "no-supervision": "Supervision of this case within five working days, recorded on the child's file.",
    "safeguarding": "A strategy discussion today, and the child seen alone by their social worker.",
    "other": "A visit today, and the children seen alone.",
}
DEMO_ACKNOWLEDGED = {
    "response": "Agreed: supervision lapsed when the worker changed.",
    "action_taking": "Supervision is booked for Thursday and will be recorded on the file.",
}
DEMO_CLOSED = {"outcome": "Supervision took place and the plan was updated; the child is seen every two weeks."}
