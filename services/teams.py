"""Teams, as the QA team changes them."""

from contextlib import nullcontext

from models import Audit, Case
from services import dashboard_tallies, records


def change(actor, team, expected_version, values):
    """Save the team's `values`, if nobody changed it since `expected_version` (else Stale). A team moved to another
    service area takes its cases' audits' figures with it."""
    moved = values["service_area"] != team.service_area_id
    cases = Audit.case.in_(Case.select(Case.id).where(Case.team == team.id))
    with dashboard_tallies.kept(cases) if moved else nullcontext():
        return records.update(actor, team, expected_version, **values)
