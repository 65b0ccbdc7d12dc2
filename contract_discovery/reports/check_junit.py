"""``check --format junit``: one test case per rule and service pair, so CI dashboards show the
contract gate beside the unit tests. Results at or above ``--fail-on`` are failures; contract
problems are errors."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from contract_discovery.checks.engine import FAIL_ON, CheckReport


def render(report: CheckReport, fail_on: str = "blocks") -> str:
    failing_statuses = FAIL_ON.get(fail_on, FAIL_ON["blocks"])
    suite = ET.Element("testsuite", name="contract-discovery")
    failures = errors = skipped = 0
    for r in report.results:
        case = ET.SubElement(suite, "testcase", classname=f"contracts.{r.rule}",
                             name=f"{r.consumer or '?'} -> {r.provider or '?'}: {r.title}")
        body = (f"expected: {r.expected}\nactual: {r.actual}\nstatus: {r.status}\naction: {r.action}\n"
                + "".join(f"at {loc.path}:{loc.line}\n" for loc in r.locations))
        if r.status in failing_statuses:
            failures += 1
            element = ET.SubElement(case, "failure", message=f"{r.status}: {r.title}", type=r.status)
            element.text = body
        else:
            out = ET.SubElement(case, "system-out")
            out.text = body
    for s in report.suppressed:
        case = ET.SubElement(suite, "testcase", classname=f"contracts.{s.result.rule}",
                             name=f"{s.result.consumer or '?'} -> {s.result.provider or '?'}: {s.result.title}")
        ET.SubElement(case, "skipped", message=f"suppressed ({s.reason})")
        skipped += 1
    for issue in report.issues:
        case = ET.SubElement(suite, "testcase", classname="contracts.files", name=f"{issue.path}")
        element = ET.SubElement(case, "error", message=issue.message, type=issue.kind)
        element.text = issue.render()
        errors += 1
    if not len(suite):
        ET.SubElement(suite, "testcase", classname="contracts", name="no conflicts")
    suite.set("tests", str(len(suite)))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    suite.set("skipped", str(skipped))
    suites = ET.Element("testsuites", name="contract-discovery", tests=suite.get("tests", "0"),
                        failures=str(failures), errors=str(errors))
    suites.append(suite)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
