"""Where an action has got to, read from its steps (models.ActionStep): its timeline on its page, and its progress
in the words of the Leeds action plan (seed 000 Appendix B) and of Salford's four-month review (seed 002 s.11)."""

from dataclasses import dataclass

from peewee import JOIN

from models import ActionStep, User
from services.dates import long_date
from services.team_actions import RECEIVED, STEPS

LABELS = {kind: step.label for kind, step in STEPS.items()} | {"received": RECEIVED}


def steps_of(action_ids):
    """The steps of these actions, oldest first, with who took each (one query)."""
    return (
        ActionStep.select(ActionStep, User)
        .join(User, JOIN.LEFT_OUTER, on=(ActionStep.by == User.id))
        .where(ActionStep.action.in_(action_ids))
        .order_by(ActionStep.at, ActionStep.id)
    )


def timeline(action):
    """Each step so far, oldest first: (when, what, who, the day it happened or None, its text) (one query)."""
    return [
        (step.at, LABELS.get(step.kind, step.kind), step.by.name if step.by_id else None, step.on, step.text)
        for step in steps_of([action.id])
    ]


@dataclass
class Progress:
    """Where one action has got to, from its steps (oldest first: (kind, at, on, by's name, text)), in the words of
    the Leeds action plan (seed 000 Appendix B) and of Salford's four-month review (seed 002 s.11): fulfilled (done,
    or a Management Decision says why it cannot be), completed (signed off, or the decision authorised) and
    authorised."""

    steps: list

    def last(self, *kinds):
        return next((step for step in reversed(self.steps) if step[0] in kinds), None)

    def day(self, *kinds):
        step = self.last(*kinds)
        return step[1].date() if step else None

    @property
    def fulfilled_on(self):
        return self.day("done", "cannot-be-achieved")

    @property
    def completed_on(self):
        return self.day("signed-off", "decision-authorised", "withdrawn")

    @property
    def authorised_on(self):
        return self.day("authorised", "decision-authorised")

    @property
    def approved_by(self):
        """Who approved it as done: the service manager who authorised it, or the team manager who signed it off
        where no authorisation followed, or the QA officer who withdrew it."""
        step = self.last("authorised", "decision-authorised", "withdrawn") or self.last("signed-off")
        if step is None:
            return ""
        return f"{step[3]} (withdrawn)" if step[0] == "withdrawn" else step[3] or ""

    def taken_to_date(self):
        """What has been done so far, in a few lines: each step and its day, and what the team wrote (nothing before
        the action is sent)."""
        lines = []
        for kind, at, on, _, text in self.steps:
            line = f"{LABELS.get(kind, kind)} {long_date(on or at)}"
            lines.append(f"{line}: {text}" if text else line)
        return "\n".join(lines)


def progress(action_ids):
    """Each action's Progress, by its id (one query)."""
    found = {action_id: Progress([]) for action_id in action_ids}
    if not found:
        return found
    for step in steps_of(list(found)):
        by = step.by.name if step.by_id else None
        found[step.action_id].steps.append((step.kind, step.at, step.on, by, step.text))
    return found
