/*
 * test_sql_statements.c — unit tests for every statement form the SQL front
 * end parses: each is parsed, its kind and key slots checked, and it is
 * round-tripped through the unparser.
 */
#include "sql_test_util.h"
#include "test.h"

#define CHECK_STMT(sql, kind)                                                              \
    do {                                                                                   \
        CHECK_INT_EQ(sqlt_statement_kind(sql), (kind));                                    \
        CHECK(sqlt_round_trips(sql));                                                      \
    } while (0)

TEST(stmt_queries)
{
    CHECK_STMT("SELECT DISTINCT ON (a) a, b AS c, t.*, * EXCLUDE (d) FROM t", SQL_QUERY);
    CHECK_STMT("SELECT * EXCEPT (a) FROM t", SQL_QUERY);
    CHECK_STMT("SELECT * REPLACE (a + 1 AS a) FROM t", SQL_QUERY);
    CHECK_STMT("SELECT * EXCLUDE a FROM t", SQL_QUERY);
    CHECK_STMT("SELECT a FROM cat.sch.\"Tab\" AS x(c1) WHERE a > 1 GROUP BY ROLLUP (a, b), "
               "CUBE (c), GROUPING SETS ((a), ()) HAVING count(*) > 1 QUALIFY a = 1 ORDER BY "
               "1 DESC NULLS LAST LIMIT 10 OFFSET 5",
               SQL_QUERY);
    CHECK_STMT("SELECT a FROM t GROUP BY ALL", SQL_QUERY);
    CHECK_STMT("SELECT * FROM 'data/x.csv'", SQL_QUERY);
    CHECK_STMT("SELECT * FROM generate_series(1, 10) g(x), range(5), unnest([1, 2])", SQL_QUERY);
    CHECK_STMT("SELECT * FROM t, LATERAL (SELECT t.a) s, (SELECT 1) AS d", SQL_QUERY);
    CHECK_STMT("SELECT * FROM a JOIN b ON a.x = b.x LEFT OUTER JOIN c USING (y) RIGHT JOIN d "
               "ON TRUE FULL JOIN e ON TRUE CROSS JOIN f NATURAL JOIN g LEFT SEMI JOIN h ON "
               "TRUE RIGHT ANTI JOIN i ON TRUE",
               SQL_QUERY);
    CHECK_STMT("SELECT * FROM (a JOIN b ON TRUE)", SQL_QUERY);
    CHECK_STMT("SELECT * FROM (((a JOIN b ON TRUE)))", SQL_QUERY);
    CHECK_STMT("SELECT * FROM ((SELECT 1) a CROSS JOIN (SELECT 2) b) AS f (x, y)", SQL_QUERY);
    CHECK_STMT("SELECT * FROM ((SELECT 1) UNION (SELECT 2)) u", SQL_QUERY);
    CHECK_STMT("SELECT * FROM ((SELECT 1)) u", SQL_QUERY);
    CHECK_STMT("WITH RECURSIVE r (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT * FROM "
               "r",
               SQL_QUERY);
    CHECK_STMT("(SELECT 1 UNION DISTINCT SELECT 2) INTERSECT (SELECT 3) EXCEPT ALL SELECT 4",
               SQL_QUERY);
    CHECK_STMT("VALUES (1, 'a'), (2, 'b')", SQL_QUERY);
    CHECK_STMT("SELECT * FROM VALUES (1), (2) t(a)", SQL_QUERY);
    CHECK_STMT("SELECT a FROM t FETCH FIRST 3 ROWS ONLY", SQL_QUERY);
    CHECK_STMT("SELECT a FROM t WINDOW w AS (PARTITION BY b)", SQL_QUERY);
    CHECK_STMT("SELECT * FROM t |> WHERE a > 1 |> SELECT a |> EXTEND a + 1 AS b |> ORDER BY a "
               "|> LIMIT 1 |> AS u |> AGGREGATE count(*) GROUP BY a |> UNION ALL (SELECT 1) "
               "|> LEFT JOIN s ON TRUE",
               SQL_QUERY);
}

TEST(stmt_union_grouping)
{
    char dump[1024];
    CHECK(sqlt_dump("SELECT 1 UNION SELECT 2 INTERSECT SELECT 3", dump, sizeof dump));
    CHECK_STR_EQ(dump, "(query nil (set_op op=1 (select nil (list (literal op=1 1))) (set_op "
                       "op=2 (select nil (list (literal op=1 2))) (select nil (list (literal "
                       "op=1 3))))))");
}

TEST(stmt_create_external_table)
{
    CHECK_STMT("CREATE EXTERNAL TABLE t (a INT NOT NULL, b VARCHAR, PRIMARY KEY (a)) STORED AS "
               "CSV LOCATION 'x.csv' OPTIONS ('format.has_header' 'true', format.delimiter ';', "
               "'format.bloom_filter_enabled::c1' true)",
               SQL_CREATE_EXTERNAL_TABLE);
    CHECK_STMT("CREATE OR REPLACE UNBOUNDED EXTERNAL TABLE t STORED AS parquet LOCATION 'd/' "
               "PARTITIONED BY (year, month) WITH ORDER (a ASC) WITH ORDER (b DESC NULLS FIRST)",
               SQL_CREATE_EXTERNAL_TABLE);
    CHECK_STMT("CREATE EXTERNAL TABLE IF NOT EXISTS t (a INT) PARTITIONED BY (p STRING) "
               "LOCATION 'd/' STORED AS parquet",
               SQL_CREATE_EXTERNAL_TABLE);
    CHECK_STMT("CREATE EXTERNAL TEMPORARY TABLE t STORED AS ARROW LOCATION 'x.arrow'",
               SQL_CREATE_EXTERNAL_TABLE);
}

TEST(stmt_create_table_view_schema)
{
    CHECK_STMT("CREATE TABLE t (a INT PRIMARY KEY, b TEXT DEFAULT 'x' NOT NULL, c DECIMAL(10, "
               "2), d TIMESTAMP WITH TIME ZONE, e INT[], UNIQUE (b))",
               SQL_CREATE_TABLE);
    CHECK_STMT("CREATE OR REPLACE TABLE IF NOT EXISTS t AS SELECT 1", SQL_CREATE_TABLE);
    CHECK_STMT("CREATE TABLE t AS VALUES (1, 2)", SQL_CREATE_TABLE);
    CHECK_STMT("CREATE TABLE t (a INT) AS VALUES (1)", SQL_CREATE_TABLE);
    CHECK_STMT("CREATE VIEW v AS SELECT 1", SQL_CREATE_VIEW);
    CHECK_STMT("CREATE OR REPLACE VIEW v (a, b) AS SELECT 1, 2", SQL_CREATE_VIEW);
    CHECK_STMT("CREATE SCHEMA IF NOT EXISTS s", SQL_CREATE_SCHEMA);
    CHECK_STMT("CREATE DATABASE d", SQL_CREATE_SCHEMA);
    CHECK_STMT("DROP TABLE IF EXISTS a, b CASCADE", SQL_DROP);
    CHECK_STMT("DROP VIEW v", SQL_DROP);
    CHECK_STMT("DROP SCHEMA s RESTRICT", SQL_DROP);
}

TEST(stmt_managed_tables_and_users)
{
    CHECK_STMT("CREATE USER TABLE ns.t (a INT) WITH (flush_rows = 100, 'storage' = 'local')",
               SQL_CREATE_TABLE);
    CHECK_STMT("CREATE SHARED TABLE t (a INT)", SQL_CREATE_TABLE);
    CHECK_STMT("CREATE STREAM TABLE IF NOT EXISTS t (a INT) WITH (ttl = '1 day')",
               SQL_CREATE_TABLE);
    CHECK_STMT("CREATE NAMESPACE IF NOT EXISTS ns", SQL_CREATE_SCHEMA);
    CHECK_STMT("DROP NAMESPACE ns CASCADE", SQL_DROP);
    CHECK_STMT("CREATE USER alice WITH PASSWORD 'secret' ROLE admin", SQL_CREATE_USER);
    CHECK_STMT("ALTER USER alice SET PASSWORD 'new'", SQL_ALTER_USER);
    CHECK_STMT("DROP USER IF EXISTS alice", SQL_DROP);
    CHECK_STMT("GRANT SELECT, INSERT ON TABLE ns.t TO alice, bob", SQL_GRANT);
    CHECK_STMT("REVOKE ALL ON NAMESPACE ns FROM alice", SQL_REVOKE);
}

TEST(stmt_dml)
{
    CHECK_STMT("INSERT INTO t (a, b) VALUES (1, 2), (3, 4)", SQL_INSERT);
    CHECK_STMT("INSERT INTO t SELECT * FROM s", SQL_INSERT);
    CHECK_STMT("INSERT OVERWRITE t VALUES (1)", SQL_INSERT);
    CHECK_STMT("UPDATE t SET a = 1, b = b + 1 WHERE c", SQL_UPDATE);
    CHECK_STMT("UPDATE t AS x SET a = s.a FROM s WHERE x.id = s.id", SQL_UPDATE);
    CHECK_STMT("DELETE FROM t WHERE a = 1", SQL_DELETE);
    CHECK_STMT("DELETE FROM t", SQL_DELETE);
    CHECK_STMT("TRUNCATE TABLE t1, t2", SQL_TRUNCATE);
    CHECK_STMT("TRUNCATE ONLY t RESTART IDENTITY CASCADE", SQL_TRUNCATE);
    CHECK_STMT("COPY (SELECT 1) TO 'out.parquet' STORED AS PARQUET", SQL_COPY);
    CHECK_STMT("COPY t TO 'dir/' STORED AS CSV PARTITIONED BY (a, b) OPTIONS "
               "('format.has_header' 'false', format.compression gzip)",
               SQL_COPY);
}

TEST(stmt_session_and_utility)
{
    CHECK_STMT("PREPARE p (INT, VARCHAR) AS SELECT $1, $2", SQL_PREPARE);
    CHECK_STMT("PREPARE q AS INSERT INTO t VALUES ($1)", SQL_PREPARE);
    CHECK_STMT("EXECUTE p(1, 'a')", SQL_EXECUTE);
    CHECK_STMT("DEALLOCATE p", SQL_DEALLOCATE);
    CHECK_STMT("DEALLOCATE PREPARE p", SQL_DEALLOCATE);
    CHECK_STMT("SET datafusion.execution.batch_size = 1024", SQL_SET);
    CHECK_STMT("SET TIME ZONE '+08:00'", SQL_SET);
    CHECK_STMT("SHOW ALL", SQL_SHOW);
    CHECK_STMT("SHOW datafusion.execution.batch_size", SQL_SHOW);
    CHECK_STMT("SHOW TABLES", SQL_SHOW);
    CHECK_STMT("SHOW COLUMNS FROM t", SQL_SHOW);
    CHECK_STMT("SHOW FUNCTIONS LIKE 'a%'", SQL_SHOW);
    CHECK_STMT("RESET datafusion.execution.batch_size", SQL_RESET);
    CHECK_STMT("RESET ALL", SQL_RESET);
    CHECK_STMT("DESCRIBE t", SQL_DESCRIBE);
    CHECK_STMT("DESCRIBE SELECT 1", SQL_DESCRIBE);
    CHECK_STMT("EXPLAIN SELECT 1", SQL_EXPLAIN);
    CHECK_STMT("EXPLAIN ANALYZE VERBOSE SELECT 1", SQL_EXPLAIN);
    CHECK_STMT("EXPLAIN FORMAT tree SELECT 1", SQL_EXPLAIN);
}

TEST(stmt_several_statements_and_comments)
{
    const char *sql = "-- leading\nSELECT 1; /* a /* nested */ comment */ SELECT 2;;\n"
                      "SELECT 3 -- trailing";
    qv_error err;
    sql_parse_result *result = NULL;
    CHECK_OK(sql_parse(sql, strlen(sql), NULL, &result, &err));
    CHECK_INT_EQ(result->n_statements, 3);
    CHECK_INT_EQ(result->statements[1].start.line, 2);
    CHECK_INT_EQ(result->statements[2].start.line, 3);
    CHECK_INT_EQ(result->statements[2].length, 8);
    sql_parse_result_free(result);
    CHECK_OK(sql_parse("", 0, NULL, &result, &err));
    CHECK_INT_EQ(result->n_statements, 0);
    sql_parse_result_free(result);
}

TEST(stmt_positions_and_identifier_normalization)
{
    const char *sql = "SELECT\n  Abc, \"Def\"\nFROM t";
    qv_error err;
    sql_parse_result *result = NULL;
    CHECK_OK(sql_parse(sql, strlen(sql), NULL, &result, &err));
    const sql_node *items = sql_kid(sql_kid(result->statements[0].node, 1), 1);
    const sql_node *abc = sql_kid(sql_kid(items, 0), 0);
    const sql_node *def = sql_kid(sql_kid(items, 1), 0);
    CHECK_INT_EQ(abc->pos.line, 2);
    CHECK_INT_EQ(abc->pos.column, 3);
    CHECK_INT_EQ(def->pos.column, 8);
    base_arena *arena = base_arena_new(256);
    CHECK_STR_EQ(sql_ident_normalize(abc, true, arena), "abc");
    CHECK_STR_EQ(sql_ident_normalize(abc, false, arena), "Abc");
    CHECK_STR_EQ(sql_ident_normalize(def, true, arena), "Def");
    base_arena_free(arena);
    sql_parse_result_free(result);
}
