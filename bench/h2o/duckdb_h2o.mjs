// duckdb_h2o.mjs — the H2O.ai db-benchmark groupby questions on DuckDB, the
// peer of bench_h2o_quiver (bench/h2o). Same data, same queries, same
// measure: each query RUNS times, best wall-clock time kept; a run produces
// the whole result inside the engine (a materialized result, not converted
// to JavaScript values). An untimed query then sums the measure columns
// db-benchmark checks. Prints the same lines as the Quiver driver:
//   load duckdb_s=<s> rows=<n>
//   q1 duckdb_s=<s> rows=<result rows> chk=<sum>[;<sum>...]
//
//   node duckdb_h2o.mjs FILE.csv [-r RUNS] [-q q1,q2,...] [-t THREADS]
import { DuckDBInstance } from '@duckdb/node-api';

// [id, the measure columns checked, SQL], as db-benchmark's DuckDB solution.
const questions = [
  ['q1', ['v1'], 'SELECT id1, sum(v1) AS v1 FROM x GROUP BY id1'],
  ['q2', ['v1'], 'SELECT id1, id2, sum(v1) AS v1 FROM x GROUP BY id1, id2'],
  ['q3', ['v1', 'v3'], 'SELECT id3, sum(v1) AS v1, avg(v3) AS v3 FROM x GROUP BY id3'],
  ['q4', ['v1', 'v2', 'v3'],
    'SELECT id4, avg(v1) AS v1, avg(v2) AS v2, avg(v3) AS v3 FROM x GROUP BY id4'],
  ['q5', ['v1', 'v2', 'v3'],
    'SELECT id6, sum(v1) AS v1, sum(v2) AS v2, sum(v3) AS v3 FROM x GROUP BY id6'],
  ['q6', ['median_v3', 'sd_v3'],
    'SELECT id4, id5, median(v3) AS median_v3, stddev(v3) AS sd_v3 FROM x GROUP BY id4, id5'],
  ['q7', ['range_v1_v2'], 'SELECT id3, max(v1) - min(v2) AS range_v1_v2 FROM x GROUP BY id3'],
  ['q8', ['largest2_v3'],
    'SELECT id6, v3 AS largest2_v3 FROM (SELECT id6, v3, row_number() OVER (PARTITION BY id6 ' +
    'ORDER BY v3 DESC) AS order_v3 FROM x WHERE v3 IS NOT NULL) sub_query WHERE order_v3 <= 2'],
  ['q9', ['r2'], 'SELECT id2, id4, power(corr(v1, v2), 2) AS r2 FROM x GROUP BY id2, id4'],
  ['q10', ['v3', 'count'],
    'SELECT id1, id2, id3, id4, id5, id6, sum(v3) AS v3, count(*) AS count FROM x ' +
    'GROUP BY id1, id2, id3, id4, id5, id6'],
];

function usage() {
  console.error('usage: node duckdb_h2o.mjs FILE.csv [-r RUNS] [-q q1,q2,...] [-t THREADS]');
  process.exit(2);
}

const args = process.argv.slice(2);
if (args.length < 1) usage();
const path = args[0];
let runs = 3, only = null, threads = 0;
for (let i = 1; i < args.length; i += 2) {
  if (i + 1 >= args.length) usage();
  if (args[i] === '-r') runs = Number(args[i + 1]);
  else if (args[i] === '-q') only = new Set(args[i + 1].split(','));
  else if (args[i] === '-t') threads = Number(args[i + 1]);
  else usage();
}

const seconds = () => Number(process.hrtime.bigint()) / 1e9;

const instance = await DuckDBInstance.create(':memory:');
const conn = await instance.connect();
if (threads > 0) await conn.run(`SET threads = ${threads}`);

let start = seconds();
const quoted = path.replaceAll("'", "''");
await conn.run(`CREATE TABLE x AS SELECT * FROM read_csv('${quoted}', header = true)`);
const loaded = await conn.runAndReadAll('SELECT count(*) FROM x');
console.log(`load duckdb_s=${(seconds() - start).toFixed(3)} rows=${loaded.getRows()[0][0]}`);

for (const [id, check, sql] of questions) {
  if (only && !only.has(id)) continue;
  let best = Infinity, rows = 0;
  try {
    for (let run = 0; run < runs; run++) {
      start = seconds();
      const result = await conn.run(sql);
      rows = result.rowCount;
      best = Math.min(best, seconds() - start);
    }
    // The answer check, untimed: sums of the measure columns.
    const sums = check.map((c) => `sum("${c}")::DOUBLE`).join(', ');
    const chk = await conn.runAndReadAll(`SELECT ${sums} FROM (${sql}) t`);
    const values = chk.getRows()[0].map((v) => (v === null ? 'null' : String(Number(v))));
    console.log(`${id} duckdb_s=${best.toFixed(3)} rows=${rows} chk=${values.join(';')}`);
  } catch (e) {
    console.log(`${id} duckdb=unsupported (${String(e.message).split('\n')[0]})`);
  }
}
conn.closeSync();
