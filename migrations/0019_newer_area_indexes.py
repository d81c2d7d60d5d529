"""Indexes for what the newer areas count and list at a big council's size.

The audits of the programme, leaving out people's parts in reliability exercises (migration 0013): every count
of them, and a month's audits by grade for the moderation draw, says `exercise_id IS NULL`. The indexes of
migration 0006 do not hold exercise_id, so a count through them read every row it counted; and the index of
exercise_id alone, which a NULL matches for nearly every audit, drew the planner into reading every audit of
the programme to count one team's or one month's. Here each such count has a partial index of the programme's
audits holding all it reads; the index of exercise_id keeps only the audits of exercises, so it can no longer
be chosen to find those of none; and a person's exercises have their own index, newest first."""

PROGRAMME = {
    # Counting all of them, or those allocated in a month; by status; of a team's cases; by auditor.
    "audit_programme_allocated_at": "allocated_at",
    "audit_programme_status": "status",
    "audit_programme_case_id": "case_id",
    "audit_programme_auditor_id": "auditor_id",
    # A month's audits by grade, found by when they were submitted (replaces migration 0013's audit_submitted_at).
    "audit_programme_submitted_at": "submitted_at, overall_grade",
}

EXERCISES = {
    # An exercise's audits.
    "audit_exercise_id": "exercise_id",
    # The exercises a person takes part in, newest first (their home page).
    "audit_exercise_auditor_id_allocated_at_id": "auditor_id, allocated_at, id",
}

REPLACED = ["audit_exercise_id", "audit_submitted_at"]


def up(migrator, db):
    for name in REPLACED:
        db.execute_sql(f'DROP INDEX "{name}"')
    for name, columns in PROGRAMME.items():
        db.execute_sql(f'CREATE INDEX "{name}" ON "audit" ({columns}) WHERE exercise_id IS NULL')
    for name, columns in EXERCISES.items():
        db.execute_sql(f'CREATE INDEX "{name}" ON "audit" ({columns}) WHERE exercise_id IS NOT NULL')
