"""Triage accuracy: emergency and category suggestion on the labelled sentences.

Runs `service.triage.suggest()` over `src/propdesk/service/data/triage_labelled.tsv` (hand-written
owner and hotline sentences, labelled: emergency 1/0, category code, split dev/test) and prints, for
the dev part (the one the dictionary was tuned on), the held-out test part and all: the emergency
confusion matrix, precision, recall and F1, and the category accuracy (exact code and top-level
code). Then it lists the mistakes. A suggestion of no category counts as "other".

Needs only the migrated categories and keywords, not the demo data: it uses a throw-away SQLite
database in var/. Run: `.venv/bin/python bench/triage_accuracy.py` (add `--mistakes=test` to list
only the held-out mistakes, `--mistakes=none` to list none).
"""

import json
import os
import sys
import time

from _setup import RESULTS, ROOT

DATA = ROOT / "src" / "propdesk" / "service" / "data" / "triage_labelled.tsv"


def load_rows(path=DATA):
    rows = []
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            if line.strip():
                rows.append(dict(zip(header, line.rstrip("\n").split("\t"), strict=True)))
    return rows


def evaluate(rows, suggest, top_level):
    """Run suggest() on each row; return per-split metrics and the mistakes."""
    results = []
    for row in rows:
        s = suggest(row["text"])
        code = s.category.code if s.category is not None else "other"
        results.append({**row, "got_emergency": s.emergency, "got_category": code, "reason": s.reason,
                        "matched": s.matched})
    metrics = {}
    for split in ("dev", "test", "all"):
        part = [r for r in results if split == "all" or r["split"] == split]
        tp = sum(1 for r in part if r["emergency"] == "1" and r["got_emergency"])
        fn = sum(1 for r in part if r["emergency"] == "1" and not r["got_emergency"])
        fp = sum(1 for r in part if r["emergency"] == "0" and r["got_emergency"])
        tn = sum(1 for r in part if r["emergency"] == "0" and not r["got_emergency"])
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        exact = sum(1 for r in part if r["got_category"] == r["category"])
        top = sum(1 for r in part if top_level(r["got_category"]) == top_level(r["category"]))
        metrics[split] = {
            "sentences": len(part), "emergencies": tp + fn, "tp": tp, "fn": fn, "fp": fp, "tn": tn,
            "precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3),
            "category_exact": round(exact / len(part), 3), "category_top_level": round(top / len(part), 3),
        }
    return metrics, results


def setup_django():
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "propdesk.settings.dev")
    path = ROOT / "var" / "bench-triage.sqlite3"
    path.parent.mkdir(exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        (path.parent / (path.name + suffix)).unlink(missing_ok=True)
    os.environ["SQLITE_PATH"] = str(path)
    os.environ.pop("DATABASE_URL", None)  # a throw-away SQLite database, whatever the environment says
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def main():
    show = "all"
    for arg in sys.argv[1:]:
        if arg.startswith("--mistakes="):
            show = arg.split("=", 1)[1]
    setup_django()
    from django.utils import translation

    from propdesk.service import triage
    from propdesk.service.models import Category

    translation.activate("en")
    parents = {c.code: (c.parent.code if c.parent_id else c.code)
               for c in Category.objects.filter(project=None).select_related("parent")}

    def top_level(code):
        return parents.get(code, code)

    rows = load_rows()
    start = time.perf_counter()
    triage.suggest("预热")  # the jieba dictionary loads once per process
    warm = time.perf_counter() - start
    start = time.perf_counter()
    metrics, results = evaluate(rows, triage.suggest, top_level)
    per_sentence_ms = (time.perf_counter() - start) * 1000 / len(rows)

    print(f"triage accuracy on {len(rows)} labelled sentences ({DATA.relative_to(ROOT)})")
    print(f"first call (jieba dictionary load) {warm:.2f} s; then {per_sentence_ms:.2f} ms per sentence\n")
    print("| split | sentences | emergencies | TP | FN | FP | TN | precision | recall | F1 "
          "| category exact | category top-level |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for split, m in metrics.items():
        print(f"| {split} | {m['sentences']} | {m['emergencies']} | {m['tp']} | {m['fn']} | {m['fp']} | {m['tn']} "
              f"| {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | {m['category_exact']:.3f} "
              f"| {m['category_top_level']:.3f} |")
    for split in ("dev", "test"):
        m = metrics[split]
        print(f"\n{split}: confusion matrix for emergency (rows: label, columns: suggestion)")
        print("              suggested E   suggested N")
        print(f"  emergency   {m['tp']:>11}   {m['fn']:>11}")
        print(f"  normal      {m['fp']:>11}   {m['tn']:>11}")

    if show != "none":
        print("\nmistakes (E = emergency; label → suggestion):")
        for r in results:
            if show not in ("all", r["split"]):
                continue
            wrong_e = (r["emergency"] == "1") != r["got_emergency"]
            wrong_c = top_level(r["got_category"]) != top_level(r["category"])
            if wrong_e or wrong_c:
                e = f"E {r['emergency']}→{int(r['got_emergency'])}" if wrong_e else "      "
                c = f"{r['category']}→{r['got_category']}" if wrong_c else ""
                print(f"  [{r['split']:>4}] {e} {c:<32} {r['text']}  ({r['reason']})")

    RESULTS.mkdir(parents=True, exist_ok=True)
    out = {"benchmark": "triage_accuracy", "sentences": len(rows), "metrics": metrics,
           "first_call_s": round(warm, 3), "per_sentence_ms": round(per_sentence_ms, 3)}
    (RESULTS / "triage_accuracy.json").write_text(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
