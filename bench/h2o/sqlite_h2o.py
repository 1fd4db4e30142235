#!/usr/bin/env python3
"""sqlite_h2o.py — the H2O.ai db-benchmark groupby questions on SQLite, a peer
of bench_h2o_quiver (bench/h2o). Python's standard sqlite3 module over
Debian's libsqlite3; an in-memory database, as the other engines use.

Same measure as the other drivers: each query RUNS times, best wall-clock
time kept. SQLite cannot hand back a result without turning every row into
Python values, so a run materialises the result inside the engine instead,
as db-benchmark itself does: CREATE TEMP TABLE ans AS <query>, then counts
it; the sums of the measure columns db-benchmark checks are then read from
ans, untimed. Queries SQLite cannot run (it has no median, stddev or corr) print the
engine's own reason:
    load sqlite_s=<s> rows=<n>
    q1 sqlite_s=<s> rows=<result rows> chk=<sum>[;<sum>...]
    q6 sqlite=unsupported (no such function: median)

    python3 sqlite_h2o.py FILE.csv [-r RUNS] [-q q1,q2,...]
"""
import csv
import sqlite3
import sys
import time

QUESTIONS = [  # (id, the measure columns checked, SQL) as db-benchmark's DuckDB solution
    ("q1", ["v1"], "SELECT id1, sum(v1) AS v1 FROM x GROUP BY id1"),
    ("q2", ["v1"], "SELECT id1, id2, sum(v1) AS v1 FROM x GROUP BY id1, id2"),
    ("q3", ["v1", "v3"], "SELECT id3, sum(v1) AS v1, avg(v3) AS v3 FROM x GROUP BY id3"),
    ("q4", ["v1", "v2", "v3"],
     "SELECT id4, avg(v1) AS v1, avg(v2) AS v2, avg(v3) AS v3 FROM x GROUP BY id4"),
    ("q5", ["v1", "v2", "v3"],
     "SELECT id6, sum(v1) AS v1, sum(v2) AS v2, sum(v3) AS v3 FROM x GROUP BY id6"),
    ("q6", ["median_v3", "sd_v3"],
     "SELECT id4, id5, median(v3) AS median_v3, stddev(v3) AS sd_v3 FROM x GROUP BY id4, id5"),
    ("q7", ["range_v1_v2"], "SELECT id3, max(v1) - min(v2) AS range_v1_v2 FROM x GROUP BY id3"),
    ("q8", ["largest2_v3"],
     "SELECT id6, v3 AS largest2_v3 FROM (SELECT id6, v3, row_number() OVER (PARTITION BY id6 "
     "ORDER BY v3 DESC) AS order_v3 FROM x WHERE v3 IS NOT NULL) sub_query WHERE order_v3 <= 2"),
    ("q9", ["r2"], "SELECT id2, id4, power(corr(v1, v2), 2) AS r2 FROM x GROUP BY id2, id4"),
    ("q10", ["v3", "count"],
     "SELECT id1, id2, id3, id4, id5, id6, sum(v3) AS v3, count(*) AS count FROM x "
     "GROUP BY id1, id2, id3, id4, id5, id6"),
]


def usage():
    sys.stderr.write("usage: sqlite_h2o.py FILE.csv [-r RUNS] [-q q1,q2,...]\n")
    sys.exit(2)


def load(db, path):
    db.execute("CREATE TABLE x (id1 TEXT, id2 TEXT, id3 TEXT, id4 INTEGER, id5 INTEGER, "
               "id6 INTEGER, v1 INTEGER, v2 INTEGER, v3 REAL)")
    with open(path, newline="") as f:
        reader = csv.reader(f)
        next(reader)
        rows = ((a, b, c, int(d), int(e), int(g), int(h), int(i), float(j))
                for a, b, c, d, e, g, h, i, j in reader)
        with db:
            db.executemany("INSERT INTO x VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return db.execute("SELECT count(*) FROM x").fetchone()[0]


def main():
    args = sys.argv[1:]
    if not args:
        usage()
    path, runs, only = args[0], 3, None
    rest = args[1:]
    if len(rest) % 2:
        usage()
    for flag, value in zip(rest[::2], rest[1::2]):
        if flag == "-r":
            runs = int(value)
        elif flag == "-q":
            only = set(value.split(","))
        else:
            usage()

    db = sqlite3.connect(":memory:", isolation_level=None)
    db.execute("PRAGMA temp_store = MEMORY")
    start = time.monotonic()
    n_rows = load(db, path)
    print(f"load sqlite_s={time.monotonic() - start:.3f} rows={n_rows}", flush=True)

    for qid, check, sql in QUESTIONS:
        if only is not None and qid not in only:
            continue
        best, rows = None, 0
        try:
            for _ in range(runs):
                db.execute("DROP TABLE IF EXISTS temp.ans")
                start = time.monotonic()
                db.execute("CREATE TEMP TABLE ans AS " + sql)
                rows = db.execute("SELECT count(*) FROM temp.ans").fetchone()[0]
                elapsed = time.monotonic() - start
                best = elapsed if best is None else min(best, elapsed)
            sums = ", ".join(f'sum("{c}")' for c in check)
            chk = db.execute(f"SELECT {sums} FROM temp.ans").fetchone()
            chk = ";".join("null" if v is None else repr(float(v)) for v in chk)
            print(f"{qid} sqlite_s={best:.3f} rows={rows} chk={chk}", flush=True)
        except sqlite3.Error as e:
            reason = str(e).splitlines()[0] if str(e) else type(e).__name__
            print(f"{qid} sqlite=unsupported ({reason})", flush=True)
        db.execute("DROP TABLE IF EXISTS temp.ans")


if __name__ == "__main__":
    main()
