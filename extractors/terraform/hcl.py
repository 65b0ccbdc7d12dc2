"""A small read-only view of Terraform (HCL) syntax: top-level blocks, their attributes, and
HCL expressions translated to the value expressions of ``contract_discovery.values``.

Terraform modules are directories, so ``var.x`` and ``local.x`` are left as ``Ref("var.x")`` /
``Ref("local.x")``; each file publishes its variable defaults and locals under those same names in
``FileResult.symbols`` and the core resolver joins the files of one directory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from contract_discovery.values import BinOp, Call, Expr, Num, Ref, Str, Unknown
from extractors import treesitter as ts

_QUERIES = "terraform/queries"

# A reference to another object of the configuration: `aws_sqs_queue.jobs.arn`,
# `module.lambda.lambda_function_arn`, `data.aws_lambda_function.x.arn`.
_REFERENCE = re.compile(
    r"(?<![\w.\"])((?:data\.)?aws_[a-z0-9_]+\.[A-Za-z_][\w-]*|module\.[A-Za-z_][\w-]*)"
)


@dataclass
class Attribute:
    name: str
    node: ts.Node  # the whole `name = value` attribute
    value: ts.Node  # the expression node

    @property
    def text(self) -> str:
        return ts.text(self.value)

    @property
    def line(self) -> int:
        return self.node.start_point[0] + 1


@dataclass
class Block:
    """A block (`resource "aws_lambda_function" "risk" { ... }`) with its direct attributes
    and nested blocks; attributes of nested blocks are not mixed into the parent's."""

    type: str
    labels: tuple[str, ...]
    node: ts.Node
    attributes: dict[str, Attribute] = field(default_factory=dict)
    blocks: list["Block"] = field(default_factory=list)

    @property
    def address(self) -> str:
        """Terraform's address: `aws_lambda_function.risk`, `module.lambda`, `var.x`."""
        if self.type == "resource" and len(self.labels) >= 2:
            return f"{self.labels[0]}.{self.labels[1]}"
        if self.type == "data" and len(self.labels) >= 2:
            return f"data.{self.labels[0]}.{self.labels[1]}"
        if self.type == "module" and self.labels:
            return f"module.{self.labels[0]}"
        if self.type == "variable" and self.labels:
            return f"var.{self.labels[0]}"
        return self.type

    @property
    def resource_type(self) -> str | None:
        return self.labels[0] if self.type in ("resource", "data") and self.labels else None

    @property
    def line(self) -> int:
        return self.node.start_point[0] + 1

    def nested(self, type_: str) -> list["Block"]:
        return [b for b in self.blocks if b.type == type_]


def _label(node: ts.Node) -> str | None:
    if node.type == "string_lit":
        return "".join(ts.text(c) for c in node.children if c.type == "template_literal")
    if node.type == "identifier":
        return ts.text(node)
    return None


def read_block(node: ts.Node) -> Block:
    """Build the Block view of a `block` node (recursing into nested blocks)."""
    type_ = ""
    labels: list[str] = []
    body = None
    for child in node.children:
        if child.type == "identifier" and not type_:
            type_ = ts.text(child)
        elif child.type in ("string_lit", "identifier"):
            label = _label(child)
            if label is not None:
                labels.append(label)
        elif child.type == "body":
            body = child
    block = Block(type=type_, labels=tuple(labels), node=node)
    if body is not None:
        for child in body.children:
            if child.type == "attribute":
                if child.has_error:
                    continue  # a broken `name = ...`: nothing reliable to read
                name_node = child.child_by_field_name("name") or _first(child, "identifier")
                value = _first(child, "expression")
                if name_node is not None and value is not None:
                    block.attributes[ts.text(name_node)] = Attribute(ts.text(name_node), child, value)
            elif child.type == "block":
                block.blocks.append(read_block(child))
    return block


def _first(node: ts.Node, type_: str) -> ts.Node | None:
    for child in node.children:
        if child.type == type_:
            return child
    return None


def top_level_blocks(tree: ts.Tree) -> list[Block]:
    query = ts.load_query("hcl", f"{_QUERIES}/blocks.scm")
    nodes = ts.captures(query, tree.root_node).get("block", [])
    return [read_block(n) for n in sorted(nodes, key=lambda n: n.start_byte)]


# ---------------------------------------------------------------- expressions

_NUMBER_FUNCS = {"tonumber": "float", "max": "max", "min": "min", "floor": "int"}


def to_expr(node: ts.Node | None, _depth: int = 0) -> Expr:
    """Translate an HCL expression node into a values.Expr. Never raises: anything it does not
    understand becomes Unknown(source text)."""
    if node is None:
        return Unknown("")
    if isinstance(node, _TraversalNode):
        return _traversal(node.nodes)
    if _depth > 30:
        return Unknown(ts.text(node))
    d = _depth + 1
    kind = node.type
    named = [c for c in node.children if c.is_named and c.type != "comment"]
    if kind == "expression":
        # `(expr)` keeps an inner expression; `var.x` is variable_expr + get_attr siblings.
        if named and named[0].type == "variable_expr":
            return _traversal(named)
        if len(named) == 1:
            return to_expr(named[0], d)
        if named and named[0].type == "function_call" and all(c.type == "get_attr" for c in named[1:]):
            return _member_of_call(named[0], named[1:], d)
        return Unknown(ts.text(node))
    if kind == "literal_value":
        return to_expr(named[0], d) if named else Unknown(ts.text(node))
    if kind == "numeric_lit":
        try:
            return Num(float(ts.text(node)))
        except ValueError:
            return Unknown(ts.text(node))
    if kind == "string_lit":
        return _literal_string(ts.text(node)[1:-1] if ts.text(node).startswith('"') else ts.text(node))
    if kind == "template_expr":
        inner = named[0] if named else None
        if inner is not None and inner.type == "quoted_template":
            parts = [c for c in inner.children if c.is_named
                     and c.type not in ("quoted_template_start", "quoted_template_end")]
            if not parts:
                return Str("")
            if len(parts) == 1 and parts[0].type == "template_literal":
                return _literal_string(ts.text(parts[0]))
            if len(parts) == 1 and parts[0].type == "template_interpolation":
                expr = _first(parts[0], "expression")
                return to_expr(expr, d)
        return Unknown(ts.text(node))
    if kind == "operation":
        return to_expr(named[0], d) if named else Unknown(ts.text(node))
    if kind == "binary_operation":
        op = next((ts.text(c) for c in node.children if not c.is_named), "")
        operands = [c for c in named]
        if op in ("+", "-", "*", "/", "%") and len(operands) >= 2:
            left, right = _operand(operands, 0), _operand(operands, 1)
            if left is not None and right is not None:
                return BinOp(op, to_expr(left, d), to_expr(right, d))
        return Unknown(ts.text(node))
    if kind == "unary_operation":
        op = next((ts.text(c) for c in node.children if not c.is_named), "")
        if op == "-" and named:
            return BinOp("-", Num(0.0), to_expr(named[0], d))
        return Unknown(ts.text(node))
    if kind == "function_call":
        name = ts.text(named[0]) if named else ""
        args_node = _first(node, "function_arguments")
        args = tuple(to_expr(a, d) for a in (args_node.children if args_node else ()) if a.type == "expression")
        func = _NUMBER_FUNCS.get(name)
        if func is not None and args:
            return Call(func, args)
        if name in ("try", "coalesce") and args:
            # The first argument that has a value: `try(var.q.timeout, 30)`, `coalesce(var.t, 30)`.
            return Call("coalesce", args)
        if name == "lookup" and len(args) == 3 and isinstance(args[0], Ref) and isinstance(args[1], Str):
            # `lookup(var.q, "timeout", 30)`: the member when the map has it, else the default.
            return Call("coalesce", (Ref(f"{args[0].name}.{args[1].value}"), args[2]))
        return Unknown(ts.text(node))
    if kind == "variable_expr":
        return _traversal([node])
    return Unknown(ts.text(node))


def _member_of_call(call: ts.Node, attrs: list[ts.Node], depth: int) -> Expr:
    """`lookup(var.tuning, "send", local.defaults).timeout` (and `try(...)`/`coalesce(...)` of
    references followed by `.member`): the member of whichever reference the call takes, the
    first that resolves (`var.tuning.send.timeout`, else `local.defaults.timeout`)."""
    members = [ts.text(a).strip().lstrip(".").strip() for a in attrs]
    if not all(re.fullmatch(r"[A-Za-z_][\w-]*", m) for m in members):
        return Unknown(ts.text(call))
    suffix = "." + ".".join(members)
    inner = to_expr(call, depth)
    if not isinstance(inner, Call) or inner.func != "coalesce":
        return Unknown(ts.text(call))
    args = []
    for arg in inner.args:
        if not isinstance(arg, Ref) or arg.name.count(".") + len(members) > 3:
            return Unknown(ts.text(call))
        args.append(Ref(arg.name + suffix))
    return Call("coalesce", tuple(args))


def _operand(operands: list[ts.Node], index: int) -> ts.Node | None:
    """binary_operation children are flat (`variable_expr get_attr op literal`): regroup a
    `var.x` traversal into one operand by wrapping consecutive nodes."""
    groups: list[list[ts.Node]] = []
    for node in operands:
        if node.type in ("get_attr", "index", "splat") and groups:
            groups[-1].append(node)
        else:
            groups.append([node])
    if index >= len(groups):
        return None
    group = groups[index]
    if len(group) == 1:
        return group[0]
    return _TraversalNode(group)  # type: ignore[return-value]


class _TraversalNode:
    """Stand-in for a `var.x` operand split over sibling nodes inside a binary operation."""

    type = "traversal"

    def __init__(self, nodes: list[ts.Node]) -> None:
        self.nodes = nodes
        self.children: list = []
        self.is_named = True


_KEY_INDEX = re.compile(r'\[\s*"([A-Za-z_][\w-]*)"\s*\]')
_FIRST_INDEX = re.compile(r"\[\s*0\s*\]|\.0(?=\.|$)")
_RESOURCE_TYPE = re.compile(r"[a-z][a-z0-9]*_[a-z0-9_]+")
MAX_RESOURCE_PATH = 6


def _traversal(nodes: list) -> Expr:
    """`var.x`, `local.x` and a member of an object they hold (`var.q.timeout`,
    `local.visibility["longlived"]`, up to three keys deep) are references; so is an attribute of a
    resource of the configuration written in its nested blocks
    (`google_cloud_run_service.app.template[0].spec[0].timeout_seconds`: the first element of each
    block, `[0]` or `.0.`, is the block itself), which the declaring file publishes
    (``resource_symbols``). Anything else (another list index, a splat, a data source, a computed
    attribute nobody writes) stays Unknown."""
    text = "".join(ts.text(n) for n in nodes)
    name = _KEY_INDEX.sub(r".\1", re.sub(r"\s+", "", text))
    parts = name.split(".")
    if 2 <= len(parts) <= 4 and parts[0] in ("var", "local") and \
            all(re.fullmatch(r"[A-Za-z_][\w-]*", p) for p in parts[1:]):
        return Ref(name)
    if 2 <= len(parts) <= 5 and parts[0] == "module" and all(re.fullmatch(r"[A-Za-z_][\w-]*", p) for p in parts[1:]):
        # round 10: a local module's output (`module.cfg.timeout`), valued from the child's `output`
        # block; the whole module (`module.cfg`, handed to another module as an object); round 18: a
        # member of an output object (`module.cfg.lambda.timeout`, up to three keys deep)
        return Ref(name)
    resource = _FIRST_INDEX.sub("", name).split(".")
    if 3 <= len(resource) <= MAX_RESOURCE_PATH and _RESOURCE_TYPE.fullmatch(resource[0]) and \
            all(re.fullmatch(r"[A-Za-z_][\w-]*", p) for p in resource[1:]):
        return Ref(".".join(resource))
    return Unknown(text)


def resource_symbols(block: Block, limit: int = 200) -> dict[str, Expr]:
    """``<type>.<name>.<nested block>...<attribute>`` -> the attribute as written, for a resource's
    attributes another resource may read (`attempt_deadline = "${google_cloud_run_service.app.
    template[0].spec[0].timeout_seconds + 60}s"`): numbers, strings and var/local references only
    (the values a timeout or a retry count can be), at most ``limit`` per resource."""
    if block.type != "resource" or len(block.labels) < 2:
        return {}
    out: dict[str, Expr] = {}
    stack: list[tuple[Block, str, int]] = [(block, block.address, 1)]
    while stack and len(out) < limit:
        current, prefix, depth = stack.pop()
        for name, attr in current.attributes.items():
            expr = to_expr(attr.value)
            if isinstance(expr, (Num, Str, Ref)):
                out[f"{prefix}.{name}"] = expr
        if depth + 2 <= MAX_RESOURCE_PATH:
            for nested in current.blocks:
                if not nested.labels:  # `dynamic "env"` and labelled blocks are not one object
                    stack.append((nested, f"{prefix}.{nested.type}", depth + 1))
    return out


def unit_template(node: ts.Node | None) -> tuple[Expr, str] | None:
    """A string of one interpolation followed by a time unit (`"${var.t}s"`,
    `"${aws_x.y.timeout + 60}s"`): the interpolated expression and the unit, else None."""
    if node is None:
        return None
    template = node
    while template is not None and template.type in ("expression", "template_expr"):
        named = [c for c in template.children if c.is_named and c.type != "comment"]
        template = named[0] if len(named) == 1 else None
    if template is None or template.type != "quoted_template":
        return None
    parts = [c for c in template.children if c.is_named
             and c.type not in ("quoted_template_start", "quoted_template_end")]
    if len(parts) != 2 or parts[0].type != "template_interpolation" or parts[1].type != "template_literal":
        return None
    unit = ts.text(parts[1]).strip()
    inner = _first(parts[0], "expression")
    if unit not in ("ms", "s", "m", "h") or inner is None:
        return None
    return to_expr(inner), unit


def object_members(prefix: str, node: ts.Node | None, _depth: int = 0) -> dict[str, Expr]:
    """The members of an object value under dotted names, for the resolver: `q = { timeout = 15,
    retry = { max = 3 } }` under prefix `var.q` gives `var.q.timeout` and `var.q.retry.max` (keys
    that are identifiers or quoted identifiers, three levels at most; computed keys are skipped).
    Not an object: {}."""
    out: dict[str, Expr] = {}
    if _depth >= 3:
        return out
    for key, attr in object_items(node):
        if key is None or not re.fullmatch(r"[A-Za-z_][\w-]*", key):
            continue
        name = f"{prefix}.{key}"
        nested = object_members(name, attr.value, _depth + 1)
        if nested:
            out.update(nested)
        else:
            out[name] = to_expr(attr.value)
    return out


def _literal_string(value: str) -> Expr:
    try:
        return Num(float(value))
    except ValueError:
        return Str(value)


def literal_string(node: ts.Node | None) -> str | None:
    """The value of a plain quoted string expression (no interpolation), else None."""
    if node is None:
        return None
    expr = to_expr(node)
    if isinstance(expr, Str):
        return expr.value
    if isinstance(expr, Num) and ts.text(node).strip().startswith('"'):
        return ts.text(node).strip().strip('"')
    return None


def references(node: ts.Node | None) -> list[str]:
    """Addresses referred to in an expression (`aws_lambda_function.risk`, `module.lambda`),
    in source order, without duplicates. String contents are not scanned."""
    if node is None:
        return []
    found: list[str] = []
    for sub in ts.walk(node):
        if sub.type == "variable_expr":
            siblings = [sub]
            nxt = sub.next_sibling
            while nxt is not None and nxt.type in ("get_attr", "index", "splat", "new_index", "legacy_index"):
                siblings.append(nxt)
                nxt = nxt.next_sibling
            text = "".join(ts.text(n) for n in siblings)
            m = _REFERENCE.match(text)
            if m and m.group(1) not in found:
                found.append(m.group(1))
    return found


def reference_with_attr(node: ts.Node | None) -> list[tuple[str, str]]:
    """Like references(), with the attribute read from each object:
    `aws_rds_cluster.main.reader_endpoint` -> ("aws_rds_cluster.main", "reader_endpoint")."""
    if node is None:
        return []
    found: list[tuple[str, str]] = []
    for sub in ts.walk(node):
        if sub.type != "variable_expr":
            continue
        names = [ts.text(sub)]
        nxt = sub.next_sibling
        while nxt is not None and nxt.type == "get_attr":
            names.append(ts.text(nxt).lstrip("."))
            nxt = nxt.next_sibling
        if names[0] == "data":
            names = ["data." + names[1]] + names[2:] if len(names) > 1 else names
        if len(names) >= 3 and (names[0].startswith("aws_") or names[0].startswith("data.aws_")):
            found.append((f"{names[0]}.{names[1]}", names[2]))
    return found


def object_items(node: ts.Node | None) -> list[tuple[str | None, Attribute]]:
    """The elements of an object expression (`{ a = 1, "POST /x" = { ... } }`) in source order:
    (key as written, without quotes; None for a computed key) and an Attribute whose node is the
    whole element and whose value is the element's value. Anything else gives []."""
    if node is None:
        return []
    while node is not None and node.type in ("expression", "collection_value") and node.named_child_count == 1:
        node = node.named_children[0]
    if node is None or node.type != "object":
        return []
    items: list[tuple[str | None, Attribute]] = []
    for elem in node.named_children:
        if elem.type != "object_elem" or elem.has_error:
            continue
        key, value = elem.child_by_field_name("key"), elem.child_by_field_name("val")
        if key is None or value is None:
            continue
        name = literal_string(key)
        if name is None and _REFERENCE.fullmatch(ts.text(key).strip()) is None and \
                re.fullmatch(r"[A-Za-z_][\w-]*", ts.text(key).strip()):
            name = ts.text(key).strip()  # a bare identifier key: `timeout_milliseconds = 12000`
        items.append((name, Attribute(name or ts.text(key), elem, value)))
    return items


def evidence(node: ts.Node) -> str:
    first = ts.text(node).splitlines()
    return first[0].strip()[:200] if first else ""
