"""How much the fuzzed API run generates, and what it counted.

`make test` runs a small, fixed budget; `make fuzz` raises it with PROPDESK_FUZZ_EXAMPLES. The seed
is fixed (PROPDESK_FUZZ_SEED to change it), so a failure found once is found again.
"""

import json
import os
import threading
from collections import Counter

EXAMPLES = int(os.environ.get("PROPDESK_FUZZ_EXAMPLES", "5"))
SEED = int(os.environ.get("PROPDESK_FUZZ_SEED", "20261124"))
REPORT = os.environ.get("PROPDESK_FUZZ_REPORT", "")

CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
    "negative_data_rejection",
)


def config(*, coverage: bool = True) -> dict:
    """The Schemathesis configuration, as schemathesis.toml would spell it.

    The coverage phase (every boundary and every broken value of every parameter) is what finds
    the bugs of the schemas; it is run for staff. An owner is refused before any input is read, so
    their run skips it and keeps the random examples.
    """
    return {
        "seed": SEED,
        "suppress-health-check": ["too_slow", "filter_too_much", "data_too_large", "large_base_example"],
        "generation": {
            "mode": "all",  # valid and invalid data
            "max-examples": EXAMPLES,
            "deterministic": True,
            "database": "none",  # nothing written into the work tree
            "with-security-parameters": False,  # the token or the cookie is the test's own
        },
        "phases": {
            "examples": {"enabled": True},
            "coverage": {"enabled": coverage},
            "fuzzing": {"enabled": True},
            "stateful": {"enabled": False},
        },
        "checks": {name: {"enabled": True} for name in CHECKS}
        # Service rules legitimately refuse valid-looking data (404, 409, 422); tests/api and the
        # access matrix cover authentication, which would be replayed here without our credentials.
        | {"positive_data_acceptance": {"enabled": False}, "ignored_auth": {"enabled": False}},
    }


class Counts:
    """Operations reached, requests sent and failures seen, per identity (staff, owner)."""

    def __init__(self):
        self._lock = threading.Lock()
        self.operations: dict[str, set[str]] = {}
        self.requests: Counter = Counter()
        self.answered_2xx: Counter = Counter()
        self.failures: dict[str, set[str]] = {}

    def sent(self, who: str, label: str, status: int) -> None:
        with self._lock:
            self.operations.setdefault(who, set()).add(label)
            self.requests[who] += 1
            self.answered_2xx[who] += 200 <= status < 300

    def failed(self, who: str, label: str, reason: str) -> None:
        with self._lock:
            self.failures.setdefault(who, set()).add(f"{label}: {reason}")

    def as_dict(self) -> dict:
        return {
            "examples_per_operation": EXAMPLES, "seed": SEED,
            "runs": {who: {"operations": len(self.operations.get(who, ())),
                           "requests": self.requests[who],
                           "answered_2xx": self.answered_2xx[who],
                           "failures": sorted(self.failures.get(who, ()))}
                     for who in sorted(self.operations)},
        }

    def write(self) -> None:
        if REPORT:
            with open(REPORT, "w", encoding="utf-8") as f:
                json.dump(self.as_dict(), f, ensure_ascii=False, indent=2)


COUNTS = Counts()


def main(path: str) -> int:
    """Print the counts of a run (`make fuzz`): operations, requests sent, failures."""
    with open(path, encoding="utf-8") as f:
        report = json.load(f)
    print(f"fuzzed API: {report['examples_per_operation']} examples per operation, seed {report['seed']}")
    for who, run in report["runs"].items():
        print(f"  as {who}: {run['operations']} operations, {run['requests']} requests sent "
              f"({run.get('answered_2xx', 0)} answered 2xx), {len(run['failures'])} failures")
        for failure in run["failures"]:
            print(f"    - {failure}")
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1]))
