"""The Server-Sent Events reader (``clients/sse.py``): messages framed by blank lines, ``event``
and ``data`` fields, comments and other fields skipped."""

from __future__ import annotations

from clients.sse import sse_messages


def test_each_message_gives_its_event_and_parsed_data():
    lines = ["event: entries", 'data: [{"seq": 1}]', "", "event: stats", 'data: {"n": 2}', ""]
    assert list(sse_messages(lines)) == [("entries", [{"seq": 1}]), ("stats", {"n": 2})]


def test_a_message_without_an_event_field_is_a_message():
    assert list(sse_messages(["data: 7", ""])) == [("message", 7)]


def test_data_lines_of_one_message_join_with_newlines():
    assert list(sse_messages(["data: [1,", "data: 2]", ""])) == [("message", [1, 2])]


def test_comments_retry_and_id_lines_are_skipped():
    lines = [": keep-alive", "retry: 1000", "id: 3:1", "event: end", "data: {}", ""]
    assert list(sse_messages(lines)) == [("end", {})]


def test_an_unfinished_message_is_not_given():
    assert list(sse_messages(["event: entries", "data: []"])) == []
