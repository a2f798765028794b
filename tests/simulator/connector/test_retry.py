import random

import pytest

from simulator.connector.retry import RULES, Reaction, RetryPolicy, classify


@pytest.mark.parametrize(
    ("status", "body", "reaction"),
    [
        (200, {"code": 200}, Reaction.DELIVERED),
        (204, None, Reaction.DELIVERED),
        (400, {"code": 400, "error": "Invalid API key: k123"}, Reaction.CREDENTIALS),
        (401, None, Reaction.CREDENTIALS),
        (403, {"code": 403, "error": "Forbidden"}, Reaction.CREDENTIALS),
        (404, None, Reaction.CREDENTIALS),
        (400, {"code": 400, "error": "Invalid field values on some events"}, Reaction.SPLIT_SINGLE),
        (400, None, Reaction.SPLIT_SINGLE),
        (413, {"code": 413, "error": "Payload too large"}, Reaction.SPLIT_HALF),
        (429, {"code": 429, "throttled_events": [1]}, Reaction.THROTTLED),
        (500, None, Reaction.BACKOFF),
        (503, {"code": 503}, Reaction.BACKOFF),
        (418, {"code": 418}, Reaction.BACKOFF),
        (0, None, Reaction.BACKOFF),
    ],
)
def test_each_response_gets_the_matrix_reaction(status, body, reaction):
    assert classify(status, body).reaction is reaction


def test_every_rule_says_why():
    assert all(rule.reason for rule in RULES)
    assert RULES[-1].statuses is None  # the catch-all row comes last


def test_backoff_grows_exponentially_with_bounded_jitter():
    policy = RetryPolicy(backoff_base_s=30, backoff_factor=2, backoff_cap_s=600, backoff_jitter=0.5)
    rng = random.Random(1)
    for attempt, base in [(1, 30), (2, 60), (3, 120), (4, 240), (5, 480), (6, 600), (9, 600)]:
        waits = [policy.backoff(attempt, rng) for _ in range(200)]
        assert min(waits) >= base
        assert max(waits) <= base * 1.5
        assert max(waits) > min(waits)  # jitter is there


def test_credentials_retry_is_two_to_five_minutes():
    rng = random.Random(2)
    waits = [RetryPolicy().credentials_retry(rng) for _ in range(500)]
    assert 120 <= min(waits) < 150
    assert 270 < max(waits) <= 300
