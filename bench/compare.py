"""propdesk and django-helpdesk side by side on the same database, in one run: one table.

    .venv/bin/python bench/compare.py --db sqlite
    DATABASE_URL=postgres://…/propdesk HELPDESK_DATABASE_URL=postgres://…/helpdesk \\
        .venv/bin/python bench/compare.py --db postgres
    .venv/bin/python bench/compare.py --db sqlite --pairs 7     # only the intake, in alternating pairs

Needs both datasets (see docs/performance.md, "Service desk at 1,000,000 work orders"):
bench/dataset.py for propdesk, bench/helpdesk/helpdesk_bench.py setup + seed for django-helpdesk.
Runs, in this order and one at a time: the bare endpoint and propdesk's intake at full load and
at a fixed --rate (bench/intake_throughput.py), the queue (bench/queue_page.py), the SLA sweep (bench/sla_sweep.py),
then django-helpdesk's intake, list and escalation. Medians of --rounds runs for the load tests and
the sweeps. Every load test goes to 127.0.0.1 and lasts --seconds (≤ 15).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"


def run(args, env):
    print("$ " + " ".join(str(a) for a in args), flush=True)
    subprocess.check_call([str(a) for a in args], env=env, cwd=HERE.parent)
    time.sleep(3)  # idle between benchmarks


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", choices=["sqlite", "postgres"], required=True)
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--rate", default="50", help="creations/s of the fixed-rate intake runs")
    ap.add_argument("--skip-helpdesk", action="store_true")
    ap.add_argument("--pairs", type=int, default=0,
                    help="instead of the whole comparison: N pairs of one full-load intake round each, "
                         "propdesk then django-helpdesk, alternating, so both meet the machine's same moments")
    args = ap.parse_args()
    py = sys.executable
    env = dict(os.environ)
    hd_env = dict(os.environ)
    if args.db == "sqlite":
        env.pop("DATABASE_URL", None)
        hd_env.pop("DATABASE_URL", None)
        vendor = "sqlite"
    else:
        if not env.get("DATABASE_URL") or not env.get("HELPDESK_DATABASE_URL"):
            sys.exit("--db postgres needs DATABASE_URL (propdesk) and HELPDESK_DATABASE_URL (django-helpdesk)")
        hd_env["DATABASE_URL"] = env["HELPDESK_DATABASE_URL"]
        vendor = "postgresql"
    rounds, secs = str(args.rounds), str(args.seconds)
    if args.pairs:
        print(pairs(args.pairs, secs, vendor, env, hd_env))
        return
    run([py, HERE / "intake_throughput.py", "--seconds", secs, "--rounds", rounds, "--rate", args.rate], env)
    run([py, HERE / "queue_page.py"], env)
    run([py, HERE / "sla_sweep.py", "--rounds", rounds], env)
    if not args.skip_helpdesk:
        run([py, HERE / "helpdesk" / "helpdesk_bench.py", "measure", "--seconds", secs, "--rounds", rounds,
             "--rate", args.rate], hd_env)
    print(table(vendor, args.skip_helpdesk))


def _intake_round(args, env) -> dict:
    print("$ " + " ".join(str(a) for a in args), flush=True)
    out = subprocess.run([str(a) for a in args], env=env, cwd=HERE.parent, check=True, capture_output=True,
                         text=True).stdout
    print(out, end="", flush=True)
    time.sleep(3)
    return json.loads(next(line for line in out.splitlines() if line.startswith("INTAKE "))[7:])


def pairs(n: int, secs: str, vendor: str, env, hd_env) -> str:
    """Created rows/s at full load, propdesk and django-helpdesk one round each in turn, n times: the
    machine's speed drifts over minutes (other work on the host), so each pair's ratio compares like with
    like; the result is the median of the pairs' ratios."""
    py = sys.executable
    rows = []
    for i in range(n):
        ours = _intake_round([py, HERE / "intake_throughput.py", "--intake-only", "--rounds", "1",
                              "--seconds", secs], env)["created_s"][0]
        theirs = _intake_round([py, HERE / "helpdesk" / "helpdesk_bench.py", "intake", "--rounds", "1",
                                "--seconds", secs], hd_env)["created_s"][0]
        rows.append({"propdesk": ours, "helpdesk": theirs, "ratio": round(ours / theirs, 2)})
        print(f"pair {i + 1}: propdesk {ours:,.0f} created/s, django-helpdesk {theirs:,.0f} created/s, "
              f"ratio {ours / theirs:.2f}", flush=True)
    med = {k: statistics.median(r[k] for r in rows) for k in ("propdesk", "helpdesk", "ratio")}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"pairs-{vendor}.json").write_text(json.dumps({"pairs": rows, "median": med}, indent=2))
    return (f"## {vendor}: {n} pairs of full-load intake rounds (wrk -t2 -c8, {secs} s each)\n\n"
            f"created rows/s, medians: propdesk {med['propdesk']:,.0f}, django-helpdesk {med['helpdesk']:,.0f}; "
            f"median of the pairs' ratios {med['ratio']:.2f} (aim ≥ 2); pairs: "
            + ", ".join(f"{r['propdesk']:,.0f}/{r['helpdesk']:,.0f}" for r in rows))


def table(vendor: str, skip_helpdesk: bool = False) -> str:
    load = lambda name: json.loads((RESULTS / f"{name}-{vendor}.json").read_text())  # noqa: E731
    intake, queue, sweep = load("intake"), load("queue"), load("sla_sweep")
    hd = None if skip_helpdesk else load("helpdesk")
    na = "—"
    rows = [
        ("rows", f"{intake['work_orders']:,} work orders", f"{hd['tickets']:,} tickets" if hd else na),
        ("intake, requests/s (median)", f"{intake['intake_req_s']:,}", f"{hd['intake_req_s']:,}" if hd else na),
        ("intake, created rows/s (counted in the DB)", f"{intake['intake_created_s']:,}",
         f"{hd['intake_created_s']:,}" if hd else na),
        ("intake p50 / p95 / p99 ms", f"{intake['intake_p50_ms']} / {intake['intake_p95_ms']} / {intake['intake_p99_ms']}",
         f"{hd['intake_p50_ms']} / {hd['intake_p95_ms']} / {hd['intake_p99_ms']}" if hd else na),
        (f"intake at a fixed {intake.get('fixed_rate', 50):g}/s: achieved/s, rows in the DB (median)",
         f"{intake['fixed_achieved_s']} ({intake['fixed_created']:,} rows)" if "fixed_p95_ms" in intake else na,
         f"{hd['fixed_achieved_s']} ({hd['fixed_created']:,} rows)" if hd and "fixed_p95_ms" in hd else na),
        ("… p50 / p95 / p99 ms (aim p95 ≤ 100)",
         f"{intake['fixed_p50_ms']} / {intake['fixed_p95_ms']} / {intake['fixed_p99_ms']}"
         if "fixed_p95_ms" in intake else na,
         f"{hd['fixed_p50_ms']} / {hd['fixed_p95_ms']} / {hd['fixed_p99_ms']}" if hd and "fixed_p95_ms" in hd
         else na),
        ("bare Django+Ninja endpoint, requests/s", f"{intake['baseline_req_s']:,}", na),
        ("intake ÷ bare endpoint (aim ≥ 0.5)", f"{intake['ratio']:.2f}", na),
        ("queue page p50 / p95 ms (aim p95 < 50)", f"{queue['page_p50_ms']} / {queue['page_p95_ms']}", na),
        ("list JSON p50 / p95 ms", f"{queue['api_p50_ms']} / {queue['api_p95_ms']} (API list)",
         f"{hd['list']['p50_ms']} / {hd['list']['p95_ms']} (datatables JSON)" if hd else na),
        ("queries per list request", f"{queue['page_queries']} (page), {queue['api_queries']} (API)",
         f"{hd['list']['queries']}" if hd else na),
        ("SLA sweep / escalation, nothing due, ms", f"{sweep['idle_p50_ms']}",
         f"{hd['escalation']['idle_p50_ms']}" if hd else na),
        (f"SLA sweep / escalation, {sweep['due']:,} due, ms (median)", f"{sweep['due_median_ms']:,}",
         f"{hd['escalation']['due_median_ms']:,} ({hd['escalation']['due']:,} due)" if hd else na),
        ("… timers (tickets) per second", f"{sweep['due_timers_per_s']:,}",
         f"{hd['escalation']['due_per_s']:,}" if hd else na),
    ]
    out = [f"## {vendor}", "", "| | propdesk | django-helpdesk 2.6.1 |", "|---|---|---|"]
    out += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    out.append("")
    out.append(f"runs: propdesk intake created/s {intake['intake_runs_created_s']}, fixed-rate p95 ms "
               f"{intake.get('fixed_runs_p95_ms')}, bare endpoint req/s "
               f"{intake['baseline_runs_req_s']}, sweep ms {sweep['due_runs_ms']}"
               + (f"; helpdesk intake created/s {hd['intake_runs_created_s']}, fixed-rate p95 ms "
                  f"{hd.get('fixed_runs_p95_ms')}, escalation ms "
                  f"{hd['escalation']['due_runs_ms']}" if hd else ""))
    return "\n".join(out)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--table":
        print(table(sys.argv[2]))
    else:
        main()
