"""The Terraform extractor: cloud infrastructure settings that are contracts between services.

It reads ``.tf`` files with tree-sitter-hcl and reports Lambda, API Gateway, SQS, Step Functions
and load balancer timeouts, queue -> function wiring, SQS redelivery, RDS read replicas, and the
Google Cloud (Pub/Sub, Cloud Run, Cloud Functions, Cloud Tasks, Cloud Scheduler) and Azure
(Service Bus, Event Grid, Application Gateway) counterparts. Each
finding carries ``resource`` (the Terraform address, e.g. ``aws_lambda_function.risk``) so the
infrastructure checks (``contract_discovery.checks.infra``) can join the pieces of one module.

Values: literals are settled here; ``var.x`` / ``local.x`` stay ``Pending`` and the file
publishes its variable defaults and locals in ``FileResult.symbols`` under ``var.<name>`` /
``local.<name>``. ``FileResult.module`` is the file's directory (a Terraform module), so the
core resolver joins the files of one directory; ``.tfvars`` values (extractors/tfvars) and the
inputs a local module call passes (``$module:`` symbols) win over a variable's default.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import replace

from contract_discovery.model import ErrorEntry, FileResult, Finding, Pending
from contract_discovery.resolve import KEEP_IF
from contract_discovery.values import BinOp, Call, Expr, Num, Ref, Str, Unknown
from extractors import treesitter as ts
from extractors.base import Extractor
from extractors.cloudformation.extractor import template_var
from extractors.terraform import hcl, terragrunt
from extractors.terraform.context import TerraformFile
from extractors.terraform.detectors import (
    api_gateway, aws_jobs, azure, cli_deploy, cloudfront, connection_strings, container_settings, event_source_mapping,
    event_target, firehose, gcp, gcp_workflows, kubernetes_annotations, lambda_function, load_balancer, module_inputs,
    rds_proxy, rds_replica, sns_delivery, sqs_queue, step_functions,
)

_RESOURCE_DETECTORS = {}
_MODULE_DETECTORS = []
for _module in (lambda_function, api_gateway, sqs_queue, load_balancer, event_source_mapping, rds_replica,
                event_target, cloudfront, step_functions, gcp, azure, sns_delivery, rds_proxy,
                kubernetes_annotations, aws_jobs, gcp_workflows, container_settings, firehose,
                cli_deploy):  # round 16: gcloud deploys in local-exec provisioners
    for _type in _module.RESOURCE_TYPES:
        _RESOURCE_DETECTORS.setdefault(_type, []).append(_module.detect)
    for _source in getattr(_module, "MODULE_SOURCES", ()):
        _MODULE_DETECTORS.append((_source, _module.detect))


class TerraformExtractor(Extractor):
    name = "terraform"
    language = "terraform"
    extensions = (".tf", ".hcl")  # .hcl: Terragrunt (round 15)
    filenames = ()
    # Any resource a detector reads, plus the blocks that define values other files resolve.
    prefilter_tokens = (
        b"aws_lambda", b"aws_api_gateway", b"aws_apigatewayv2", b"aws_sqs", b"aws_lb", b"aws_alb",
        b"aws_elb", b"aws_db_instance", b"aws_rds_cluster", b"terraform-aws-modules",
        b"variable", b"locals", b"x-amazon-apigateway-integration", b"module", b"aws_cloudwatch_event_target",
        b"aws_scheduler_schedule", b"aws_cloudfront_distribution", b"aws_sfn_state_machine",
        b"aws_sns_topic", b"aws_db_proxy", b"aws_pipes_pipe",
        b"kubernetes_ingress", b"kubernetes_service", b"aws_batch_job_definition", b"aws_glue_job",
        *(t.encode() for t in gcp.RESOURCE_TYPES), *(t.encode() for t in azure.RESOURCE_TYPES),
        b"google_workflows_workflow", b"aws_ecs_task_definition", b"aws_kinesis_firehose_delivery_stream",
        b"inputs",  # round 15: Terragrunt's inputs = {...}
        b"local-exec",  # round 16: gcloud deploys in provisioners (cli_deploy)
        b"timeout=", b"timeout =", b"timeoutms=",  # round 14: connection strings (connection_strings)
    )

    def extract(self, path: str, data: bytes) -> FileResult:
        module = posixpath.dirname(path) or "."
        try:
            tree = ts.parse("hcl", data)
        except Exception as exc:  # pragma: no cover - tree-sitter does not raise on bad input
            return FileResult(path=path, language=self.language, module=module,
                              errors=(ErrorEntry(path, "parse_error", str(exc)),))
        errors: list[ErrorEntry] = []
        first_error = ts.first_error(tree)
        if first_error is not None:
            errors.append(ErrorEntry(path, "parse_error",
                                     f"HCL syntax error at line {first_error[0]}, column {first_error[1]}",
                                     line=first_error[0]))
        if path.endswith(".hcl"):  # round 15: Terragrunt's inputs (any other .hcl: nothing)
            found = terragrunt.inputs_findings(tree, path) if terragrunt.is_terragrunt(path) else []
            return FileResult(path=path, language=self.language, findings=tuple(found), module=module,
                              errors=tuple(errors) if found else ())
        findings: list[Finding] = []
        symbols: dict[str, Expr] = {}
        trees = [tree]
        try:
            if first_error is None:
                blocks = hcl.top_level_blocks(tree)
            else:
                blocks, trees = _blocks_piecewise(data)
        except Exception as exc:  # never let one odd tree stop the scan
            errors.append(ErrorEntry(path, "parse_error", f"could not read blocks: {exc}"))
            blocks = []
        tf = TerraformFile(path=path, blocks=blocks)
        module_imports: dict[str, str] = {}
        for block in blocks:
            try:
                findings.extend(self._detect(block, tf))
                proposed, leads = module_inputs.propose(block, tf, module)
                findings.extend(proposed)
                module_imports.update(leads)
                symbols.update(_symbols(block, module))
                symbols.update(sqs_queue.roles(block, module))
                symbols.update(sns_delivery.roles(block, module))
                symbols.update(lambda_function.environment(block, tf))
            except Exception as exc:  # a detector bug must not cost the other blocks
                errors.append(ErrorEntry(path, "parse_error",
                                         f"{block.address}: {type(exc).__name__}: {exc}", line=block.line))
        symbols[MODULE_PRESENT] = Num(1)
        templates: dict[str, Expr] = {}
        for block in blocks:
            try:
                _template_vars(block, module, templates)
            except Exception as exc:  # pragma: no cover - defensive
                errors.append(ErrorEntry(path, "parse_error", f"templatefile: {type(exc).__name__}: {exc}"))
        symbols.update(templates)
        try:
            # a wrapper module's settings that are its variables, for the calls of the module
            symbols.update(module_inputs.publish(findings))
        except Exception as exc:  # pragma: no cover - defensive
            errors.append(ErrorEntry(path, "parse_error", f"module inputs: {type(exc).__name__}: {exc}"))
        findings.sort(key=lambda f: (f.line, f.column, f.kind))
        # a Lambda function's environment is its code's deployment environment (pipeline.deployment_env)
        imports = {"$deployenv": path} if any(k.startswith("$deploy-") for k in symbols) else {}
        imports.update(module_imports)
        return FileResult(path=path, language=self.language, findings=tuple(findings),
                          symbols=symbols, module=module, errors=tuple(errors), imports=imports)

    @staticmethod
    def _detect(block: hcl.Block, tf: TerraformFile) -> list[Finding]:
        found: list[Finding] = []
        # round 14: connection strings handed to a service, in any resource / module call / locals
        found.extend(connection_strings.detect(block, tf))
        if block.type == "resource" and block.resource_type:
            for detect in _RESOURCE_DETECTORS.get(block.resource_type, ()):
                found.extend(detect(block, tf))
        elif block.type == "module":
            source = hcl.literal_string(block.attributes["source"].value) if "source" in block.attributes else None
            if source and "//modules/" in source:
                source = None  # a submodule (the lambda module's alias, deploy...): not the module itself
            matched = False
            for marker, detect in _MODULE_DETECTORS:
                if source and marker in source:
                    matched = True
                    found.extend(detect(block, tf))
            if source and not matched and lambda_function.other_lambda_module(source):
                found.extend(lambda_function.detect_other_module(block, tf))
            elif source and not matched and sqs_queue.other_sqs_module(source):
                found.extend(sqs_queue.detect_other_module(block, tf))
            elif source and not matched and load_balancer.other_lb_module(source):
                found.extend(load_balancer.detect_other_module(block, tf))
            elif source and not matched and azure.other_service_bus_module(source):
                found.extend(azure.detect_other_module(block, tf))
            elif source and not matched and source.startswith(("./", "../")):
                found.extend(_submodule_findings(block, tf, source))
        found.extend(rds_replica.detect_reader_endpoint_uses(block, tf))
        return found


# round 12: every Terraform file says its directory is a module of the scan, so that a call of a
# local path whose files the tree does not hold (a git submodule: `./org-modules/lambda`) is told
# apart from one of the project's own modules (detectors/module_inputs.py reads those)
MODULE_PRESENT = "$module-present"


def _submodule_findings(block: hcl.Block, tf: TerraformFile, source: str) -> list[Finding]:
    """A local module call named for a Lambda function, an SQS queue or a load balancer, read as
    another organisation's module is (its written timeout / visibility / idle inputs), kept only
    when the called directory has no Terraform file in the scan: a git submodule the tree does
    not hold. When the directory is there, module_inputs values the call from the module's own
    settings instead."""
    if not block.labels:
        return []
    if lambda_function.other_lambda_module(source, local=True):
        found = lambda_function.detect_other_module(block, tf)
    elif sqs_queue.other_sqs_module(source, local=True):
        found = sqs_queue.detect_other_module(block, tf)
    elif load_balancer.other_lb_module(source, local=True):
        found = load_balancer.detect_other_module(block, tf)
    elif azure.other_service_bus_module(source, local=True):
        found = azure.detect_other_module(block, tf)
    else:
        return []
    present = Ref(f"{module_inputs.import_key(block.labels[0])}.{MODULE_PRESENT}")
    absent = Pending(KEEP_IF, BinOp("-", Num(1), Call("coalesce", (present, Num(0)))))
    return [replace(f, pending=(absent, *f.pending), attributes={**f.attributes, "module_source": source})
            for f in found]


_PATH_PREFIX = re.compile(r"^\$\{\s*path\.(?:module|root|cwd)\s*\}/?")


def _template_vars(block: hcl.Block, module: str, out: dict[str, Expr]) -> dict[str, Expr]:
    """(round 12) The variables each ``templatefile("<file>", { k = v })`` call of a block hands its
    template, published as ``$tftemplate:<file>:<k>`` (the file relative to the scan root) for the
    definitions read from that file (extractors/cloudformation: a state machine's
    ``"MaxAttempts": ${max_attempts}``), added to ``out``. Two calls handing one template different
    values: Unknown."""
    if "templatefile" not in ts.text(block.node):
        return out
    for node in ts.walk(block.node):
        if node.type != "function_call" or not node.named_children or \
                ts.text(node.named_children[0]).strip() != "templatefile":
            continue
        args_node = next((c for c in node.named_children if c.type == "function_arguments"), None)
        args = [a for a in (args_node.named_children if args_node else ()) if a.type == "expression"]
        if len(args) < 2:
            continue
        written = ts.text(args[0]).strip()
        if len(written) < 2 or written[0] != '"' or written[-1] != '"':
            continue
        relative = _PATH_PREFIX.sub("", written[1:-1])
        if "${" in relative:
            continue
        path = posixpath.normpath(posixpath.join(module, relative))
        for key, attr in hcl.object_items(args[1]):
            if not key:
                continue
            name = template_var(path, key)
            value = hcl.to_expr(attr.value)
            if name in out and out[name] != value:
                value = Unknown(f"templatefile {path}: {key} differs between calls")
            out[name] = value
            # round 13: a retrier list handed to the template (`"Retry": ${retry_statement}`)
            attempts = step_functions.retrier_attempts(attr.value)
            if attempts is not None:
                retry_name = f"{name}:{step_functions.SFN_ATTEMPTS}"
                if retry_name in out and out[retry_name] != attempts:
                    attempts = Unknown(f"templatefile {path}: {key} differs between calls")
                out[retry_name] = attempts
    return out


_BLOCK_START = re.compile(
    rb"^(?:resource|data|module|variable|locals|output|provider|terraform|moved|import|check)\b",
    re.MULTILINE)


def _blocks_piecewise(data: bytes) -> tuple[list[hcl.Block], list[ts.Tree]]:
    """Parse a file with a syntax error one top-level block at a time, so that an unclosed brace
    or string in one block does not swallow the blocks after it. Each piece is padded with
    newlines to keep its line numbers (only files with errors pay this)."""
    starts = [m.start() for m in _BLOCK_START.finditer(data)]
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    blocks: list[hcl.Block] = []
    trees: list[ts.Tree] = []
    for begin, end in zip(starts, starts[1:] + [len(data)]):
        piece = data[begin:end]
        if not piece.strip():
            continue
        tree = ts.parse("hcl", b"\n" * data.count(b"\n", 0, begin) + piece)
        trees.append(tree)
        blocks.extend(hcl.top_level_blocks(tree))
    return blocks, trees


_META_ARGUMENTS = {"source", "version", "providers", "count", "for_each", "depends_on"}


def module_input_key(child: str, label: str, name: str | None = None) -> str:
    """The symbol a module call publishes: `$module:<child dir>:<label>` for the call itself and
    `$module:<child dir>:<label>:var.<input>` for each input it passes."""
    return f"$module:{child}:{label}" + (f":var.{name}" if name else "")


def _symbols(block: hcl.Block, module: str = ".") -> dict[str, Expr]:
    """`var.<name>` -> the variable's default; `local.<name>` -> the local's expression;
    `output.<name>` -> an output's value (round 10).

    A call of a local module (`module "fn" { source = "./modules/fn"  timeout = 60 }`) publishes
    its inputs under ``module_input_key`` (the child's directory, relative to the scan root), so the
    resolver can give the child's ``var.timeout`` the value its caller passes.

    Every declared variable and local is published, as ``Unknown`` when it has no default or a
    value we cannot evaluate: the resolver then stops at this module instead of falling back to a
    same-named variable of another directory (Terraform names are module-scoped)."""
    out: dict[str, Expr] = {}
    if block.type == "variable" and block.labels:
        out.update(container_settings.variable_units(block))
        default = block.attributes.get("default")
        out[f"var.{block.labels[0]}"] = hcl.to_expr(default.value) if default else Unknown("no default")
        if default is not None:
            # the default itself, whatever a call or a tfvars file gives (detectors/module_inputs.py)
            out[f"$vardefault:var.{block.labels[0]}"] = hcl.to_expr(default.value)
            out.update(hcl.object_members(f"var.{block.labels[0]}", default.value))
    elif block.type == "locals":
        for name, attr in block.attributes.items():
            out[f"local.{name}"] = hcl.to_expr(attr.value)
            out.update(hcl.object_members(f"local.{name}", attr.value))
            if "MaxAttempts" in attr.text or "local." in attr.text:
                # round 13: a Step Functions retrier list a template receives (`"Retry": ${x}`)
                attempts = step_functions.retrier_attempts(attr.value)
                if attempts is not None and attempts != Ref(f"{step_functions.SFN_ATTEMPTS}local.{name}"):
                    out[f"{step_functions.SFN_ATTEMPTS}local.{name}"] = attempts
    elif block.type == "output" and block.labels and "value" in block.attributes:
        # round 10: `output "x" { value = var.t }`, for the callers' `module.<label>.x` (resolve.py)
        value = hcl.to_expr(block.attributes["value"].value)
        out[f"output.{block.labels[0]}"] = value
        # round 18: an object's members, for the callers' `module.<label>.<output>.<member>`
        out.update(hcl.object_members(f"output.{block.labels[0]}", block.attributes["value"].value))
        if isinstance(value, Ref) and value.name.startswith("var.") and value.name.count(".") == 1:
            # the unit of the variable it hands out: its description's, else the setting's it feeds
            out[f"$tfunit:output.{block.labels[0]}"] = Call(
                "coalesce", (Ref(f"$tfunit:{value.name}"), Ref(f"$tfparam:timeout:{value.name}")))
    elif block.type == "resource":
        # its written attributes, for another resource reading them (`attempt_deadline =
        # "${google_cloud_run_service.app.template[0].spec[0].timeout_seconds + 60}s"`)
        out.update(hcl.resource_symbols(block))
    elif block.type == "module" and block.labels and "source" in block.attributes:
        source = hcl.literal_string(block.attributes["source"].value) or ""
        if source.startswith(("./", "../")):
            child = posixpath.normpath(posixpath.join(module, source))
            if child != module:
                label = block.labels[0]
                out[module_input_key(child, label)] = Str(label)
                for name, attr in block.attributes.items():
                    if name not in _META_ARGUMENTS:
                        out[module_input_key(child, label, name)] = hcl.to_expr(attr.value)
                        prefix = module_input_key(child, label, name)
                        out.update(hcl.object_members(prefix, attr.value))
    return out


EXTRACTOR = TerraformExtractor()
