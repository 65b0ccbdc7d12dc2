"""Terraform variable files: the values a module's variables take, overriding their defaults.

``terraform.tfvars`` and ``*.auto.tfvars`` are loaded by Terraform automatically; the values they
give win over a ``variable`` block's ``default``. This extractor finds no settings of its own: it
publishes each top-level literal as the symbol ``var.<name>`` of its folder, and the resolver
gives those symbols precedence over defaults (a Lambda's ``timeout = var.lambda_timeout`` is
then the 40 s of the tfvars file, not the 10 s default). An object value publishes its literal
members under dotted names (``q = { timeout = 15 }`` -> ``var.q.timeout``), for modules configured
through one map variable (``timeout = var.q.timeout``).

Which files Terraform loads by itself is marked in ``imports["$tfvars"]``: ``"auto"`` for
``terraform.tfvars`` and ``*.auto.tfvars`` (always applied), ``"environment"`` for any other
``.tfvars`` (``dev.tfvars``, ``prod.tfvars``: applied only with ``-var-file``, one per environment),
so the resolver can take an automatic file's value as is and an environment file's value only when
the environments agree.
"""

from __future__ import annotations

import re

from contract_discovery.model import ErrorEntry, FileResult
from contract_discovery.values import Expr, Num, Str
from extractors import treesitter as T
from extractors.base import Extractor
from extractors.terraform.hcl import object_items

_IDENTIFIER = re.compile(r"[A-Za-z_][\w-]*")


def _literal(node) -> Expr | None:
    while node is not None and node.type == "expression" and node.named_child_count == 1:
        node = node.named_children[0]
    if node is None:
        return None
    if node.type == "literal_value":
        inner = node.named_children[0] if node.named_child_count else None
        if inner is not None and inner.type == "numeric_lit":
            try:
                return Num(float(T.text(inner)))
            except ValueError:
                return None
        if inner is not None and inner.type == "string_lit":
            parts = [c for c in inner.named_children if c.type == "template_literal"]
            return Str(T.text(parts[0]) if parts else "")
    if node.type == "operation" and T.text(node).lstrip().startswith("-"):
        value = _literal(node.named_children[0].named_children[0]) if node.named_children[0].named_child_count else None
        return Num(-value.value) if isinstance(value, Num) else None
    return None


def _members(prefix: str, node, depth: int = 0) -> dict[str, Expr]:
    """An object value's literal members under dotted names: `q = { timeout = 15 }` gives
    `var.q.timeout` (a module reading `var.q.timeout` of a `map(string)` or `object({...})`
    variable), three levels deep at most."""
    out: dict[str, Expr] = {}
    if depth >= 3:
        return out
    for key, attr in object_items(node):
        if key is None or not _IDENTIFIER.fullmatch(key):
            continue
        value = _literal(attr.value)
        if value is not None:
            out[f"{prefix}.{key}"] = value
        else:
            out.update(_members(f"{prefix}.{key}", attr.value, depth + 1))
    return out


def loaded_by(path: str) -> str:
    """``"auto"`` for the files Terraform loads by itself, ``"environment"`` for the others."""
    name = path.rsplit("/", 1)[-1]
    return "auto" if name == "terraform.tfvars" or name.endswith(".auto.tfvars") else "environment"


class TfvarsExtractor(Extractor):
    name = "tfvars"
    language = "terraform"
    extensions = (".tfvars",)
    claims_language = False

    def extract(self, path: str, data: bytes) -> FileResult:
        module = path.rsplit("/", 1)[0] if "/" in path else "."
        try:
            tree = T.parse("hcl", data)
        except Exception as exc:  # noqa: BLE001 - never raise
            return FileResult(path, self.language, errors=(ErrorEntry(path, "parse_error", str(exc)),))
        symbols: dict[str, Expr] = {}
        body = next((c for c in tree.root_node.named_children if c.type == "body"), None)
        for attribute in (body.named_children if body is not None else ()):
            if attribute.type != "attribute" or attribute.named_child_count < 2:
                continue
            name = T.text(attribute.named_children[0])
            value = _literal(attribute.named_children[1])
            if name and value is not None:
                symbols[f"var.{name}"] = value
            elif name:
                symbols.update(_members(f"var.{name}", attribute.named_children[1]))
        errors = ()
        where = T.first_error(tree)
        if where is not None:
            errors = (ErrorEntry(path, "parse_error", "syntax error in a variables file", line=where[0]),)
        return FileResult(path, self.language, symbols=symbols, module=module, errors=errors,
                          imports={"$tfvars": loaded_by(path)})


EXTRACTOR = TfvarsExtractor()
