"""Prometheus text exposition, written by hand (a few counters and one histogram do not need
prometheus_client, whose multi-process mode would also need a shared directory under gunicorn).

Counters are per worker process, labelled with ``pid``: a scrape reaches one worker, and the
series of different workers are told apart and can be summed.
"""

from __future__ import annotations

import os
import threading
from collections import defaultdict

BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


class Metrics:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: defaultdict[tuple[str, str, int], int] = defaultdict(int)
        self._decisions: defaultdict[tuple[str, str], int] = defaultdict(int)
        self._duration_buckets: defaultdict[str, list[int]] = defaultdict(lambda: [0] * (len(BUCKETS) + 1))
        self._duration_sum: defaultdict[str, float] = defaultdict(float)

    def observe(self, endpoint: str, method: str, status: int, seconds: float) -> None:
        with self._lock:
            self._requests[(endpoint, method, status)] += 1
            buckets = self._duration_buckets[endpoint]
            for index, bound in enumerate(BUCKETS):
                if seconds <= bound:
                    buckets[index] += 1
                    break
            else:
                buckets[-1] += 1
            self._duration_sum[endpoint] += seconds

    def decision(self, endpoint: str, verdict: str) -> None:
        with self._lock:
            self._decisions[(endpoint, verdict)] += 1

    def render(self, audit_commits: int = 0, audit_records: int = 0) -> str:
        """The text exposition; ``audit_*``: the storage's group-commit counters for this process."""
        pid = os.getpid()
        lines = ["# HELP certmutual_gateway_requests_total HTTP requests answered, by endpoint, method and status.",
                 "# TYPE certmutual_gateway_requests_total counter"]
        with self._lock:
            for (endpoint, method, status), count in sorted(self._requests.items()):
                lines.append(f'certmutual_gateway_requests_total{{pid="{pid}",endpoint="{endpoint}",method="{method}",'
                             f'status="{status}"}} {count}')
            lines += ["# HELP certmutual_gateway_decisions_total Audited decisions, by endpoint and verdict.",
                      "# TYPE certmutual_gateway_decisions_total counter"]
            for (endpoint, verdict), count in sorted(self._decisions.items()):
                lines.append(f'certmutual_gateway_decisions_total{{pid="{pid}",endpoint="{endpoint}",verdict="{verdict}"}} {count}')
            lines += ["# HELP certmutual_gateway_request_duration_seconds Time to answer a request.",
                      "# TYPE certmutual_gateway_request_duration_seconds histogram"]
            for endpoint, buckets in sorted(self._duration_buckets.items()):
                running = 0
                for bound, count in zip(BUCKETS, buckets):
                    running += count
                    lines.append(f'certmutual_gateway_request_duration_seconds_bucket{{pid="{pid}",endpoint="{endpoint}",'
                                 f'le="{bound}"}} {running}')
                running += buckets[-1]
                lines.append(f'certmutual_gateway_request_duration_seconds_bucket{{pid="{pid}",endpoint="{endpoint}",le="+Inf"}} {running}')
                lines.append(f'certmutual_gateway_request_duration_seconds_sum{{pid="{pid}",endpoint="{endpoint}"}} '
                             f'{self._duration_sum[endpoint]:.6f}')
                lines.append(f'certmutual_gateway_request_duration_seconds_count{{pid="{pid}",endpoint="{endpoint}"}} {running}')
        lines += ["# HELP certmutual_gateway_audit_commits_total Audit transactions committed (each holds one or more records).",
                  "# TYPE certmutual_gateway_audit_commits_total counter",
                  f'certmutual_gateway_audit_commits_total{{pid="{pid}"}} {audit_commits}',
                  "# HELP certmutual_gateway_audit_records_total Audit records committed.",
                  "# TYPE certmutual_gateway_audit_records_total counter",
                  f'certmutual_gateway_audit_records_total{{pid="{pid}"}} {audit_records}']
        return "\n".join(lines) + "\n"
