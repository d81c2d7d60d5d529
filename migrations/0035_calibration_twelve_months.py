"""Each auditor's and each team's calibration figures kept for the twelve months to each month as well as for each
month drawn (models.GroupTally's `span`), so that the calibration page's usual twelve months add up a row for each
person rather than twelve, and six years six.

The twelve months to a month are the sum of its month's row and the eleven before, so they are added up here from
the tallies themselves, for each service area and for every service area together (an empty service area), as
migration 0020 did."""

from peewee import IntegerField, PostgresqlDatabase

GROUP = ("audits", "grades", "agreed", "change")
TABLES = {
    "calibration_auditor": ["template_id", "service_area_id", "auditor_id"],
    "calibration_team": ["template_id", "service_area_id", "team_id"],
}
TWELVE = " UNION ALL ".join(f"SELECT {n} AS n" for n in range(12))


def up(migrator, db):
    migrator.migrate(*(migrator.add_column(table, "span", IntegerField(default=1)) for table in TABLES))
    for table, key in TABLES.items():
        columns = ", ".join(key)
        db.execute_sql(f'DROP INDEX "{table}_month_{"_".join(key)}"')
        db.execute_sql(
            f'CREATE UNIQUE INDEX "{table}_span_month_{"_".join(key)}" ON "{table}" (span, month, {columns})'
        )
    db.execute_sql('DROP INDEX "calibration_auditor_every_area"')
    db.execute_sql(
        'CREATE UNIQUE INDEX "calibration_auditor_every_area" ON "calibration_auditor" '
        "(span, month, template_id, auditor_id) WHERE service_area_id IS NULL"
    )
    if isinstance(db, PostgresqlDatabase):
        later = "CAST(month + k.n * INTERVAL '1 month' AS DATE)"
    else:
        later = "date(month, '+' || k.n || ' months')"
    sums = ", ".join(f"SUM({name})" for name in GROUP)
    for table, key in TABLES.items():
        columns = ", ".join(key)
        # Grouped by the service area too, so each service area's rows and those of every service area together
        # (an empty service area) are added up apart.
        db.execute_sql(
            f"INSERT INTO {table} (span, month, {columns}, {', '.join(GROUP)}) "  # noqa: S608 - the code's own names
            f"SELECT 12, {later}, {columns}, {sums} FROM {table} CROSS JOIN ({TWELVE}) AS k WHERE span = 1 "
            f"GROUP BY {later}, {columns}"
        )
