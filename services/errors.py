"""Exceptions that carry a message for the person using the service."""


class RuleBroken(Exception):
    """A rule of the service refused a change.

    `problems` is a list of (field, message): `field` names the form field the
    message belongs beside, or is None for the record as a whole."""

    def __init__(self, message=None, field=None, problems=None):
        self.problems = problems or [(field, message)]
        super().__init__("; ".join(message for _, message in self.problems))
