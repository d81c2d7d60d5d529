"""The dashboard's figures kept as the records they count change (models.DashboardTally, and models.ThemeTally for the
learning themes' tags), so that the dashboard adds up a few hundred rows for any period however many years of audits
there are.

Every change that can move an audit's figures happens inside `kept(audits)`, in the change's own transaction: the
database takes away what those audits counted for before the change and adds what they count for after it, each
worked out by the same statements from the audits' own rows. So a figure is always what the records say, whatever
the change was (a submission, a moderation, a case moving to another team), and two changes at once each add to a
row in turn (INSERT ... ON CONFLICT DO UPDATE). `rebuild` works every row out again, for records loaded in bulk
(migration 0031 filled its table the same way)."""

from contextlib import contextmanager

from models import GRADES, Audit, DashboardTally, FamilyFeedback, ThemeTally, db
from services.database import day_of, month_of

KEY = ("month", "template", "audit_type", "service_area", "team", "part")
# The rows kept for each team, for each service area, and for every service area together.
SCOPES = (
    {"service_area": "area", "team": "team"},
    {"service_area": "area", "team": "0"},
    {"service_area": "0", "team": "0"},
)
GRADE_COLUMNS = {code: code.replace("-", "_") for code in GRADES}
REASON_COLUMNS = {reason: f"family_{reason.replace('-', '_')}" for reason in FamilyFeedback.NOT_GATHERED}
COMPLETED = ("authorised", "signed-off")  # an action closed in either was done and signed off


def counted(condition):
    return f"CASE WHEN {condition} THEN 1 ELSE 0 END"


def of_audit(table, condition):
    """SQL counting the audit's rows of `table` (aliased x) that meet `condition`."""
    return f"(SELECT COUNT(*) FROM {table} x WHERE x.audit_id = a.id AND {condition})"  # noqa: S608 - only the code's own names


def audit_counts():
    """Each count of part 0 as SQL over an audit (a) and its submitted moderation (m, if any)."""
    final = "COALESCE(m.grade, a.overall_grade)"
    sent = "x.received_on IS NOT NULL"
    completed = f"x.closed_at IS NOT NULL AND x.status IN ({', '.join(repr(status) for status in COMPLETED)})"
    signed_off_in_time = (
        "EXISTS (SELECT 1 FROM action_step s WHERE s.action_id = x.id AND s.kind = 'signed-off' "  # noqa: S608 - only the code's own names
        f"AND {day_of('s.at')} <= x.deadline)"
    )
    counts = {
        "audits": "1",
        "cancelled": counted("a.status = 'cancelled'"),
        "submitted": counted("a.submitted_at IS NOT NULL"),
        "on_time": counted(f"{day_of('a.submitted_at')} <= a.due_on"),
    }
    counts |= {
        column: counted(f"a.submitted_at IS NOT NULL AND {final} = '{code}'") for code, column in GRADE_COLUMNS.items()
    }
    counts |= {"moderated": counted("m.id IS NOT NULL"), "changed": counted("m.grade <> m.auditor_grade")}
    counts |= {
        "actions_sent": of_audit("action", sent),
        "actions_closed": of_audit("action", f"{sent} AND x.closed_at IS NOT NULL"),
        "actions_completed": of_audit("action", f"{sent} AND {completed}"),
        "actions_on_time": of_audit("action", f"{sent} AND {completed} AND {signed_off_in_time}"),
        "family_gathered": of_audit("family_feedback", "x.gathered"),
    }
    counts |= {
        column: of_audit("family_feedback", f"NOT x.gathered AND x.not_gathered_reason = '{reason}'")
        for reason, column in REASON_COLUMNS.items()
    }
    return counts


def domain_counts():
    """Each count of a domain's part as SQL over its judgement (d) and its moderation (dm, if any)."""
    final = "COALESCE(dm.grade, d.grade)"
    counts = {column: counted(f"{final} = '{code}'") for code, column in GRADE_COLUMNS.items()}
    return counts | {"moderated": counted("dm.id IS NOT NULL"), "changed": counted("dm.grade <> dm.auditor_grade")}


def columns(model=DashboardTally):
    """A tally's columns of counts, in the table's order."""
    return [name for name in model._meta.sorted_field_names if name not in ("id", *KEY, "theme")]


KEYS = (
    "{month} AS month, COALESCE(a.template_id, 0) AS template, a.audit_type AS audit_type, "
    "t.service_area_id AS area, c.team_id AS team"
)
JOINS = 'JOIN "case" c ON c.id = a.case_id JOIN team t ON t.id = c.team_id'


def source(where):
    """A row for each audit `where` chooses (part 0) and for each domain of those submitted, with its keys (the
    audit's month, template, type, its case's service area and team now, the part) and its counts."""
    key = KEYS.format(month=month_of("a.allocated_at"))
    moderation = "LEFT JOIN moderation m ON m.audit_id = a.id AND m.status = 'submitted'"
    chosen = f"a.exercise_id IS NULL AND {where}"
    audits, domains = audit_counts(), domain_counts()
    audit_values = ", ".join(f"{audits[column]} AS {column}" for column in columns())
    domain_values = ", ".join(f"{domains.get(column, '0')} AS {column}" for column in columns())
    return (
        f"SELECT {key}, 0 AS part, {audit_values} FROM audit a {JOINS} {moderation} WHERE {chosen} "  # noqa: S608 - only the code's own names
        f"UNION ALL SELECT {key}, p.position AS part, {domain_values} FROM domain_judgement d "
        f"JOIN template_domain p ON p.id = d.domain_id JOIN audit a ON a.id = d.audit_id {JOINS} {moderation} "
        "LEFT JOIN domain_moderation dm ON dm.moderation_id = m.id AND dm.domain_id = d.domain_id "
        f"WHERE a.submitted_at IS NOT NULL AND {chosen}"
    )


def theme_source(where):
    """A row for each learning theme's tag on a domain of the submitted audits `where` chooses, with the keys of
    `source` and the theme."""
    key = KEYS.format(month=month_of("a.allocated_at"))
    return (
        f"SELECT {key}, p.position AS part, x.theme_id AS theme, 1 AS tags FROM theme_tag x "  # noqa: S608 - only the code's own names
        "JOIN domain_judgement d ON d.id = x.judgement_id JOIN template_domain p ON p.id = d.domain_id "
        f"JOIN audit a ON a.id = d.audit_id {JOINS} WHERE a.submitted_at IS NOT NULL AND a.exercise_id IS NULL "
        f"AND {where}"
    )


# Each tally (its model, the source of its rows, and how many times the source reads the audits chosen).
TALLIES = ((DashboardTally, source, 2), (ThemeTally, theme_source, 1))


def statements(where, sign=1):
    """The statements adding (`sign` 1) or taking away (-1) what the audits `where` chooses count for, in each
    tally's rows of each scope, with how many times each reads `where`'s parameters."""
    made = []
    for model, rows, times in TALLIES:
        table, counts = model._meta.table_name, columns(model)
        theme = {"theme": "theme"} if model is ThemeTally else {}
        update = ", ".join(f"{column} = {table}.{column} + excluded.{column}" for column in counts)
        for scope in SCOPES:
            keys = {"month": "month", "template": "template", "audit_type": "audit_type", **scope, "part": "part"}
            keys |= theme
            grouped = ", ".join(key for key in keys.values() if key != "0")  # a number would name a column
            values = ", ".join([*keys.values(), *(f"{sign} * SUM({column})" for column in counts)])
            sql = (
                f"INSERT INTO {table} ({', '.join([*keys, *counts])}) SELECT {values} FROM ({rows(where)}) AS g "  # noqa: S608 - only the code's own names
                f"WHERE 1 = 1 GROUP BY {grouped} ON CONFLICT ({', '.join(model._meta.indexes[0][0])}) "
                f"DO UPDATE SET {update}"
            )
            made.append((sql, times))
    return made


def run(condition, sign):
    """Add (or take away) what the audits meeting `condition` (a peewee expression on Audit) count for."""
    chosen, params = Audit.select(Audit.id).where(condition).sql()
    for sql, times in statements(f"a.id IN ({chosen})", sign):
        db.execute_sql(sql, params * times)


def add(condition):
    """Count audits just allocated, meeting `condition`, in the caller's transaction."""
    run(condition, 1)


@contextmanager
def kept(condition):
    """Keep the figures right through a change to the audits meeting `condition` (or to their cases, actions or
    feedback), made inside the block: what they counted for is taken away before it, and added again after."""
    with db.atomic():
        run(condition, -1)
        yield
        run(condition, 1)


def rebuild():
    """Work every row out again from the audits, in one transaction."""
    with db.atomic():
        for model, *_ in TALLIES:
            model.delete().execute()
        for sql, _ in statements("1 = 1"):
            db.execute_sql(sql)
