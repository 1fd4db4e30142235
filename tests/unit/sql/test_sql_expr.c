/*
 * test_sql_expr.c — unit tests for expression parsing in src/sql:
 * precedence and grouping as DataFusion's parser groups, literals, and the
 * expression forms of the dialect (each also round-tripped).
 */
#include "sql_test_util.h"
#include "test.h"

#define CHECK_EXPR(expr, expected)                                                         \
    do {                                                                                   \
        char dump_[2048];                                                                  \
        CHECK(sqlt_dump_expr((expr), dump_, sizeof dump_));                                \
        CHECK_STR_EQ(dump_, (expected));                                                   \
        CHECK(sqlt_round_trips("SELECT " expr));                                           \
    } while (0)

TEST(expr_arithmetic_precedence)
{
    CHECK_EXPR("1 + 2 * 3",
               "(binary + (literal op=1 1) (binary * (literal op=1 2) (literal op=1 3)))");
    CHECK_EXPR("1 - 2 - 3",
               "(binary - (binary - (literal op=1 1) (literal op=1 2)) (literal op=1 3))");
    CHECK_EXPR("-a * b", "(binary * (unary - (name (ident a))) (name (ident b)))");
    CHECK_EXPR("a || b = c",
               "(binary = (binary || (name (ident a)) (name (ident b))) (name (ident c)))");
}

TEST(expr_boolean_precedence)
{
    CHECK_EXPR("a OR b AND NOT c = d",
               "(binary OR (name (ident a)) (binary AND (name (ident b)) (unary NOT (binary = "
               "(name (ident c)) (name (ident d))))))");
    CHECK_EXPR("a BETWEEN 1 AND 2 AND b",
               "(binary AND (between (name (ident a)) (literal op=1 1) (literal op=1 2)) "
               "(name (ident b)))");
    CHECK_EXPR("NOT EXISTS (SELECT 1)", "(exists flags=0x1 (query nil (select nil (list "
                                        "(literal op=1 1)))))");
}

TEST(expr_postfix_forms)
{
    CHECK_EXPR("a IS NOT NULL", "(is op=1 flags=0x1 (name (ident a)))");
    CHECK_EXPR("a IS DISTINCT FROM b", "(is op=5 (name (ident a)) (name (ident b)))");
    CHECK_EXPR("x::INT[]", "(cast op=4 (name (ident x)) (type op=2 (type op=1 INT)))");
    CHECK_EXPR("a[1:2]", "(slice (name (ident a)) (literal op=1 1) (literal op=1 2))");
    CHECK_EXPR("s['f']", "(index (name (ident s)) (literal op=3 f))");
    CHECK_EXPR("t.a.b", "(name (ident t) (ident a) (ident b))");
    CHECK_EXPR("x NOT LIKE 'a%' ESCAPE '\\'",
               "(like op=1 flags=0x1 (name (ident x)) (literal op=3 a%) (literal op=3 \\))");
    CHECK_EXPR("x NOT IN (1, 2)",
               "(in_list flags=0x1 (name (ident x)) (list (literal op=1 1) (literal op=1 2)))");
    CHECK_EXPR("x = ANY(SELECT 1)",
               "(quantified = (name (ident x)) (subquery (query nil (select nil (list "
               "(literal op=1 1))))))");
    CHECK_EXPR("ts AT TIME ZONE 'UTC'", "(at_time_zone (name (ident ts)) (literal op=3 UTC))");
}

TEST(expr_literals_keep_source_text)
{
    CHECK_EXPR("1.50e-3", "(literal op=2 1.50e-3)");
    CHECK_EXPR("'it''s'", "(literal op=3 it's)");
    CHECK_EXPR("E'a\\tb'", "(literal op=4 a\tb)");
    CHECK_EXPR("X'ff'", "(literal op=5 ff)");
    CHECK_EXPR("$$x$$", "(literal op=7 x)");
    CHECK_EXPR("DATE '2020-01-01'", "(typed_literal op=3 2020-01-01 (type op=1 DATE))");
    CHECK_EXPR("TIMESTAMP WITH TIME ZONE '2020-01-01 00:00'",
               "(typed_literal op=3 2020-01-01 00:00 (type op=1 flags=0x1 TIMESTAMP))");
    CHECK_EXPR("INTERVAL '1 day 2 hours'", "(interval (literal op=3 1 day 2 hours))");
    CHECK_EXPR("INTERVAL 1 DAY", "(interval (literal op=1 1) (ident DAY))");
    CHECK_EXPR("$1", "(placeholder $1)");
    CHECK_EXPR("NULL", "(literal op=10)");
}

TEST(expr_identifiers_keep_case_and_quotes)
{
    CHECK_EXPR("\"My \"\"Col\"\"\"", "(name (ident op=34 My \"Col\"))");
    CHECK_EXPR("MyCol", "(name (ident MyCol))");
    CHECK_EXPR("`b`", "(name (ident op=96 b))");
}

TEST(expr_functions)
{
    CHECK_EXPR("count(*)", "(function (name (ident count)) (list (star)))");
    CHECK_EXPR("count(DISTINCT a)", "(function flags=0x2 (name (ident count)) (list (name "
                                    "(ident a))))");
    CHECK_EXPR("f(a => 1)", "(function (name (ident f)) (list (named_arg op=61 (ident a) "
                            "(literal op=1 1))))");
    CHECK_EXPR("CURRENT_DATE", "(function flags=0x10 (name (ident CURRENT_DATE)))");
    CHECK_EXPR("array_agg(x ORDER BY y DESC) FILTER (WHERE x > 0)",
               "(function (name (ident array_agg)) (list (name (ident x))) (list (order_item "
               "op=2 (name (ident y)))) (binary > (name (ident x)) (literal op=1 0)))");
    CHECK(sqlt_round_trips("SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) FROM t"));
    CHECK(sqlt_round_trips("SELECT sum(x) OVER (PARTITION BY a ORDER BY b RANGE BETWEEN "
                           "INTERVAL '1' DAY PRECEDING AND CURRENT ROW EXCLUDE CURRENT ROW)"));
    CHECK(sqlt_round_trips("SELECT first_value(x) IGNORE NULLS OVER w FROM t WINDOW w AS "
                           "(ORDER BY y GROUPS 2 PRECEDING)"));
    CHECK(sqlt_round_trips("SELECT extract(year FROM d), position('a' IN s), substring(s FROM "
                           "2 FOR 3), trim(LEADING 'x' FROM s), overlay(s PLACING 'y' FROM 1 "
                           "FOR 2), ceil(t TO DAY), substring('abc', 1, 2), trim(s)"));
}

TEST(expr_nested_data)
{
    CHECK_EXPR("[1, 2]", "(array (literal op=1 1) (literal op=1 2))");
    CHECK_EXPR("{'a': 1}", "(dict (dict_entry (ident op=39 a) (literal op=1 1)))");
    CHECK(sqlt_round_trips("SELECT make_array(1, 2), ARRAY[1], MAP {'k': 1}, struct(1 AS a, "
                           "'x' AS \"b\"), a[1][2], (s).f, x @> y, x <@ y, j -> 'k', j ->> 'k', "
                           "a ~ 'r', a !~* 'r', a[:2], a[1:2:1]"));
}

TEST(expr_casts_and_types)
{
    CHECK(sqlt_round_trips("SELECT CAST(a AS VARCHAR), TRY_CAST(b AS INT UNSIGNED), "
                           "CAST(c AS DECIMAL(10, 2)), d::DOUBLE PRECISION, e::TIMESTAMP(3), "
                           "CAST(f AS STRUCT<x INT, y ARRAY<VARCHAR>>), g::MAP<VARCHAR, INT>, "
                           "h::CHARACTER VARYING(10), i::STRING"));
    char dump[512];
    CHECK(sqlt_dump_expr("CAST(a AS ARRAY<ARRAY<INT>>)", dump, sizeof dump));
    CHECK_STR_EQ(dump, "(cast op=1 (name (ident a)) (type op=3 (type op=3 (type op=1 INT))))");
}

TEST(expr_case)
{
    CHECK_EXPR("CASE x WHEN 1 THEN 'a' ELSE 'b' END",
               "(case (name (ident x)) (list (when (literal op=1 1) (literal op=3 a))) "
               "(literal op=3 b))");
    CHECK(sqlt_round_trips("SELECT CASE WHEN a THEN 1 WHEN b THEN 2 END"));
}
