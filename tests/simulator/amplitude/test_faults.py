"""Faults (``simulator/amplitude/faults.py``) as the model applies them: scripted and seeded
probabilistic answers, body variants, per-key rules, refused specs, the listed rules."""

from __future__ import annotations

import pytest

from simulator.amplitude import AmplitudeModel, Fault
from tests.simulator.amplitude.conftest import make_event, upload


def test_scripted_faults_answer_the_next_n_requests_without_ingesting(model):
    model.add_fault(Fault(status=503, count=2))
    assert upload(model, [make_event(0)]).body == {"code": 503, "error": "Service Unavailable"}
    assert upload(model, [make_event(1)]).status == 503
    assert upload(model, [make_event(2)]).status == 200
    assert model.count(outcome="ingested") == 1


def test_fault_variants_text_no_code_and_after(model):
    model.add_fault(Fault(status=502, body="text", count=1))
    text = upload(model, [make_event(0)])
    assert text.body is None and "502" in (text.text or "")
    model.add_fault(Fault(status=200, body="no_code", after=True, count=1))
    silent = upload(model, [make_event(1)])
    assert silent.status == 200 and "code" not in silent.body
    assert silent.body["events_ingested"] == 1
    assert model.count(outcome="ingested") == 1
    model.add_fault(Fault(latency_ms=250, drop=True, count=1))
    cut = upload(model, [make_event(2)])
    assert cut.drop and cut.latency_s == 0.25


def test_probabilistic_faults_repeat_with_the_seed(clock):
    def run() -> list[int]:
        model = AmplitudeModel(clock, seed=7)
        model.add_fault(Fault(status=500, probability=0.5))
        return [upload(model, [make_event(i)]).status for i in range(40)]

    first = run()
    assert first == run()
    assert 5 < first.count(500) < 35


@pytest.mark.parametrize("bad", [{"status": 42}, {"count": 0}, {"probability": 2}, {}])
def test_bad_faults_are_refused(bad):
    with pytest.raises(ValueError):
        Fault(**bad)


def test_faults_can_target_one_key(model):
    model.add_fault(Fault(status=500, api_key="key-0002"))
    assert upload(model, [make_event(0)]).status == 200
    assert upload(model, [make_event(1)], key="key-0002").status == 500


def test_fault_rules_list_the_active_rules_in_order(model):
    model.add_fault(Fault(status=503, count=1))
    model.add_fault(Fault(drop=True, api_key="k"))
    assert [(r["status"], r["drop"]) for r in model.fault_rules()] == [(503, False), (None, True)]
