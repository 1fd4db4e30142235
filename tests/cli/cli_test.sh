#!/usr/bin/env bash
# cli_test.sh QUIVER — runs the quiver CLI (tools/cli) non-interactively and
# compares its standard output, standard error and exit status with what is
# expected: -c, -f, standard input, every --format, errors with the caret
# under their position, exit codes, backslash commands and --data tables.
# Under ASan any sanitizer report lands on stderr and fails the case. The
# "Elapsed" time is the only part of the output that varies; it is masked.
# Last line: "N passed, N failed".
set -u
quiver=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME=$work # never the user's ~/.quiver_history (the REPL is not run here anyway)
cd "$work" || exit 1
passed=0
failed=0

# check NAME WANT_EXIT WANT_STDOUT WANT_STDERR STDIN ARGS...
# A wanted text starting with '~' is an extended regular expression that the
# output must match; otherwise the output must be equal (trailing newlines
# aside).
check() {
    local name=$1 want_code=$2 want_out=$3 want_err=$4 input=$5
    shift 5
    printf '%s' "$input" | "$quiver" "$@" >"$work/stdout" 2>"$work/stderr"
    local code=$?
    local out err ok=1
    out=$(sed -E 's/^Elapsed [0-9]+\.[0-9]{3} seconds\.$/Elapsed X seconds./' "$work/stdout")
    err=$(cat "$work/stderr")
    [[ $code == "$want_code" ]] || ok=0
    if [[ $want_out == "~"* ]]; then [[ $out =~ ${want_out:1} ]] || ok=0; else [[ $out == "$want_out" ]] || ok=0; fi
    if [[ $want_err == "~"* ]]; then [[ $err =~ ${want_err:1} ]] || ok=0; else [[ $err == "$want_err" ]] || ok=0; fi
    if ((ok)); then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL: $name"
        echo "  exit $code, wanted $want_code"
        echo "  --- stdout:"; printf '%s\n' "$out" | sed 's/^/  | /'
        echo "  --- wanted stdout:"; printf '%s\n' "$want_out" | sed 's/^/  | /'
        echo "  --- stderr:"; printf '%s\n' "$err" | sed 's/^/  | /'
        echo "  --- wanted stderr:"; printf '%s\n' "$want_err" | sed 's/^/  | /'
    fi
}

# ---- fixtures ----
mkdir -p data
printf 'id,name\n1,Ann\n2,"Bo, Jr."\n' >data/people.csv
printf 'id\tscore\n1\t9.5\n2\t7.25\n' >data/scores.tsv
printf '{"id": 1, "tags": ["a", "b"], "ok": true}\n{"id": 2, "tags": null, "ok": false}\n' \
    >data/logs.ndjson
printf 'not a table\n' >data/readme.txt
mkdir -p bad
printf '{not json\n' >bad/broken.json
printf 'a\n1\n' >bad/good.csv

# Statement splitting: ';' inside comments, strings, E strings, dollar
# strings and quoted identifiers does not end a statement; ';;' is harmless.
cat >split.sql <<'EOF'
-- a comment; with a semicolon
CREATE TABLE t (a INT, s VARCHAR);
INSERT INTO t VALUES (1, 'semi;colon'), (2, E'it\'s;'), (3, $$dollar; "quoted"$$);
/* block ; /* nested ; */ still a comment ; */
SELECT a AS "odd;name",
       s
FROM t ORDER BY a;;
EOF

cat >fails.sql <<'EOF'
CREATE TABLE t AS VALUES (1);

SELECT column1 FROM t WHERE
  nosuch = 1;
SELECT 'never runs';
EOF

printf 'SELECT 7 AS included;\n' >include.sql

# ---- options ----
check "version" 0 "~^quiver [0-9]+\.[0-9]+\.[0-9]+$" "" "" --version
check "help" 0 "~Usage: quiver \[OPTIONS\]" "" "" --help
check "unknown option" 2 "" "quiver: unknown option '--bogus'
Try 'quiver --help' for more information." "" --bogus
check "missing value" 2 "" "quiver: option '-c' needs an SQL text
Try 'quiver --help' for more information." "" -c
check "bad format" 2 "" "quiver: unknown format 'xml' (table, csv, tsv, json, ndjson)
Try 'quiver --help' for more information." "" --format xml
check "stray argument" 2 "" "quiver: unexpected argument 'SELECT 1' (SQL goes after -c)
Try 'quiver --help' for more information." "" "SELECT 1"
check "missing file" 1 "" "quiver: cannot open nosuch.sql: No such file or directory" "" -f nosuch.sql
check "missing data directory" 1 "" "quiver: cannot read directory nosuch" "" --data nosuch -c "SELECT 1"

# ---- -c ----
check "table with footer" 0 "+---+---+
| a | b |
+---+---+
| 1 | x |
+---+---+
1 row(s) fetched. 
Elapsed X seconds." "" "" -c "SELECT 1 AS a, 'x' AS b"
check "footer of a statement without rows" 0 "0 row(s) fetched. 
Elapsed X seconds." "" "" -c "CREATE TABLE t (a INT)"
check "several statements in one -c" 0 "+---------+---------+
| column1 | column2 |
+---------+---------+
| 1       | a       |
| 2       | NULL    |
+---------+---------+" "" "" -q -c "CREATE TABLE t AS VALUES (1, 'a'), (2, NULL); SELECT * FROM t ORDER BY column1"
check "repeated -c, last statement without ';'" 0 "+-------+
| count |
+-------+
| 2     |
+-------+
+----------+
| sum(t.a) |
+----------+
| 3        |
+----------+" "" "" -q -c "CREATE TABLE t (a INT);" -c "INSERT INTO t VALUES (1), (2)" -c "SELECT sum(a) FROM t"
check "empty statements" 0 "" "" "" -q -c ";; ;" -c "" -c "-- only a comment"
check "syntax error with caret and hint" 1 "" "SQL error: ParserError(\"Expected: an SQL statement, found: SELEC at Line: 1, Column: 1\")
LINE 1: SELEC 1
        ^
HINT: did you mean SELECT?" "" -c "SELEC 1"
check "syntax error at the end: no position in the text, caret kept" 1 "" "SQL error: ParserError(\"Expected: ), found: EOF\")
LINE 1: SELECT (1
                 ^" "" -c "SELECT (1"
check "error on a later line, caret after a tab" 1 "" "~^Schema error: No field named nosuch\..*
LINE 2: 	nosuch
        	\^$" "" -c "SELECT 1 AS x,
	nosuch"
check "-c stops at the first error" 1 "" "~^Error during planning: table 'datafusion.public.nosuch' not found
LINE 1: SELECT \* FROM nosuch;
                      \^$" "" -q -c "SELECT * FROM nosuch; SELECT 'never runs'" -c "SELECT 'nor this'"

# ---- -f and standard input ----
check "-f with ';' inside strings and comments" 0 "+-------+
| count |
+-------+
| 3     |
+-------+
+----------+------------------+
| odd;name | s                |
+----------+------------------+
| 1        | semi;colon       |
| 2        | it's;            |
| 3        | dollar; \"quoted\" |
+----------+------------------+" "" "" -q -f split.sql
check "-f error names the file line" 1 "" "~^fails\.sql:4: Schema error: No field named nosuch\..*
LINE 2:   nosuch = 1;
          \^$" "" -q -f fails.sql
check "stdin script" 0 "a,s
1,x;y
b
2" "" "SELECT 1 AS a, 'x;y' AS s;
SELECT 2 AS b;" -q --format csv
check "stdin error" 1 "" "~^<stdin>:4: Schema error" "$(cat fails.sql)" -q
check "stdin last statement without ';'" 0 "+---+
| x |
+---+
| 5 |
+---+" "" "SELECT 5 AS x" -q

# ---- formats ----
values="SELECT 1 AS a, 'x,y' AS b, NULL AS c, [1, 2] AS l, {'k': 1.5, 'n': NULL} AS s,
        'a\"b' AS q, arrow_cast('2024-01-02', 'Date32') AS d, 'NaN'::double AS f,
        12.5::decimal(5,2) AS dec, true AS bo
        UNION ALL SELECT 2, 'tab	here', 'z', NULL, NULL, 'line
break', NULL, 1e20, NULL, NULL"
check "table format" 0 "+---+----------+------+--------+-------------------+-------+------------+------+-------+------+
| a | b        | c    | l      | s                 | q     | d          | f    | dec   | bo   |
+---+----------+------+--------+-------------------+-------+------------+------+-------+------+
| 1 | x,y      | NULL | [1, 2] | {k: 1.5, n: NULL} | a\"b   | 2024-01-02 | NaN  | 12.50 | true |
| 2 | tab	here | z    | NULL   | NULL              | line  | NULL       | 1e20 | NULL  | NULL |
|   |          |      |        |                   | break |            |      |       |      |
+---+----------+------+--------+-------------------+-------+------------+------+-------+------+" \
    "" "" -q --format table -c "$values"
check "csv format" 0 "a,b,c,l,s,q,d,f,dec,bo
1,\"x,y\",,\"[1, 2]\",\"{k: 1.5, n: NULL}\",\"a\"\"b\",2024-01-02,NaN,12.50,true
2,tab	here,z,,,\"line
break\",,1e20,," "" "" --format csv -c "$values"
check "tsv format" 0 "a	b	c	l	s	q	d	f	dec	bo
1	x,y		[1, 2]	{k: 1.5, n: NULL}	\"a\"\"b\"	2024-01-02	NaN	12.50	true
2	\"tab	here\"	z			\"line
break\"		1e20		" "" "" --format tsv -c "$values"
check "json format" 0 '[{"a":1,"b":"x,y","l":[1,2],"s":{"k":1.5},"q":"a\"b","d":"2024-01-02","f":null,"dec":12.50,"bo":true},{"a":2,"b":"tab\there","c":"z","q":"line\nbreak","f":1e20}]' \
    "" "" --format json -c "$values"
check "ndjson format" 0 '{"a":1,"b":"x,y","l":[1,2],"s":{"k":1.5},"q":"a\"b","d":"2024-01-02","f":null,"dec":12.50,"bo":true}
{"a":2,"b":"tab\there","c":"z","q":"line\nbreak","f":1e20}' "" "" --format ndjson -c "$values"
check "json nested and temporal values" 0 '{"m":{"a":1,"b":null},"ll":[[1,2],null,[]],"st":{"c1":1},"bin":"0aff","iv":"1 days","ts":"1970-01-01T00:00:01Z","u":18446744073709551615}' \
    "" "" --format ndjson -c "SELECT map(['a', 'b'], [1, NULL]) AS m, [[1, 2], NULL, []] AS ll,
    struct(NULL, 1) AS st, X'0aff' AS bin, interval '1 day' AS iv,
    arrow_cast(1, 'Timestamp(Second, Some(\"UTC\"))') AS ts, 18446744073709551615::bigint unsigned AS u"
# As DataFusion CLI: a result without rows prints nothing but a table's header.
check "json and csv without rows" 0 "" "" "" --format json -c "SELECT 1 AS a WHERE false" \
    --format csv -c "SELECT 1 AS a WHERE false"
check "--maxrows cuts tables" 0 "+---+
| n |
+---+
| 1 |
| 2 |
| . |
| . |
| . |
+---+
3 row(s) fetched. (First 2 displayed. Use --maxrows to adjust)
Elapsed X seconds." "" "" --maxrows 2 -c "SELECT * FROM (VALUES (1), (2), (3)) AS t(n) ORDER BY n"
check "--maxrows inf" 0 "~\| 3 \|
\+---\+
3 row\(s\) fetched\. 
Elapsed X seconds\.$" "" "" --maxrows inf -c "SELECT * FROM (VALUES (1), (2), (3)) AS t(n) ORDER BY n"
check "--maxrows needs a count" 2 "" "quiver: option '--maxrows' needs a number of rows or 'inf'
Try 'quiver --help' for more information." "" --maxrows -1
check "table without rows" 0 "+---+
| a |
+---+
+---+" "" "" -q -c "SELECT 1 AS a WHERE false"

# ---- backslash commands ----
check "\\d, \\d NAME, \\dt on --data tables" 0 "table_catalog,table_schema,table_name,table_type
datafusion,public,logs,BASE TABLE
datafusion,public,people,BASE TABLE
datafusion,public,scores,BASE TABLE
datafusion,information_schema,tables,VIEW
datafusion,information_schema,views,VIEW
datafusion,information_schema,columns,VIEW
datafusion,information_schema,df_settings,VIEW
datafusion,information_schema,schemata,VIEW
datafusion,information_schema,routines,VIEW
datafusion,information_schema,parameters,VIEW
table_catalog,table_schema,table_name,column_name,data_type,is_nullable
datafusion,public,people,id,Int64,YES
datafusion,public,people,name,Utf8,YES
table_catalog,table_schema,table_name,table_type
datafusion,public,logs,BASE TABLE
datafusion,public,people,BASE TABLE
datafusion,public,scores,BASE TABLE" "" '\d
\d people
\dt;
' -q --format csv --data data
check "\\format, \\timing, \\quiet" 0 "Output format is csv.
x
1
Output format is table.
Timing is off.
+---+
| x |
+---+
| 2 |
+---+
1 row(s) fetched. 

Quiet mode is on.
+---+
| x |
+---+
| 3 |
+---+
Output format is ndjson.
{\"x\":4}" "" '\format csv
SELECT 1 AS x;
\pset format table
\timing off
SELECT 2 AS x;
\quiet
SELECT 3 AS x;
\format NDJSON
SELECT 4 AS x;
' 
check "\\? lists the commands" 0 "~\\\\d NAME +describe a table" "" '\?' -q
check "\\i runs a file" 0 "+----------+
| included |
+----------+
| 7        |
+----------+" "" '\i include.sql' -q
check "\\q stops the input" 0 "+---+
| x |
+---+
| 1 |
+---+" "" 'SELECT 1 AS x;
\q
SELECT 2 AS x;' -q
check "unknown command fails" 1 "" 'Error: unknown command or wrong arguments: \nope (\? for help)' '\nope
SELECT 1;' -q
check "a backslash inside a pending statement is SQL" 0 "+----+
| s  |
+----+
| \\d |
+----+" "" "SELECT
'\\d' AS s;" -q

# ---- --data tables ----
check "--data: csv, tsv and ndjson files" 0 "{\"id\":1,\"name\":\"Ann\",\"score\":9.5,\"tags\":[\"a\",\"b\"],\"ok\":true}
{\"id\":2,\"name\":\"Bo, Jr.\",\"score\":7.25,\"ok\":false}" "" "" \
    --data data --format ndjson -c "SELECT p.id, p.name, s.score, l.tags, l.ok
    FROM people p, scores s, logs l WHERE p.id = s.id AND p.id = l.id ORDER BY p.id"

check "a file path as a table name" 0 "id	name
1	Ann
2	Bo, Jr." "" "" -q --format tsv -c "SELECT * FROM 'data/people.csv' ORDER BY id"
check "--data reports and skips a file it cannot read" 0 "table_name
good" "~^quiver: bad/broken\.json not registered as table \"broken\": .*Json error" "" \
    -q --format csv --data bad -c "SELECT table_name FROM information_schema.tables
    WHERE table_schema = 'public'"

echo "$passed passed, $failed failed"
((failed == 0))
