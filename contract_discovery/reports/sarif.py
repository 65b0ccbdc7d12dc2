"""SARIF 2.1.0 envelope shared by ``scan`` and ``check`` (GitHub code scanning accepts it)."""

from __future__ import annotations

import hashlib
from typing import Any

from contract_discovery import __version__

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFO_URI = "https://github.com/contract-discovery/contract-discovery"


def fingerprint(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:32]


def rule(id: str, name: str, short: str, full: str, help_text: str, level: str = "warning",
         tags: list[str] | None = None) -> dict[str, Any]:
    return {
        "id": id,
        "name": name,
        "shortDescription": {"text": short},
        "fullDescription": {"text": full},
        "help": {"text": help_text, "markdown": help_text},
        "defaultConfiguration": {"level": level},
        "properties": {"tags": tags or ["contracts"]},
    }


def location(path: str, line: int | None = None, column: int | None = None, end_line: int | None = None,
             end_column: int | None = None, message: str | None = None) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": path, "uriBaseId": "%SRCROOT%"}}
    if line:
        region: dict[str, Any] = {"startLine": int(line)}
        if column:
            region["startColumn"] = int(column)
        if end_line:
            region["endLine"] = int(end_line)
        if end_column:
            region["endColumn"] = int(end_column)
        physical["region"] = region
    loc: dict[str, Any] = {"physicalLocation": physical}
    if message:
        loc["message"] = {"text": message}
    return loc


def log(rules: list[dict[str, Any]], results: list[dict[str, Any]], notifications: list[dict[str, Any]] | None = None,
        successful: bool = True) -> dict[str, Any]:
    index = {r["id"]: i for i, r in enumerate(rules)}
    for result in results:
        if result.get("ruleId") in index:
            result.setdefault("ruleIndex", index[result["ruleId"]])
    invocation: dict[str, Any] = {"executionSuccessful": successful}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "contract-discovery", "version": __version__,
                                "semanticVersion": __version__, "informationUri": INFO_URI, "rules": rules}},
            "invocations": [invocation],
            "columnKind": "utf16CodeUnits",
            "results": results,
        }],
    }


def notification(path: str, message: str, line: int | None = None, level: str = "warning") -> dict[str, Any]:
    return {"level": level, "message": {"text": message}, "locations": [location(path, line)]}
