"""Word documents for the child's file, in the house style (services/word.py): the audit record, its action
plan, the case-note text, and an Immediate Response's form; the auditor is each audit document's author."""

from models import GRADES, Moderation
from services import action_progress, earlier_actions, feedback, immediate_responses, moderations, team_audits, word
from services.case_note import case_note_text
from services.dates import long_date as uk_date

DOCX = word.DOCX
# Leeds framework Appendix B (seed 000): the action plan's columns, with when each action is due beside when it
# was completed.
ACTION_PLAN_COLUMNS = [
    ("Title", 3.4),
    ("Action to be taken", 7.0),
    ("Action taken to date", 4.0),
    ("Responsible Officer", 3.6),
    ("Due by", 2.5),
    ("Date completed", 2.5),
    ("Action approved by", 2.7),
]


def _new_document(audit, council_name, title, landscape=False):
    return word.house_document(audit.case.reference, audit.auditor.name, council_name, title, landscape)


def audit_record(
    audit,
    judgements,
    actions,
    audit_feedback,
    responses_raised,
    council_name,
    outcome=None,
    reflection=None,
    earlier=(),
):
    """The full audit record for the child's file (`audit_feedback` as services.feedback.for_audit gives it,
    `responses_raised` the Immediate Responses raised from it, `outcome` its submitted moderation's, whose
    grades are the final ones, `reflection` the practitioner's on it, and `earlier` the actions of the case's earlier
    audits, as services.earlier_actions.of gives them)."""
    case = audit.case
    document = _new_document(audit, council_name, f"Case file audit: {case.reference}")
    word.heading(document, "Case details", 1)
    word.details(
        document,
        [
            ("Case reference", case.reference),
            ("Child's initials", case.initials),
            ("Team", case.team.name),
            ("Allocated worker", case.worker_name),
            ("Auditor", f"{audit.auditor.name}, {audit.auditor.job_role}"),
            ("Period audited", f"{uk_date(audit.period_start)} to {uk_date(audit.period_end)}"),
            ("Due", uk_date(audit.due_on)),
            ("Submitted", uk_date(audit.submitted_at.date()) if audit.submitted_at else "Not yet submitted"),
            ("Audit template", f"{audit.template.name}, version {audit.template.version}"),
        ],
    )
    if outcome:
        _outcome_summary(document, outcome)
    word.heading(document, "Practice domains", 1)
    for number, judgement in enumerate(judgements, start=1):
        word.heading(document, f"{number}. {judgement.domain.name}", 2)
        moderated = outcome.of_domain(judgement.domain_id) if outcome else None
        _grade(document, judgement.grade, moderated.grade if moderated else None, "Not graded")
        if number == 1:
            word.paragraphs(document, "About the child", audit.about_child)
        word.paragraphs(document, "Evidence", judgement.evidence)
        word.paragraphs(document, "So what? What difference has this made to the child?", judgement.so_what)

    word.heading(document, "Feedback from the practitioner", 1)
    minutes = f"{audit.discussion_minutes} minutes" if audit.discussion_minutes else "Not recorded"
    word.details(
        document, [("Date of discussion", uk_date(audit.discussion_on) or "Not recorded"), ("Length", minutes)]
    )
    if audit.discussion_not_held:
        word.paragraphs(document, "Why the discussion did not happen", audit.discussion_not_held)
    word.paragraphs(document, "The practitioner's view of the grades", audit.practitioner_view)
    word.paragraphs(document, "What they would do differently", audit.practitioner_differently)
    if reflection:
        word.heading(document, "The practitioner's reflection on the audit", 2)
        word.details(document, [("By", reflection.practitioner.name), ("Last saved", uk_date(reflection.saved_at))])
        word.paragraphs(document, "What they take from the audit", reflection.takes_from)
        word.paragraphs(document, "What they see differently", reflection.sees_differently or "Nothing.")

    word.heading(document, "Feedback from the child, young person, parents and carers", 1)
    _family_feedback(document, audit_feedback.family)

    word.heading(document, "Feedback from the IRO or CP chair", 1)
    if not audit_feedback.iro:
        document.add_paragraph("None recorded.")
    for item in audit_feedback.iro:
        word.heading(document, f"{item.name}, {item.role_label}", 2)
        word.details(document, [("Given on", uk_date(item.given_on)), *_after_submission(item)])
        word.paragraphs(document, "Their view of the plan's progress", item.plan_progress)
        word.paragraphs(document, "Their view of the grades", item.grades_view)

    word.heading(document, "Safeguarding", 1)
    answer = {True: "Yes", False: "No", None: "Not answered"}
    word.details(
        document,
        [
            ("Is there an immediate safeguarding concern?", answer[audit.immediate_concern]),
            ("Discussed in supervision in the last 6 months?", answer[audit.supervised_recently]),
            (
                "Immediate Responses raised",
                "; ".join(f"{uk_date(r.raised_at)} ({r.status_label.lower()})" for r in responses_raised) or "None",
            ),
        ],
    )

    word.heading(document, "Overall judgement", 1)
    _grade(document, audit.overall_grade, outcome.moderation.grade if outcome else None, "Not given", label="")
    word.paragraphs(document, "Reasons", audit.overall_rationale)
    if audit.grade_gap_reason:
        word.paragraphs(document, "Why the overall judgement is above the lowest domain grade", audit.grade_gap_reason)

    word.heading(document, "Actions", 1)
    _actions_table(document, actions, "No actions were set.")
    if earlier:
        _earlier_actions(document, earlier)
    if outcome:
        _moderation(document, outcome)
    return word.save(document)


def _grade(document, auditor_grade, final_grade, none_text, label="Grade: "):
    """The final grade in bold, with the auditor's beside it where moderation changed it."""
    paragraph = document.add_paragraph()
    if final_grade and final_grade != auditor_grade:
        paragraph.add_run(f"{label}{GRADES[final_grade]}").bold = True
        paragraph.add_run(f", moderated (the auditor's grade: {GRADES.get(auditor_grade, none_text)})")
    else:
        paragraph.add_run(f"{label}{GRADES.get(auditor_grade, none_text)}").bold = True


def _outcome_summary(document, outcome):
    """The moderation's outcome, near the top: the detail is at the end."""
    moderation = outcome.moderation
    overall = GRADES[moderation.grade]
    if outcome.overall_changed:
        overall += f", changed from the auditor's {GRADES.get(moderation.auditor_grade, 'Not given')}"
    else:
        overall += ": the moderator agreed"
    word.heading(document, "Moderation outcome", 1)
    word.details(
        document,
        [
            ("Moderated", f"{uk_date(outcome.moderated_on)} by {outcome.moderator_name}"),
            ("Overall judgement", overall),
            ("Domain grades changed", f"{outcome.domains_changed} of {len(outcome.rows)}"),
        ],
    )
    document.add_paragraph("The grades below are the final ones. The moderation in full is at the end of this record.")


def _actions_table(document, actions, none_text):
    if not actions:
        document.add_paragraph(none_text)
        return
    word.table(
        document,
        [
            ("No.", 1.2),
            ("What needs to happen", 6.3),
            ("Who will do it", 3.5),
            ("By when", 2.6),
            ("How we will know", 3.4),
        ],
        [
            (str(n), a.what, f"{a.owner_name}, {a.owner_role}", uk_date(a.due_on), a.done_when)
            for n, a in enumerate(actions, start=1)
        ],
    )


def _earlier_actions(document, earlier):
    """Whether each action of the case's earlier audits was achieved, and what difference it made."""
    word.heading(document, "Actions from earlier audits of this case", 1)
    word.table(
        document,
        [
            ("From the audit of", 2.6),
            ("What needed to happen", 5.6),
            ("Was it achieved?", 2.8),
            ("What difference it made", 6.0),
        ],
        [
            (
                uk_date(action.audit.submitted_at.date()),
                action.what,
                action.follow_up.achieved_label if action.follow_up else "Not yet recorded",
                action.follow_up.difference if action.follow_up else "",
            )
            for action in earlier
        ],
    )


def _moderation(document, outcome):
    """Each of the auditor's grades beside the moderated one and why, the moderator's comments, and any further
    actions: one table, then headed sections."""
    moderation = outcome.moderation
    word.heading(document, "Moderation", 1)
    document.add_paragraph(
        f"Moderated by {outcome.moderator_name} on {uk_date(outcome.moderated_on)}. Where the moderator "
        "disagrees, the moderated grade is the audit's final grade."
    )

    def moderated(agrees, grade):
        return f"{GRADES.get(grade, 'Not given')} ({'agreed' if agrees else 'changed'})"

    rows = [
        (row.domain.name, GRADES.get(row.auditor_grade, ""), moderated(row.agrees, row.grade), row.reason)
        for row in outcome.rows
    ]
    rows.append(
        (
            "Overall judgement",
            GRADES.get(moderation.auditor_grade, ""),
            moderated(moderation.agrees, moderation.grade),
            moderation.overall_reason,
        )
    )
    word.table(
        document,
        [("Domain", 4.2), ("Auditor's grade", 3.4), ("Moderated grade", 3.8), ("Why the moderator disagrees", 5.6)],
        rows,
    )
    addressed = Moderation.ACTIONS_ADDRESSED.get(moderation.actions_addressed, "Not answered")
    word.paragraphs(document, "Have the audit's actions been addressed?", addressed)
    word.paragraphs(document, "Comments on the actions", moderation.actions_comment)
    word.paragraphs(document, "Message to the auditor", moderation.message)
    word.heading(document, "Further actions from moderation", 2)
    _actions_table(document, moderation.audit.ordered_actions("moderation"), "No further actions were set.")


def _after_submission(feedback_record):
    """The row that says feedback was recorded or changed once the audit was submitted, if it was."""
    return [("Recorded or changed", "After the audit was submitted")] if feedback_record.after_submission else []


def _family_feedback(document, family_feedback):
    """Each person's answers to the guide's questions, or why their feedback could not be gathered (seed 001 s.3.3)."""
    if not family_feedback:
        document.add_paragraph("None recorded.")
    for item in family_feedback:
        word.heading(document, item.who, 2)
        if not item.gathered:
            last_attempt = uk_date(item.given_on) or "Not recorded"
            rows = [("Could not be gathered", item.not_gathered_label), ("Date of the last attempt", last_attempt)]
            word.details(document, rows + _after_submission(item))
            word.paragraphs(document, "What was tried", item.attempts)
            continue
        rows = [
            ("How they gave it", item.how_label),
            ("Given on", uk_date(item.given_on)),
            ("How helpful our work has been", item.helpfulness_label),
        ]
        word.details(document, rows + _after_submission(item))
        for name, question in item.QUESTIONS.items():
            word.paragraphs(document, question, getattr(item, name))
        word.paragraphs(document, "The child's views, in their own words", item.child_views)


def action_plan(audit, actions, council_name, outcome=None):
    """The action plan in the columns of the Leeds framework's Appendix B, landscape: the audit's actions, then
    its moderation's further actions (`outcome`, once moderated), each titled by where it came from."""
    document = _new_document(audit, council_name, f"Action plan: {audit.case.reference}", landscape=True)
    overall = GRADES.get(audit.overall_grade, "not yet given")
    if outcome and outcome.overall_changed:
        overall = f"{GRADES[outcome.moderation.grade]}, moderated (the auditor's: {overall})"
    further = audit.ordered_actions("moderation") if outcome else []
    document.add_paragraph(
        f"Actions from the case file audit by {audit.auditor.name}, {audit.auditor.job_role}"
        + (f", and further actions from its moderation by {outcome.moderator_name}" if further else "")
        + f". Overall judgement: {overall}."
    )
    audited = f", {uk_date(audit.submitted_at.date())}" if audit.submitted_at else ""
    titled = [(f"Audit action {n}{audited}", a) for n, a in enumerate(actions, start=1)]
    if further:
        moderated = uk_date(outcome.moderated_on)
        titled += [(f"Further action {n} from moderation, {moderated}", a) for n, a in enumerate(further, start=1)]
    if not titled:
        document.add_paragraph("No actions were set.")
        return word.save(document)
    done = action_progress.progress([a.id for _, a in titled])
    rows = [
        (
            title,
            f"{a.what}\nDone when: {a.done_when}",
            done[a.id].taken_to_date(),
            f"{a.owner_name}, {a.owner_role}",
            uk_date(a.due_on),
            uk_date(done[a.id].completed_on) if done[a.id].completed_on else "",
            done[a.id].approved_by,
        )
        for title, a in titled
    ]
    word.table(document, ACTION_PLAN_COLUMNS, rows)
    return word.save(document)


def case_note(text, audit, council_name):
    """The case-note text as a Word document, for systems that take attachments."""
    document = _new_document(audit, council_name, f"Case note: audit of {audit.case.reference}")
    for line in text.splitlines():
        word.paragraph(document, line)
    return word.save(document)


def for_audit(kind, audit, council_name, today):
    """The Word document of this kind ("record", "action-plan" or "case-note") for the audit."""
    actions = audit.ordered_actions()
    if kind == "record":
        raised = immediate_responses.raised_for(audit)
        outcome = moderations.outcome_of(audit)
        reflection = team_audits.reflection_of(audit)
        earlier = [] if audit.exercise_id else earlier_actions.of(audit)
        return audit_record(
            audit,
            audit.judgements(),
            actions,
            feedback.for_audit(audit),
            raised,
            council_name,
            outcome,
            reflection,
            earlier,
        )
    if kind == "action-plan":
        return action_plan(audit, actions, council_name, moderations.outcome_of(audit))
    return case_note(case_note_text(audit, actions, today), audit, council_name)


def immediate_response(response, council_name):
    """The Immediate Response form for the child's file (seed 001 s.3.1), with each step taken so far."""
    case = response.case
    document = word.house_document(case.reference, response.raised_by.name, council_name, "Immediate Response")
    word.heading(document, "The concern", 1)
    word.details(
        document,
        [
            ("Case reference", case.reference),
            ("Child's initials", case.initials),
            ("Team", case.team.name),
            ("Raised by", f"{response.raised_by.name}, {response.raised_by.job_role}"),
            ("Raised on", uk_date(response.raised_at)),
            ("Why it is needed", response.trigger_label),
            ("Who must act", f"{response.who_acts.name}, {response.who_acts.job_role}"),
            ("How urgent", response.urgency_label),
            ("To be acknowledged by", uk_date(response.due_on)),
            ("Already told", immediate_responses.told_summary(response)),
            ("Status", response.status_label),
        ],
    )
    word.paragraphs(document, "What was found", response.found)
    word.paragraphs(document, "What must happen now", response.must_happen)
    word.heading(document, "Acknowledgement", 1)
    if response.acknowledged_at:
        word.details(
            document,
            [("Acknowledged by", response.acknowledged_by.name), ("On", uk_date(response.acknowledged_at))],
        )
        word.paragraphs(document, "Their response", response.response)
        word.paragraphs(document, "The action they are taking", response.action_taking)
    else:
        document.add_paragraph("Not yet acknowledged.")
    if response.escalated_at:
        document.add_paragraph(
            f"Escalated on {uk_date(response.escalated_at)}: not acknowledged by {uk_date(response.due_on)}."
        )
    word.heading(document, "Outcome", 1)
    if response.closed_at:
        word.details(document, [("Closed by", response.closed_by.name), ("On", uk_date(response.closed_at))])
        word.paragraphs(document, "The outcome", response.outcome)
    else:
        document.add_paragraph("Not yet closed.")
    return word.save(document)


def file_name(kind, audit):
    """No personal data beyond the case reference in the name."""
    return f"{kind}-{audit.case.reference}.docx"
