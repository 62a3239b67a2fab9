"""The pacer behind the judges' live counts: at most one build per interval per arena, none lost."""

from __future__ import annotations

from leitai.live.pacer import Pacer


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_requests_within_the_interval_fold_into_one_run_at_its_end():
    clock, runs, timers = Clock(), [], []
    pacer = Pacer(0.5, runs.append, clock=clock, timer=lambda delay, fn: timers.append((delay, fn)))
    pacer.request(7)
    assert runs == [7] and timers == []          # the first runs at once
    clock.now += 0.1
    pacer.request(7)
    pacer.request(7)
    pacer.request(8)                              # another arena is not held back
    assert runs == [7, 8] and len(timers) == 1 and abs(timers[0][0] - 0.4) < 1e-9
    clock.now += 0.4
    timers.pop()[1]()
    assert runs == [7, 8, 7]                      # one run for the three requests, after them
    clock.now += 0.2
    pacer.request(7)
    assert len(timers) == 1 and runs == [7, 8, 7]
    clock.now += 0.3
    timers.pop()[1]()
    assert runs == [7, 8, 7, 7]


def test_interval_zero_runs_every_request_and_a_failing_job_is_logged_not_raised(caplog):
    def job(key):
        raise RuntimeError("boom")

    pacer = Pacer(0, job)
    pacer.request(1)
    pacer.request(1)
    assert caplog.text.count("paced job for 1 failed") == 2
