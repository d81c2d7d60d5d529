"""Reading query plans in tests: the statements a request runs, and what their plans say about the
tables that grow with the years (EXPLAIN QUERY PLAN on SQLite, EXPLAIN on PostgreSQL)."""

import logging
import re

from models import db

# The tables that grow with the years: a query must never read one whole or sort it.
BIG_TABLES = {
    "audit",
    "domain_judgement",
    "action",
    "event",
    "notice",
    "moderation",
    "domain_moderation",
    "immediate_response",
    "family_feedback",
    "iro_feedback",
    "access_record",
}


class Recorder(logging.Handler):
    """Every statement peewee runs, as (sql, params)."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.statements = []

    def emit(self, record):
        # peewee logs each statement as (sql, params); its connection pool logs other lines.
        if isinstance(record.msg, tuple):
            sql, params = record.msg
            self.statements.append((sql, tuple(params or ())))


def statements_run(action):
    """The statements `action()` runs, in order, as (sql, params)."""
    logger = logging.getLogger("peewee")
    recorder, level = Recorder(), logger.level
    logger.addHandler(recorder)
    logger.setLevel(logging.DEBUG)
    try:
        action()
    finally:
        logger.removeHandler(recorder)
        logger.setLevel(level)
    return recorder.statements


def capture(action):
    """The SELECT statements `action()` runs, each once."""
    selects = (statement for statement in statements_run(action) if statement[0].lstrip().upper().startswith("SELECT"))
    return list(dict.fromkeys(selects))


def big_tables(sql):
    """The big tables a statement reads, by alias (and by name, which SQLite shows for a bare COUNT(*)),
    leaving out one it takes a single row of by id (the audit on its page, the row a page continues
    from), which neither scans nor sorts however its plan reads."""
    read = re.findall(r'(?:FROM|JOIN) "(\w+)" AS "(\w+)"', sql)
    big = {
        alias: table
        for table, alias in read
        if table in BIG_TABLES and not re.search(rf'"{alias}"\."id" = (?:\?|%s)', sql)
    }
    return big | {table: table for table in big.values()}


def in_id_order(sql, alias):
    """True for a statement with no condition that reads rows in `alias`'s id order up to a LIMIT
    (the whole event log): SQLite shows it as a SCAN of the table, but it stops at the page's last row."""
    return " WHERE " not in sql and re.search(rf'ORDER BY "{alias}"\."id"(?: ASC| DESC)? LIMIT', sql)


def index_holds(index):
    """The columns an index holds, and those its WHERE (a partial index's) names: what it answers alone."""
    held = {row[2] for row in db.execute_sql(f'PRAGMA index_info("{index}")')}
    [[definition]] = db.execute_sql("SELECT sql FROM sqlite_master WHERE name = ?", (index,)).fetchall()
    condition = definition.split(" WHERE ", 1)[1] if definition and " WHERE " in definition else ""
    return held | set(re.findall(r"(\w+) IS (?:NOT )?NULL", condition)) | {"id"}


def audit_count_problems(sql, plan):
    """A count of audits by one filter or none, besides whether they are the programme's, reads an index alone:
    counting through an index that lacks a column the count tests (whether an audit is part of a reliability
    exercise, say) reads every row it counts. (With several filters, the index of one narrows the rest.)"""
    counted = re.match(r'SELECT (?:[^(]*, )?COUNT\([^)]*\) FROM "audit" AS "(\w+)"(?! (?:INNER|LEFT))', sql)
    if not counted:
        return []
    alias = counted.group(1)
    named = set(re.findall(rf'"{alias}"\."(\w+)"', sql))
    filters = set(re.findall(rf'"{alias}"\."(\w+)"', sql.partition(" WHERE ")[2])) - {"exercise_id"}
    if len(filters) > 1:
        return []
    problems = []
    for line in plan:
        used = re.match(rf"(?:SEARCH|SCAN) {alias} USING (?:COVERING )?INDEX (\w+)", line)
        missing = named - index_holds(used.group(1)) if used else set()
        if missing:
            problems.append(f"counts audits reading every row for {', '.join(sorted(missing))}: {line}")
    return problems


def sqlite_problems(sql, params):
    plan = [row[3] for row in db.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params)]
    big = big_tables(sql)
    problems = audit_count_problems(sql, plan)
    for line in plan:
        scan = re.match(r"SCAN (\w+)(?! USING (?:COVERING )?INDEX)", line)
        if scan and scan.group(1) in big and not in_id_order(sql, scan.group(1)):
            problems.append(f"reads all of {big[scan.group(1)]}: {line}")
        if re.match(r"USE TEMP B-TREE FOR (?:\w+ )*ORDER BY", line) and big:
            problems.append(f"sorts {', '.join(sorted(set(big.values())))}: {line}")
    return problems, "\n".join(plan)


def postgres_problems(sql, params):
    [[[explained]]] = db.execute_sql(f"EXPLAIN (FORMAT JSON) {sql}", params).fetchall()
    big = set(big_tables(sql).values())
    problems = []

    def relations(node):
        return {node.get("Relation Name")}.union(*(relations(child) for child in node.get("Plans", [])))

    def look(node):
        if node["Node Type"] == "Seq Scan" and node["Relation Name"] in big:
            problems.append(f"reads all of {node['Relation Name']}: Seq Scan")
        if node["Node Type"] in ("Sort", "Incremental Sort") and relations(node) & big:
            problems.append(f"sorts {', '.join(sorted(relations(node) & big))}: {node['Node Type']}")
        for child in node.get("Plans", []):
            look(child)

    look(explained["Plan"])
    plan = "\n".join(row[0] for row in db.execute_sql(f"EXPLAIN {sql}", params))
    return problems, plan
