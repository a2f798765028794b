"""The report as text: a terminal summary, JUnit XML (one test case per rule) and a
self-contained HTML page (a table per rule). Pure functions returning strings; every piece of
user data (event ids, explanations quoting received values) is escaped for its format.
"""

from __future__ import annotations

import html
import re
from typing import Any
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from simulator.conformance.report import Report, RuleResult

_MARK = {True: "PASS", False: "FAIL", None: "SKIP"}
_SUMMARY_KEYS = ("produced", "expected", "received", "matched", "missing", "extra",
                 "duplicated", "mismatched", "requests")  # fmt: skip


# Characters XML 1.0 cannot carry at all (control characters, lone surrogates, U+FFFE/F).
_XML_INVALID = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(text: str) -> str:
    """Escape for XML and drop characters XML 1.0 cannot carry at all."""
    return xml_escape(_XML_INVALID.sub("\ufffd", text))


def _summary_line(summary: dict[str, Any]) -> str:
    parts = [f"{key} {summary[key]}" for key in _SUMMARY_KEYS if key in summary]
    skipped = summary.get("skipped")
    if skipped:
        parts.append("skipped " + ", ".join(f"{k}: {v}" for k, v in skipped.items()))
    return "; ".join(parts)


def terminal(report: Report) -> str:
    lines = [f"conformance: {_summary_line(report.summary)}"]
    width = max(len(r.rule.id) for r in report.results)
    skipped: dict[str, list[str]] = {}
    for result in report.results:
        mark = _MARK[result.passed]
        count = f"{result.count:>7}" if result.passed is not None else f"{'-':>7}"
        lines.append(f"  {mark}  {result.rule.id:<{width}}  {count}  {result.rule.title}")
        if result.passed is None:
            skipped.setdefault(result.skipped or "", []).append(result.rule.id)
        if result.passed is False:
            for finding in result.examples:
                lines.append(f"          {finding.event_id or '-'}: {finding.explanation}")
    for why, rules in skipped.items():
        lines.append(f"  SKIP: {', '.join(rules)}: {why}")
    verdict = "clean" if report.clean else f"{len(report.failed)} rule(s) failed"
    lines.append(f"conformance: {verdict}")
    return "\n".join(lines) + "\n"


def _failure_text(result: RuleResult) -> str:
    rows = [f"{f.event_id or '-'}: {f.explanation}" for f in result.examples]
    more = result.count - len(result.examples)
    if more > 0:
        rows.append(f"... and {more} more")
    return "\n".join(rows)


def junit(report: Report, suite: str = "currents-sim conformance") -> str:
    failures = len(report.failed)
    skipped = sum(1 for r in report.results if r.passed is None)
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f"<testsuites name={quoteattr(suite)} tests=\"{len(report.results)}\" "
           f"failures=\"{failures}\" skipped=\"{skipped}\">",
           f"  <testsuite name={quoteattr(suite)} tests=\"{len(report.results)}\" "
           f"failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\">"]  # fmt: skip
    for result in report.results:
        rule = result.rule
        name = quoteattr(f"{rule.id}: {_xml_text(rule.title)}")
        classname = quoteattr(f"conformance.{rule.kind}")
        out.append(f"    <testcase classname={classname} name={name}>")
        if result.passed is False:
            message = quoteattr(_xml_text(f"{result.count} finding(s): {rule.checks}"))
            out.append(f"      <failure message={message} type={quoteattr(rule.severity)}>"
                       f"{_xml_text(_failure_text(result))}</failure>")  # fmt: skip
        elif result.passed is None:
            out.append(f"      <skipped message={quoteattr(_xml_text(result.skipped or ''))}/>")
        out.append("    </testcase>")
    out += ["  </testsuite>", "</testsuites>"]
    return "\n".join(out) + "\n"


_CSS = """
body{font-family:system-ui,sans-serif;margin:2em;color:#222}
h1{font-size:1.4em} h2{font-size:1.1em;margin-top:1.6em}
table{border-collapse:collapse;margin:.4em 0 1em} td,th{border:1px solid #ccc;padding:.25em .6em;
text-align:left;vertical-align:top} th{background:#f3f3f3}
.PASS{color:#1a7f37;font-weight:bold} .FAIL{color:#cf222e;font-weight:bold}
.SKIP{color:#777;font-weight:bold} code{font-size:.95em} .muted{color:#666}
"""


def html_page(report: Report, title: str = "Conformance report") -> str:
    esc = html.escape
    verdict = "clean" if report.clean else f"{len(report.failed)} rule(s) failed"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{esc(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{esc(title)}: {esc(verdict)}</h1>",
        f"<p>{esc(_summary_line(report.summary))}</p>",
        "<table><tr><th>Result</th><th>Rule</th><th>Severity</th><th>Count</th><th>Title</th></tr>",
    ]
    for r in report.results:
        mark = _MARK[r.passed]
        parts.append(
            f'<tr><td class="{mark}">{mark}</td><td><a href="#{esc(r.rule.id)}">'
            f"<code>{esc(r.rule.id)}</code></a></td><td>{esc(r.rule.severity)}</td>"
            f"<td>{r.count}</td><td>{esc(r.rule.title)}</td></tr>"
        )
    parts.append("</table>")
    for r in report.results:
        parts.append(_rule_section(r))
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _rule_section(r: RuleResult) -> str:
    esc = html.escape
    mark = _MARK[r.passed]
    head = (
        f'<h2 id="{esc(r.rule.id)}"><span class="{mark}">{mark}</span> '
        f"<code>{esc(r.rule.id)}</code>: {esc(r.rule.title)}</h2>"
        f'<p class="muted">Checks: {esc(r.rule.checks)}. Severity: {esc(r.rule.severity)}.</p>'
    )
    if r.passed is None:
        return head + f"<p>Not evaluated: {esc(r.skipped or '')}</p>"
    if not r.examples:
        return head + "<p>No findings.</p>"
    rows = "".join(
        f"<tr><td><code>{esc(f.event_id or '-')}</code></td><td>{esc(f.explanation)}</td></tr>"
        for f in r.examples
    )
    more = r.count - len(r.examples)
    tail = f'<p class="muted">... and {more} more</p>' if more > 0 else ""
    return head + f"<table><tr><th>Event id</th><th>Explanation</th></tr>{rows}</table>{tail}"
