"""The calibration figures kept as moderations are submitted (models.CalibrationTally, CalibrationSpread,
CalibrationAuditor and CalibrationTeam), so that the calibration page adds up a few hundred rows however many
years of moderation there are, rather than reading every moderated grade. Each is kept for the service area of
the case's team and, but for the teams' (a team is in one service area), for every service area together; the
auditors' and teams' for each month drawn and for the twelve months to each month too.

Every row only adds: a moderation's grades are added, by the database from the moderation's own rows, in the
transaction that submits it, and a submitted moderation never changes. Two moderations submitted at once add
to the same row one after the other (INSERT ... ON CONFLICT DO UPDATE). `rebuild` works every row out again
from the moderations, for records loaded in bulk (migration 0017 filled them the same way)."""

from models import (
    EVERY_AREA,
    EVERY_AREA_KEYS,
    GRADES,
    KAPPA_PRODUCTS,
    PAIR_COLUMNS,
    PRODUCT_COLUMNS,
    CalibrationAuditor,
    CalibrationSpread,
    CalibrationTally,
    CalibrationTeam,
    db,
)
from services.database import months_after

MODELS = (CalibrationTally, CalibrationSpread, CalibrationAuditor, CalibrationTeam)
GROUP_MODELS = (CalibrationAuditor, CalibrationTeam)  # kept for each month and each twelve months (models.GroupTally)


def step(column):
    """A grade's step, 0 for Outstanding to 3 for Inadequate."""
    return f"CASE {column} " + " ".join(f"WHEN '{code}' THEN {n}" for n, code in enumerate(GRADES)) + " END"


def graded(where):
    """Every grade of the submitted moderations that `where` chooses (`m` is the moderation): its moderation, the
    month drawn, the audit's template, the service area and team of the case, the auditor, the part (0 for the
    overall judgement, else the domain's position), and the auditor's (i) and moderated (j) steps."""
    known = ", ".join(f"'{code}'" for code in GRADES)
    kept_by = "m.id AS moderation, d.month, a.template_id AS template, t.service_area_id AS area, c.team_id AS team"
    joins = (
        "JOIN moderation_draw d ON d.id = m.draw_id JOIN audit a ON a.id = m.audit_id "
        'JOIN "case" c ON c.id = a.case_id JOIN team t ON t.id = c.team_id'
    )

    def chosen(grades):
        return (
            f"WHERE m.status = 'submitted' AND a.template_id IS NOT NULL AND {grades}.auditor_grade IN ({known}) "
            f"AND {grades}.grade IN ({known}) AND {where}"
        )

    return (
        f"SELECT {kept_by}, a.auditor_id AS auditor, p.position AS part, {step('x.auditor_grade')} AS i, "  # noqa: S608 - only the code's own names
        f"{step('x.grade')} AS j FROM domain_moderation x JOIN moderation m ON m.id = x.moderation_id "
        f"JOIN template_domain p ON p.id = x.domain_id {joins} {chosen('x')} "
        f"UNION ALL SELECT {kept_by}, a.auditor_id AS auditor, 0 AS part, {step('m.auditor_grade')} AS i, "
        f"{step('m.grade')} AS j FROM moderation m {joins} {chosen('m')}"
    )


def added(model, keys, values, every_area=False, span=None):
    """INSERT into `model`'s table of `values` ({column: expression over the grades}) grouped by `keys` ({column:
    expression}) and the service area, or with `every_area` over every service area together, each added to the
    row already there; with `span` (a GroupTally's, 1 or 12), into the rows of that span."""
    table = model._meta.table_name
    keys = keys if every_area else keys | {"service_area_id": "area"}
    fixed = {} if span is None else {"span": str(span)}  # not grouped by: GROUP BY 12 would mean the 12th column
    columns = [*fixed, *keys, *values]
    select = ", ".join([*fixed.values(), *keys.values(), *values.values()])
    update = ", ".join(f"{column} = {table}.{column} + excluded.{column}" for column in values)
    unique = ", ".join([*fixed, *keys])
    target = f"({unique}) WHERE {EVERY_AREA}" if every_area else f"({unique})"
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) SELECT {select} FROM ({{source}}) AS g WHERE 1 = 1 "  # noqa: S608 - only the code's own names
        f"GROUP BY {', '.join(keys.values())} ON CONFLICT {target} DO UPDATE SET {update}"
    )


# The months 0 to 11 after: each month's grades count in the twelve months to it and to each of the 11 after.
TWELVE = " UNION ALL ".join(f"SELECT {n} AS n" for n in range(12))


def spans(source):
    """Each span of models.GroupTally's rows: (span, the column of the month a grade's row is kept under, the
    grades of `source` it is added up from): a month's own, then each of the twelve months to it and the 11 after."""
    later = f"SELECT g.*, {months_after('g.month', 'k.n')} AS later FROM ({source}) AS g CROSS JOIN ({TWELVE}) AS k"  # noqa: S608 - only the code's own names
    return ((1, "month", source), (12, "later", later))


def statements(where):
    """The statements that add the moderations `where` chooses, each as (sql, how many times `where`'s
    parameters appear in it)."""
    grades = graded(where)
    group = {
        "audits": "SUM(CASE WHEN part = 0 THEN 1 ELSE 0 END)",
        "grades": "COUNT(*)",
        "agreed": "SUM(CASE WHEN i = j THEN 1 ELSE 0 END)",
        "change": "SUM(j - i)",
    }
    steps = range(len(GRADES))
    totals = {"o": f"SUM({len(GRADES) - 1} - ABS(i - j))"}
    totals |= {f"r{n}": f"SUM(CASE WHEN i = {n} THEN 1 ELSE 0 END)" for n in steps}
    totals |= {f"c{n}": f"SUM(CASE WHEN j = {n} THEN 1 ELSE 0 END)" for n in steps}
    per_audit = (
        f"SELECT month, template, area, {', '.join(f'{sql} AS {name}' for name, sql in totals.items())} "  # noqa: S608 - only the code's own names
        f"FROM ({grades}) AS each_grade GROUP BY moderation, month, template, area"
    )
    figures = {
        CalibrationTally: (
            {"part": "part"},
            {
                column: f"SUM(CASE WHEN i = {i} AND j = {j} THEN 1 ELSE 0 END)"
                for (i, j), column in PAIR_COLUMNS.items()
            },
            grades,
        ),
        CalibrationSpread: (
            {},
            {"audits": "COUNT(*)"} | {PRODUCT_COLUMNS[a, b]: f"SUM({a} * {b})" for a, b in KAPPA_PRODUCTS},
            per_audit,
        ),
        CalibrationAuditor: ({"auditor_id": "auditor"}, group, grades),
        CalibrationTeam: ({"team_id": "team"}, group, grades),
    }
    kept = []
    for model, (keys, values, source) in figures.items():
        for span, month, spread in spans(source) if model in GROUP_MODELS else ((None, "month", source),):
            place = {"month": month, "template_id": "template"}
            for every_area in (False, True) if model in EVERY_AREA_KEYS else (False,):
                kept.append((added(model, place | keys, values, every_area, span).format(source=spread), 2))
    return kept


def add(moderation_id):
    """Add a moderation just submitted (inside the transaction that submits it)."""
    for sql, times in statements(f"m.id = {db.param}"):
        db.execute_sql(sql, (moderation_id,) * times)


def rebuild():
    """Work every row out again from the submitted moderations, in one transaction."""
    with db.atomic():
        for model in MODELS:
            model.delete().execute()
        for sql, _ in statements("1 = 1"):
            db.execute_sql(sql)
