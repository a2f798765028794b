"""Seeded randomness (``simulator.rng``): one seed gives every purpose a stream of its own, the
same from run to run."""

from __future__ import annotations

from simulator.rng import derive, make_rng


def test_a_derived_stream_is_the_same_from_run_to_run() -> None:
    # sha256 of "0:stream" seeds it: no hash randomisation, no interpreter state
    assert derive(0, "stream").random() == 0.019959079029704396


def test_each_purpose_gets_a_stream_of_its_own() -> None:
    draws = {name: derive(7, name).getrandbits(64) for name in ("stream", "faults", "population")}
    assert len(set(draws.values())) == 3
    assert derive(7, "stream").getrandbits(64) == draws["stream"]


def test_no_seed_still_repeats_as_seed_0() -> None:
    assert make_rng(None).random() == make_rng(0).random() == make_rng(None).random()
