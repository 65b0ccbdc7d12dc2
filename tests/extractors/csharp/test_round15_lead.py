"""Round 15 (lead, from the second wave's company-communicator set): a Durable Functions retry policy
held by a static field of a settings class and handed to ``CallActivityWithRetryAsync`` in other files
is counted at each call with the field's ``maxNumberOfAttempts``."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan

CSPROJ = '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>\n'

SETTINGS = (
    "using System;\n"
    "using Microsoft.Azure.WebJobs.Extensions.DurableTask;\n"
    "namespace Acme.Prep\n"
    "{\n"
    "    public class FunctionSettings\n"
    "    {\n"
    "        public static readonly RetryOptions DefaultRetryOptions\n"
    "            = new RetryOptions(\n"
    "                firstRetryInterval: TimeSpan.FromSeconds(5),\n"
    "                maxNumberOfAttempts: 3);\n"
    "    }\n"
    "}\n")

ORCHESTRATION = (
    "using System.Threading.Tasks;\n"
    "using Microsoft.Azure.WebJobs.Extensions.DurableTask;\n"
    "namespace Acme.Prep.Export\n"
    "{\n"
    "    public class ExportOrchestration\n"
    "    {\n"
    "        public async Task Run(IDurableOrchestrationContext context)\n"
    "        {\n"
    "            await context.CallActivityWithRetryAsync(\n"
    "                \"UpdateExport\",\n"
    "                FunctionSettings.DefaultRetryOptions,\n"
    "                null);\n"
    "            await context.CallActivityAsync(\"Log\", null);\n"
    "        }\n"
    "    }\n"
    "}\n")


def _retries(tmp_path: Path, files: dict[str, str]):
    svc = tmp_path / "prep"
    (svc / "Export").mkdir(parents=True)
    (svc / "Prep.csproj").write_text(CSPROJ)
    for name, body in files.items():
        (svc / name).write_text(body)
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    return sorted((f.path.rsplit("/", 1)[-1], f.line, f.attributes.get("max_attempts"))
                  for f in result.findings if f.kind == "retry")


def test_a_static_retry_options_field_counts_at_the_calls_of_other_files(tmp_path: Path) -> None:
    found = _retries(tmp_path, {"FunctionSettings.cs": SETTINGS, "Export/ExportOrchestration.cs": ORCHESTRATION})
    assert ("ExportOrchestration.cs", 9, 3) in found
    assert not any(name == "ExportOrchestration.cs" and line == 13 for name, line, _ in found)  # no retry call


def test_a_field_whose_count_is_not_known_leaves_the_calls_unvalued(tmp_path: Path) -> None:
    other = SETTINGS.replace("maxNumberOfAttempts: 3", "maxNumberOfAttempts: attempts")
    found = _retries(tmp_path, {"FunctionSettings.cs": other, "Export/ExportOrchestration.cs": ORCHESTRATION})
    assert ("ExportOrchestration.cs", 9, None) in found
