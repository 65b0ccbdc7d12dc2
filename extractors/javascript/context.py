"""One parsed JavaScript/TypeScript file and the facts every detector shares.

Built once per file: imports, file-level constants (``FileResult.symbols``), the call
sites (from ``queries/calls.scm``), client instances (``axios.create``...), and the
value translation from JS syntax to ``contract_discovery.values`` expressions. Detectors
read this and add what later detectors need (outbound calls, retry scopes).
"""

from __future__ import annotations

import bisect
import posixpath
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Iterable, Iterator

from contract_discovery.model import Finding, Pending, Target
from contract_discovery.values import (BinOp, Call, Env, Evaluated, Expr, Num, Ref, Str, Unknown,
                                       evaluate, normalise_ms)
from extractors import treesitter as ts

QUERY_DIR = Path(__file__).parent / "queries"
LANGUAGE = "javascript"

FUNCTION_TYPES = frozenset({
    "function_declaration", "function_expression", "arrow_function", "method_definition",
    "generator_function_declaration", "generator_function", "function",
})
WRAPPERS = frozenset({"parenthesized_expression", "as_expression", "non_null_expression",
                      "satisfies_expression", "type_assertion"})
HTTP_METHODS = ("get", "post", "put", "patch", "delete", "head", "options")


def grammar_for(path: str) -> str:
    lower = path.lower()
    if lower.endswith(".tsx"):
        return "tsx"
    if lower.endswith((".ts", ".mts", ".cts")):
        return "typescript"
    return "javascript"


_QUERIES: dict[tuple[str, str], Any] = {}


def query(grammar: str, name: str):
    found = _QUERIES.get((grammar, name))
    if found is None:
        found = _QUERIES[(grammar, name)] = ts.load_query(grammar, str(QUERY_DIR / f"{name}.scm"))
    return found


# Node types some part of the extractor visits one by one: gathered by one query per file
# (in C), not by a Python walk per consumer.
INDEXED_TYPES = ("function_declaration", "generator_function_declaration", "method_definition",
                 "variable_declarator", "assignment_expression", "required_parameter", "optional_parameter",
                 "public_field_definition", "field_definition")
_INDEX_QUERIES: dict[str, Any] = {}


def _index_source(grammar: str) -> str:
    lang = ts.language(grammar)
    kinds = [k for k in INDEXED_TYPES if lang.id_for_node_kind(k, True)]
    return "[" + " ".join(f"({k})" for k in kinds) + "] @node"


def _index_query(grammar: str):
    found = _INDEX_QUERIES.get(grammar)
    if found is None:
        found = _INDEX_QUERIES[grammar] = ts.compile_query(grammar, _index_source(grammar))
    return found


# The queries a file with findings to look for needs, run as one (one walk of the tree, not four).
_COMBINED_NAMES = ("imports", "calls", "loops")
_COMBINED: dict[str, tuple[Any, list[str]]] = {}


def _combined_query(grammar: str) -> tuple[Any, list[str]]:
    """(query, owner of each pattern index: the `.scm` name or "_index")."""
    found = _COMBINED.get(grammar)
    if found is None:
        sources, owners = [], []
        for name in _COMBINED_NAMES:
            sources.append((QUERY_DIR / f"{name}.scm").read_text(encoding="utf-8"))
            owners.extend([name] * query(grammar, name).pattern_count)
        sources.append(_index_source(grammar))
        owners.extend(["_index"] * _index_query(grammar).pattern_count)
        found = _COMBINED[grammar] = (ts.compile_query(grammar, "\n".join(sources)), owners)
    return found


def unwrap(node: ts.Node | None) -> ts.Node | None:
    """Strip parentheses, `as T`, `!` and `satisfies T` around an expression."""
    while node is not None and node.type in WRAPPERS:
        inner = node.named_children[0] if node.named_children else None
        if inner is None:
            return node
        node = inner
    return node


def key_name(node: ts.Node | None) -> str | None:
    """The name of an object key: `timeout`, `"timeout"`, `'x-request-id'`."""
    if node is None:
        return None
    if node.type in ("property_identifier", "identifier", "shorthand_property_identifier"):
        return ts.text(node)
    if node.type == "string":
        return string_value(node)
    if node.type == "number":
        return ts.text(node)
    return None


def string_value(node: ts.Node | None) -> str | None:
    """The value of a string literal or a template string without substitutions."""
    node = unwrap(node)
    if node is None:
        return None
    if node.type == "string":
        raw = ts.text(node)
        return raw[1:-1] if len(raw) >= 2 else ""
    if node.type == "template_string":
        if any(c.type == "template_substitution" for c in node.named_children):
            return None
        raw = ts.text(node)
        return raw[1:-1]
    return None


def number_value(node: ts.Node | None) -> float | None:
    node = unwrap(node)
    if node is None or node.type != "number":
        return None
    return parse_number(ts.text(node))


def parse_number(raw: str) -> float | None:
    raw = raw.replace("_", "").rstrip("nN")
    try:
        if raw[:2].lower() in ("0x", "0o", "0b"):
            return float(int(raw, 0))
        return float(raw)
    except ValueError:
        return None


def object_props(node: ts.Node | None) -> dict[str, ts.Node] | None:
    """Key -> value node of an object literal (shorthand `{ signal }` maps to the identifier).
    None if the node is not an object literal."""
    node = unwrap(node)
    if node is None or node.type != "object":
        return None
    props: dict[str, ts.Node] = {}
    for child in node.named_children:
        if child.type == "pair":
            name = key_name(child.child_by_field_name("key"))
            value = child.child_by_field_name("value")
            if name is not None and value is not None:
                props[name] = value
        elif child.type == "shorthand_property_identifier":
            props[ts.text(child)] = child
    return props


def has_spread(node: ts.Node | None) -> bool:
    node = unwrap(node)
    return node is not None and any(c.type == "spread_element" for c in node.named_children)


def enclosing_function(node: ts.Node) -> ts.Node | None:
    for parent in ts.ancestors(node):
        if parent.type in FUNCTION_TYPES:
            return parent
    return None


def inside(node: ts.Node, container: ts.Node) -> bool:
    return container.start_byte <= node.start_byte and node.end_byte <= container.end_byte


def descendants(node: ts.Node, stop_at_functions: bool = False) -> Iterator[ts.Node]:
    """Pre-order descendants (not the node itself); optionally not entering nested functions."""
    stack = list(reversed(node.named_children))
    while stack:
        current = stack.pop()
        yield current
        if stop_at_functions and current.type in FUNCTION_TYPES:
            continue
        stack.extend(reversed(current.named_children))


def node_key(node: ts.Node) -> tuple[int, int, str]:
    return node.start_byte, node.end_byte, node.type


def is_disabled_value(node: ts.Node | None) -> bool:
    """`undefined`, `null`, `0`, `false`, `Infinity`: a timeout that is not a timeout."""
    node = unwrap(node)
    if node is None:
        return True
    raw = ts.text(node)
    if raw in ("undefined", "null", "false", "Infinity", "void 0", "Number.POSITIVE_INFINITY"):
        return True
    value = number_value(node)
    return value is not None and value == 0


@dataclass
class CallInfo:
    """A call or `new` expression: callee text, the callee with imports applied, its arguments."""

    node: ts.Node
    callee: str
    qualified: str
    args: list[ts.Node]
    is_new: bool = False
    awaited: bool = False  # `await f()`, also TS's `await f<T>()` which parses as a call of `await f`

    @cached_property
    def name(self) -> str:
        return self.callee.rsplit(".", 1)[-1]

    @cached_property
    def receiver(self) -> str:
        return self.callee.rsplit(".", 1)[0] if "." in self.callee else ""

    def arg(self, index: int) -> ts.Node | None:
        return self.args[index] if index < len(self.args) else None


@dataclass
class Instance:
    """An HTTP client object made or typed in this file (`axios.create`, `got.extend`, `HttpService`)."""

    name: str  # variable or `this.field`
    library: str  # axios, got, nestjs-axios
    create: ts.Node | None  # the creating call, None for typed parameters/fields
    config: ts.Node | None  # the options object node, when an object literal
    known_defaults: bool  # True when every default is visible here (created in this file, no spread)
    has_timeout: bool = False
    base_url: ts.Node | None = None


@dataclass
class Outbound:
    """An outbound call another detector may attach settings to."""

    node: ts.Node
    library: str
    target: Target | None
    pending: tuple[Pending, ...]


@dataclass
class RetryScope:
    """Code that runs once per attempt: a retry loop body, a retried function, a catch that calls again."""

    node: ts.Node
    retry_line: int
    target: Target | None
    pending: tuple[Pending, ...] = ()


@dataclass
class FileContext:
    path: str
    data: bytes
    grammar: str
    tree: ts.Tree
    module: str
    imports: dict[str, str] = field(default_factory=dict)
    symbols: dict[str, Expr] = field(default_factory=dict)
    calls: list[CallInfo] = field(default_factory=list)
    instances: dict[str, Instance] = field(default_factory=dict)
    all_instances: list[Instance] = field(default_factory=list)  # every one made, also when names repeat
    outbound: dict[tuple, Outbound] = field(default_factory=dict)
    retry_scopes: list[RetryScope] = field(default_factory=list)
    functions: dict[str, ts.Node] = field(default_factory=dict)
    local_modules: set[str] = field(default_factory=set)  # modules imported by a relative path (`./lib/retry`)
    findings: list[Finding] = field(default_factory=list)
    _call_starts: list[int] = field(default_factory=list)
    _index: dict[str, list[ts.Node]] | None = None
    _loops: list | None = None
    _combined: dict[str, list] | None = None  # matches per query name, when built with calls
    _bound: dict[int, frozenset[str]] = field(default_factory=dict)
    _shadow_memo: dict[tuple[int, str], bool] = field(default_factory=dict)
    # retry bounds read from a parameter of the enclosing function: (start byte, end byte, the
    # parameter as written, what the bound adds to it), for ``attempts_expression`` (see finding())
    param_counts: list[tuple[int, int, str, float]] = field(default_factory=list)

    def nodes_of(self, *types: str) -> list[ts.Node]:
        """Every node of the given ``INDEXED_TYPES`` in source (pre-)order, from one query per file."""
        if self._index is None:
            index: dict[str, list[ts.Node]] = {}
            if self._combined is not None:
                nodes = [m["node"][0] for m in self._combined["_index"]]
            else:
                nodes = ts.captures(_index_query(self.grammar), self.tree.root_node).get("node", [])
            nodes.sort(key=lambda n: (n.start_byte, -n.end_byte))
            for node in nodes:
                index.setdefault(node.type, []).append(node)
            self._index = index
        if len(types) == 1:
            return self._index.get(types[0], [])
        merged = [n for t in types for n in self._index.get(t, [])]
        merged.sort(key=lambda n: (n.start_byte, -n.end_byte))
        return merged

    def query_matches(self, name: str) -> list:
        """The matches of ``queries/<name>.scm``: from the one combined pass when there is one."""
        if self._combined is not None and name in self._combined:
            return self._combined[name]
        return ts.matches(query(self.grammar, name), self.tree.root_node)

    def loop_matches(self) -> list:
        """The matches of ``queries/loops.scm`` (shared by the retry-loop and fallback detectors)."""
        if self._loops is None:
            self._loops = self.query_matches("loops")
        return self._loops

    # ------------------------------------------------------------------ building

    @classmethod
    def build(cls, path: str, data: bytes, calls: bool = True) -> "FileContext":
        grammar = grammar_for(path)
        tree = ts.parse(grammar, data)
        if tree.root_node.has_error and grammar != "javascript":
            # styled-components' `styled.div<{ $size: number }>\`...\`` (type arguments on a tagged
            # template) is valid TypeScript the grammar rejects. Blank the type arguments (same
            # length, newlines kept, so every line and column stays) and keep the better parse.
            blanked = _blank_template_type_args(data)
            if blanked != data:
                retry = ts.parse(grammar, blanked)
                if not retry.root_node.has_error:
                    tree, data = retry, blanked
        elif tree.root_node.has_error:
            # Flow-typed JavaScript (`// @flow`, `(x: any): Promise<void>`) is not JavaScript to the
            # grammar; its annotations mostly read as TypeScript. Keep that parse only when it is clean.
            text = b"   " + data[3:] if data.startswith(b"\xef\xbb\xbf") else data  # a BOM, same length
            for other in ("typescript", "tsx"):
                retry = ts.parse(other, text)
                if not retry.root_node.has_error:
                    tree, grammar, data = retry, other, text
                    break
        module = re.sub(r"\.(?:[cm]?[jt]sx?)$", "", path)
        if module.rsplit("/", 1)[-1] == "index" and "/" in module:
            module = module.rsplit("/", 1)[0]  # `import "./config"` means ./config/index.ts
        ctx = cls(path=path, data=data, grammar=grammar, tree=tree, module=module)
        if calls:
            combined, owners = _combined_query(grammar)
            ctx._combined = {name: [] for name in (*_COMBINED_NAMES, "_index")}
            for index, match in ts.ts.QueryCursor(combined).matches(tree.root_node):
                ctx._combined[owners[index]].append(match)
        ctx._collect_imports()
        ctx._collect_symbols()
        if calls:  # without, only imports and constants (for a file no detector can find anything in)
            ctx._collect_calls()
            ctx._collect_functions()
        return ctx

    def _module_for(self, spec: str) -> str:
        if spec.startswith("node:"):
            spec = spec[5:]
        if spec.startswith("."):
            base = posixpath.dirname(self.path)
            joined = posixpath.normpath(posixpath.join(base, spec))
            return re.sub(r"\.(?:[cm]?[jt]sx?)$", "", joined)
        return spec

    def _collect_imports(self) -> None:
        if b"import" not in self.data and b"require" not in self.data:
            return  # every pattern of imports.scm needs one of these words
        for match in self.query_matches("imports"):
            source = match.get("source")
            if not source:
                continue
            spec = string_value(source[0]) or ""
            module = self._module_for(spec)
            if spec.startswith("."):
                self.local_modules.add(module)
            if "import" in match:
                self._read_import_clause(match["import"][0], module)
            elif "member" in match and "binding" in match:
                # `const axiosRetry = require('axios-retry').default` (round 19, js1)
                member = ts.text(match["member"][0])
                self.imports.setdefault(ts.text(match["binding"][0]), module if member == "default" else f"{module}.{member}")
            elif "binding" in match:
                self._read_require_binding(match["binding"][0], module)
        if b"promisify" in self.data:
            self._promisified_imports_js1()
        self._member_aliases_js3()

    def _member_aliases_js3(self) -> None:
        """(round 19, js3) `const exchangeUtils = require('../exchangeUtils'); const retry = exchangeUtils.retry;` at
        the top of the file: `retry` is the project module's member, as `require('../exchangeUtils').retry` is."""
        if not self.local_modules:
            return
        for stmt in self.tree.root_node.named_children:
            if stmt.type not in ("lexical_declaration", "variable_declaration"):
                continue
            for decl in stmt.named_children:
                name, value = decl.child_by_field_name("name"), unwrap(decl.child_by_field_name("value"))
                if decl.type != "variable_declarator" or name is None or name.type != "identifier" or \
                        value is None or value.type != "member_expression":
                    continue
                holder, prop = value.child_by_field_name("object"), value.child_by_field_name("property")
                if holder is None or holder.type != "identifier" or prop is None or \
                        self.imports.get(ts.text(holder)) not in self.local_modules:
                    continue
                self.imports.setdefault(ts.text(name), f"{self.imports[ts.text(holder)]}.{ts.text(prop)}")

    def _promisified_imports_js1(self) -> None:
        """`const rp = promisify(request)` (util's, Bluebird's) at the top of the file (round 13, CodiMD):
        the promisified function is the imported one, called the same way."""
        for stmt in self.tree.root_node.named_children:
            if stmt.type not in ("lexical_declaration", "variable_declaration"):
                continue
            for decl in stmt.named_children:
                name, value = decl.child_by_field_name("name"), unwrap(decl.child_by_field_name("value"))
                if decl.type != "variable_declarator" or name is None or name.type != "identifier" or \
                        value is None or value.type != "call_expression":
                    continue
                fn = dotted(value.child_by_field_name("function"))
                args = value.child_by_field_name("arguments")
                first = unwrap(args.named_children[0]) if args is not None and args.named_children else None
                if (fn == "promisify" or fn.endswith(".promisify")) and first is not None and \
                        first.type == "identifier" and ts.text(first) in self.imports:
                    self.imports.setdefault(ts.text(name), self.imports[ts.text(first)])

    def _read_import_clause(self, stmt: ts.Node, module: str) -> None:
        for clause in stmt.named_children:
            if clause.type != "import_clause":
                continue
            for part in clause.named_children:
                if part.type == "identifier":  # default import
                    self.imports[ts.text(part)] = module
                elif part.type == "namespace_import":
                    for ident in part.named_children:
                        self.imports[ts.text(ident)] = module
                elif part.type == "named_imports":
                    for spec in part.named_children:
                        if spec.type != "import_specifier":
                            continue
                        name_node = spec.child_by_field_name("name")
                        alias_node = spec.child_by_field_name("alias")
                        if name_node is None:
                            continue
                        imported = ts.text(name_node).strip("'\"")
                        local = ts.text(alias_node) if alias_node is not None else imported
                        self.imports[local] = module if imported == "default" else f"{module}.{imported}"

    def _read_require_binding(self, binding: ts.Node, module: str) -> None:
        if binding.type == "identifier":
            self.imports[ts.text(binding)] = module
        elif binding.type == "object_pattern":
            for part in binding.named_children:
                if part.type == "shorthand_property_identifier_pattern":
                    self.imports[ts.text(part)] = f"{module}.{ts.text(part)}"
                elif part.type == "pair_pattern":
                    key = key_name(part.child_by_field_name("key"))
                    value = part.child_by_field_name("value")
                    if key and value is not None and value.type == "identifier":
                        self.imports[ts.text(value)] = module if key == "default" else f"{module}.{key}"

    def _collect_symbols(self) -> None:
        """Top-level constants, their object members flattened, class statics, enum members."""
        root = self.tree.root_node
        default_name = None  # what `export default` hands out, for `import cfg from "./settings"; cfg.x`
        default_instance_js2 = None  # the class of `export default new Config()`
        default_factory_js2 = None  # the function of `export default () => ({ ... })` in a config file
        for stmt in root.named_children:
            decl = stmt
            if stmt.type == "export_statement":
                inner = stmt.child_by_field_name("declaration")
                value = stmt.child_by_field_name("value")
                if inner is not None:
                    decl = inner
                elif value is not None and unwrap(value).type == "object":
                    self._add_object_symbols("default", unwrap(value))
                    default_name = "default"
                    continue
                else:
                    if value is not None and unwrap(value).type == "identifier":
                        default_name = ts.text(unwrap(value))  # `export default config`
                    elif value is not None and unwrap(value).type in FUNCTION_TYPES and \
                            re.search(r"config", self.path.rsplit("/", 1)[-1], re.I):
                        default_factory_js2 = unwrap(value)  # `export default () => ({ httpClient: {...} })`
                    elif value is not None and unwrap(value).type == "new_expression":
                        made_js2 = unwrap(value).child_by_field_name("constructor")
                        if made_js2 is not None and made_js2.type == "identifier":
                            default_instance_js2 = ts.text(made_js2)  # `export default new Config()`
                    continue
            if decl.type == "expression_statement":
                named = self._commonjs_export(decl)
                if named is not None:
                    default_name = named
                continue
            if decl.type == "function_declaration" or decl.type in ("lexical_declaration", "variable_declaration"):
                self._add_helper_timeout(decl)
                try:
                    self._add_settings_object(decl)
                except Exception:  # an odd settings function costs only its members
                    pass
                try:
                    self._add_settings_function(decl)
                except Exception:  # an odd function costs only its value
                    pass
            if decl.type in ("lexical_declaration", "variable_declaration"):
                if decl.type == "lexical_declaration" and not ts.text(decl).startswith("const"):
                    continue
                for declarator in decl.named_children:
                    if declarator.type != "variable_declarator":
                        continue
                    name = declarator.child_by_field_name("name")
                    value = unwrap(declarator.child_by_field_name("value"))
                    if name is None or value is None:
                        continue
                    if name.type == "object_pattern" and dotted(value) in ("process.env", "import.meta.env"):
                        self._add_env_pattern(name)
                    elif name.type == "object_pattern" and value.type == "call_expression":
                        self._add_config_pattern(name, value)
                    elif name.type == "identifier":
                        self._add_symbol(ts.text(name), value)
            elif decl.type == "class_declaration":
                cname = decl.child_by_field_name("name")
                body = decl.child_by_field_name("body")
                if cname is None or body is None:
                    continue
                for member in body.named_children:
                    if member.type in ("public_field_definition", "field_definition") and \
                            "static" in ts.text(member).split("=")[0].split():
                        name = member.child_by_field_name("name") or member.child_by_field_name("property")
                        value = unwrap(member.child_by_field_name("value"))
                        if name is not None and value is not None:
                            self._add_symbol(f"{ts.text(cname)}.{ts.text(name)}", value)
            elif decl.type == "enum_declaration":
                ename = decl.child_by_field_name("name")
                body = decl.child_by_field_name("body")
                if ename is None or body is None:
                    continue
                for member in body.named_children:
                    if member.type == "enum_assignment":
                        name = member.child_by_field_name("name")
                        value = member.child_by_field_name("value")
                        if name is not None and value is not None:
                            self._add_symbol(f"{ts.text(ename)}.{key_name(name)}", unwrap(value))
        if default_instance_js2 is not None and default_name is None:
            try:
                self._default_instance_members_js2(default_instance_js2)
            except Exception:  # an odd settings class costs only these values
                pass
        if default_name is not None:
            # the default export's members under the names its importers read them by
            # (`cfg.orders.timeout` resolves as `<module>.orders.timeout`); named exports win
            prefix = default_name + "."
            for key, expr in list(self.symbols.items()):
                if key.startswith(prefix) and len(key) > len(prefix):
                    self.symbols.setdefault(key[len(prefix):], expr)
        try:
            self._collect_env_schema()
        except Exception:  # a schema written some other way costs only these defaults
            pass
        if b"oi" in self.data and b".default(" in self.data:
            try:  # (round 19, js1) a Joi-validated configuration object's defaults
                from extractors.javascript.joi_config_js1 import collect_joi_config_js1
                collect_joi_config_js1(self)
            except Exception:  # a schema written some other way costs only these defaults
                pass
        if default_factory_js2 is not None:
            try:
                self._config_factory_defaults_js2(default_factory_js2)
            except Exception:  # an odd configuration factory costs only these defaults
                pass
        if self.path.endswith((".ts", ".tsx", ".mts", ".cts")) and \
                (b"Config" in self.data or b"Settings" in self.data or b"Options" in self.data):
            try:
                self._collect_typed_settings()
            except Exception:  # an odd settings builder costs only these values
                pass

    def _config_factory_defaults_js2(self, factory: ts.Node) -> None:
        """`export default () => ({ httpClient: { requestTimeout: parseInt(process.env.X ?? '5000') } })`
        in a configuration file (round 14, safe-client-gateway): the @nestjs/config factory handed to
        `ConfigModule.forRoot({ load: [configuration] })`, whose leaves a `configService.get(
        'httpClient.requestTimeout')` reads by their dotted path; each leaf is published as that
        path's default (`$envdefault.httpClient.requestTimeout`), as an envalid schema's are."""
        body = factory.child_by_field_name("body")
        objects = [unwrap(body)] if body is not None and unwrap(body) is not None and \
            unwrap(body).type == "object" else \
            (self._returned_objects(body, follow=False) if body is not None else [])
        stack = [(obj, "") for obj in objects[:1]]
        if objects:  # its leaves are settings read elsewhere, not a client's options (see the extractor)
            self.config_factory_lines_js2 = (objects[0].start_point[0] + 1, objects[0].end_point[0] + 1)
        while stack:
            obj, prefix = stack.pop()
            for key, value in (object_props(obj) or {}).items():
                value = unwrap(value)
                if value is None or not re.match(r"^[A-Za-z_$][\w$]*$", key) or prefix.count(".") > 6:
                    continue
                if value.type == "object":
                    stack.append((value, f"{prefix}{key}."))
                    continue
                expr = self.to_expr(value, scoped=False)
                if not isinstance(expr, Unknown):
                    self.symbols.setdefault(f"{ENV_DEFAULT}{prefix}{key}", expr)

    def _default_instance_members_js2(self, cls: str) -> None:
        """`export default new Config()` whose constructor copies sections of a merge of the file's
        defaults (`const configs = this.merge(configFromFile, defaults); this.ESPLORA = configs.ESPLORA`,
        round 14, mempool): the section's members read as `config.ESPLORA.REQUEST_TIMEOUT` are the
        defaults object's (`defaults.ESPLORA.REQUEST_TIMEOUT`); a value the deployment's file gives
        instead is not in the code."""
        for stmt in self.tree.root_node.named_children:
            decl = stmt.child_by_field_name("declaration") if stmt.type == "export_statement" else stmt
            if decl is None or decl.type != "class_declaration" or \
                    ts.text(decl.child_by_field_name("name")) != cls:
                continue
            for method in (decl.child_by_field_name("body") or decl).named_children:
                if method.type != "method_definition" or \
                        ts.text(method.child_by_field_name("name")) != "constructor":
                    continue
                body = method.child_by_field_name("body")
                for node in descendants(body) if body is not None else ():
                    if node.type != "assignment_expression":
                        continue
                    left, right = node.child_by_field_name("left"), unwrap(node.child_by_field_name("right"))
                    target, source = dotted(left) or "", dotted(right) if right is not None else None
                    if not target.startswith("this.") or target.count(".") != 1 or not source or \
                            source.count(".") != 1 or source.split(".")[1] != target[5:]:
                        continue
                    merged = self.local_value(source.split(".")[0], node)
                    section = target[5:]
                    for arg in (merged.child_by_field_name("arguments").named_children
                                if merged is not None and merged.type == "call_expression" and
                                merged.child_by_field_name("arguments") is not None else ()):
                        prefix = f"{ts.text(arg)}.{section}."
                        if arg.type != "identifier" or not any(k.startswith(prefix) for k in self.symbols):
                            continue
                        for key, expr in list(self.symbols.items()):
                            if key.startswith(prefix):
                                self.symbols.setdefault(f"{section}.{key[len(prefix):]}", expr)
                        break

    def _collect_typed_settings(self) -> None:
        """`const proxyCfg: ServerConfig['proxy'] = { headersTimeout: env.proxyHeadersTimeout ?? 10e3 }`
        (round 10, atproto's PDS): a settings object typed by a type of the project, built here, is
        read in other files through a parameter of that type (`buildProxyAgent(cfg: ProxyConfig)`
        reading `cfg.headersTimeout`). Each member written as a number, a constant, or a member of a
        parameter (the environment) with a numeric fallback publishes `$typed:<Type>.<key>` (the
        fallback: what the service runs with unless deployed otherwise); a type alias of this file
        (`export type ProxyConfig = ServerConfig['proxy']`) publishes under its name too."""
        aliases: dict[str, list[str]] = {}
        tops = [c.child_by_field_name("declaration") or c if c.type == "export_statement" else c
                for c in self.tree.root_node.named_children]
        for node in (t for t in tops if t is not None and t.type in ("type_alias_declaration",
                                                                       "interface_declaration")):
            name, value = node.child_by_field_name("name"), node.child_by_field_name("value") or \
                node.child_by_field_name("body")
            target = _type_key(value)
            if name is not None and target:
                aliases.setdefault(target, []).append(ts.text(name))
            elif name is not None and value is not None and value.type in ("object_type", "interface_body"):
                # `type ServerConfig = { proxy: ProxyConfig; blobstore: S3Config | DiskConfig }`: the
                # member `ServerConfig.proxy` is a `ProxyConfig` (read through either name)
                for prop in value.named_children:
                    pname = prop.child_by_field_name("name") if prop.type == "property_signature" else None
                    ptype = prop.child_by_field_name("type") if pname is not None else None
                    for part in re.split(r"\|", re.sub(r"\s+", "", ts.text(ptype)).lstrip(":")) if ptype else []:
                        if re.fullmatch(r"[A-Z][\w$]*", part):
                            aliases.setdefault(f"{ts.text(name)}.{ts.text(pname)}", []).append(part)
        typed: list[tuple[str, ts.Node]] = []
        declared: dict[str, str] = {}
        for decl in self.nodes_of("variable_declarator"):
            value = unwrap(decl.child_by_field_name("value"))
            key = _type_key(decl.child_by_field_name("type"))
            name = decl.child_by_field_name("name")
            if key and name is not None and name.type == "identifier":
                declared[ts.text(name)] = key  # `let blobstoreCfg: ServerConfig['blobstore']`, set below
            if value is not None and value.type == "object" and key:
                typed.append((key, value))
        from extractors.javascript.typed_config_lead import publish_class_fields, publish_url_members, returned_objects
        typed.extend(returned_objects(self, _type_key))  # (round 20, lead) `function load(): Cfg { return {...} }`
        publish_class_fields(self, _SETTING_KEY, TYPED)  # (round 21, lead) `class Settings { timeoutMs = 350 }`
        for assign in self.nodes_of("assignment_expression"):
            left, value = assign.child_by_field_name("left"), unwrap(assign.child_by_field_name("right"))
            if left is not None and value is not None and value.type == "object" and ts.text(left) in declared:
                typed.append((declared[ts.text(left)], value))
        for key, value in typed:
            if not re.match(r"[A-Z]", key):
                continue
            names = [key, *aliases.get(key, [])]
            publish_url_members(self, names, value, TYPED)
            for pair in value.named_children:
                member = key_name(pair.child_by_field_name("key")) if pair.type == "pair" else None
                if not member or not _SETTING_KEY.search(member):
                    continue
                expr = self._typed_setting_value(unwrap(pair.child_by_field_name("value")))
                if expr is not None:
                    for name in names:
                        self.symbols.setdefault(f"{TYPED}{name}.{member}", expr)

    def _typed_setting_value(self, node: ts.Node | None) -> Expr | None:
        if node is None:
            return None
        if node.type == "binary_expression" and ts.text(node.child_by_field_name("operator")) in ("??", "||"):
            left, right = unwrap(node.child_by_field_name("left")), node.child_by_field_name("right")
            fallback = self.evaluate(self.to_expr(right, scoped=False)).value
            if left is not None and left.type == "member_expression" and isinstance(fallback, (int, float)) \
                    and not isinstance(fallback, bool):
                return Num(float(fallback))  # `env.proxyHeadersTimeout ?? 10e3`: the code's default
            return None
        value = self.evaluate(self.to_expr(node, scoped=False)).value
        return Num(float(value)) if isinstance(value, (int, float)) and not isinstance(value, bool) else None

    def _collect_env_schema(self) -> None:
        """`cleanEnv(process.env, { REQUEST_TIMEOUT: num({ default: ms('3 seconds') }) })` (envalid),
        wherever it is written (a config service's constructor): each declared default becomes the
        global symbol `$envdefault.NAME`, the default of a `configService.get("NAME")` read elsewhere.
        A zod schema (`NAME: z.coerce.number().positive().default(30000)`, as `z.object({...})
        .parse(process.env)` or t3 `createEnv`) publishes its defaults the same way, read as `env.NAME`."""
        if b"z." in self.data and (b".default(" in self.data or b".catch(" in self.data):
            self._collect_zod_env_schema()
        if b"convict" in self.data:
            self._collect_convict_schema_js1()
        if b"class-validator" in self.data or b"class-transformer" in self.data:
            from extractors.javascript.env_classes_js2 import collect_validated_env_class
            collect_validated_env_class(self, ENV_DEFAULT)  # (round 18, js2) NestJS env class field defaults
        if b"class " in self.data and (b"process.env" in self.data or b"constructor" in self.data):
            from extractors.javascript.env_getter_ts2 import publish as publish_env_getters_ts2
            try:
                publish_env_getters_ts2(self)  # (round 20, ts2) an env class's getters of its fields
            except Exception:
                pass
        if b"cleanEnv" not in self.data:
            return
        stack = [self.tree.root_node]
        while stack:
            node = stack.pop()
            stack.extend(node.named_children)
            if node.type != "call_expression" or \
                    dotted(node.child_by_field_name("function")).rsplit(".", 1)[-1] not in ("cleanEnv", "cleanEnvironment"):
                continue
            args = node.child_by_field_name("arguments")
            schema = unwrap(args.named_children[1]) if args is not None and len(args.named_children) > 1 else None
            if schema is None or schema.type != "object":
                continue
            for pair in schema.named_children:
                if pair.type != "pair":
                    continue
                name = key_name(pair.child_by_field_name("key"))
                spec = unwrap(pair.child_by_field_name("value"))
                if not name or spec is None or spec.type != "call_expression":
                    continue
                spec_args = spec.child_by_field_name("arguments")
                options = unwrap(spec_args.named_children[0]) if spec_args is not None and spec_args.named_children else None
                if options is None or options.type != "object":
                    continue
                default = next((unwrap(p.child_by_field_name("value")) for p in options.named_children
                                if p.type == "pair" and key_name(p.child_by_field_name("key")) == "default"), None)
                if default is None:
                    continue
                expr = self.to_expr(default, scoped=False)
                if not isinstance(expr, Unknown):
                    self.symbols[ENV_DEFAULT + name] = expr
                    from extractors.javascript.nconf_js1r22 import exported_schema
                    if exported_schema(node):  # (round 22, js1) `export default cleanEnv(process.env, {...})`
                        self.symbols.setdefault(name, Env(name, expr))

    def _collect_convict_schema_js1(self) -> None:
        """`const config = convict({ scrape_timeout: { doc, format: "ms", default: ms("10 seconds"), env:
        "SCRAPE_TIMEOUT" } })` (round 14, js1: Coral Talk's config.ts): each setting's default becomes the
        global symbol `$envdefault.<key>` (a group's members `<group>.<key>`), the default of a
        `config.get("scrape_timeout")` read anywhere in the service (the environment variable may override it)."""
        if not self.imported_from("convict", "convict") and \
                not re.search(rb"function\s*\w*\s*\([^)]*\bconvict\b[^)]*\)", self.data):
            return  # (round 19, js3: or handed in, `module.exports = function (fs, path, url, convict) {...}`, fxa)
        walk = [self.tree.root_node]
        while walk:
            node = walk.pop()
            walk.extend(node.named_children)
            if node.type != "call_expression" or dotted(node.child_by_field_name("function")) != "convict":
                continue
            args = node.child_by_field_name("arguments")
            schema = unwrap(args.named_children[0]) if args is not None and args.named_children else None
            if schema is not None and schema.type == "identifier":
                schema = unwrap(self.local_value(ts.text(schema), node))
            if schema is None or schema.type != "object":
                continue
            stack: list[tuple[str, ts.Node, int]] = [("", schema, 0)]
            while stack:
                prefix, obj, depth = stack.pop()
                for pair in obj.named_children:
                    key = key_name(pair.child_by_field_name("key")) if pair.type == "pair" else None
                    spec = unwrap(pair.child_by_field_name("value")) if key else None
                    if spec is None or spec.type != "object":
                        continue
                    props = object_props(spec) or {}
                    if "default" in props and ("doc" in props or "format" in props or "env" in props):
                        expr = self.to_expr(unwrap(props["default"]), scoped=False)
                        if not isinstance(expr, Unknown):
                            self.symbols.setdefault(ENV_DEFAULT + prefix + key, expr)
                    elif depth < 4:
                        stack.append((f"{prefix}{key}.", spec, depth + 1))

    def _collect_zod_env_schema(self) -> None:
        holders = self._parsed_env_holders()
        stack = [self.tree.root_node]
        while stack:
            node = stack.pop()
            stack.extend(node.named_children)
            if node.type != "pair":
                continue
            name = key_name(node.child_by_field_name("key"))
            if not name or not _ENV_NAME.match(name):
                continue
            spec = unwrap(node.child_by_field_name("value"))
            if spec is None or spec.type != "call_expression" or \
                    not (ts.text(spec).startswith("z.") or self._zod_alias_root_js2(spec)):
                continue
            default = _zod_default(spec)
            if default is None:
                continue
            expr = self.to_expr(default, scoped=False)
            if not isinstance(expr, Unknown):
                self.symbols[ENV_DEFAULT + name] = expr
                for holder in holders:  # `env.NAME` read through the parsed object
                    self.symbols.setdefault(f"{holder}.{name}", Env(name, expr))

    def _zod_alias_root_js2(self, spec: ts.Node) -> bool:
        """`numberSchema.default(600)` with `const numberSchema = z.coerce.number()` at the top of the file
        (round 13, sourcebot's env schema): a chain rooted in a zod schema kept under a name."""
        node = spec
        while node is not None and node.type == "call_expression":
            fn = node.child_by_field_name("function")
            if fn is None or fn.type != "member_expression":
                return False
            node = unwrap(fn.child_by_field_name("object"))
        if node is None or node.type != "identifier":
            return False
        for decl in self.tree.root_node.named_children:
            if decl.type == "export_statement":
                decl = decl.child_by_field_name("declaration") or decl
            if decl.type != "lexical_declaration":
                continue
            for d in decl.named_children:
                if d.type == "variable_declarator" and ts.text(d.child_by_field_name("name")) == ts.text(node):
                    value = d.child_by_field_name("value")
                    return value is not None and ts.text(value).startswith("z.")
        return False

    def _parsed_env_holders(self) -> list[str]:
        """Top-level names bound to the parsed environment: `export const env = Schema.parse(process.env)`,
        `export const env = createEnv({...})`, or any top-level `env`."""
        names = []
        for decl in self.tree.root_node.named_children:
            if decl.type == "export_statement":
                decl = decl.child_by_field_name("declaration") or decl
            if decl.type not in ("lexical_declaration", "variable_declaration"):
                continue
            for d in decl.named_children:
                if d.type != "variable_declarator":
                    continue
                name = d.child_by_field_name("name")
                value = d.child_by_field_name("value")
                if name is None or name.type != "identifier" or (value is not None and value.type in FUNCTION_TYPES):
                    continue
                text = ts.text(value) if value is not None else ""
                if ts.text(name) == "env" or ".parse(" in text or "createEnv(" in text:
                    names.append(ts.text(name))
        return names

    def _add_env_pattern(self, pattern: ts.Node) -> None:
        """`const { RISK_URL = "http://risk:8080", PORT } = process.env;`"""
        for part in pattern.named_children:
            if part.type == "shorthand_property_identifier_pattern":
                self.symbols[ts.text(part)] = Env(ts.text(part))
            elif part.type == "object_assignment_pattern":
                left, right = part.child_by_field_name("left"), part.child_by_field_name("right")
                if left is not None and right is not None:
                    self.symbols[ts.text(left)] = Env(ts.text(left), self.to_expr(right, scoped=False))
            elif part.type == "pair_pattern":
                key = key_name(part.child_by_field_name("key"))
                value = part.child_by_field_name("value")
                if key and value is not None and value.type == "identifier":
                    self.symbols[ts.text(value)] = Env(key)
                elif key and value is not None and value.type == "assignment_pattern":
                    left, right = value.child_by_field_name("left"), value.child_by_field_name("right")
                    if left is not None and right is not None:
                        self.symbols[ts.text(left)] = Env(key, self.to_expr(right, scoped=False))

    def _add_config_pattern(self, pattern: ts.Node, call: ts.Node) -> None:
        """`const { imgProxyRequestTimeout } = getConfig()`: each name reads the member the settings
        function returns (`getConfig.$return.imgProxyRequestTimeout`, published by its file)."""
        fn = dotted(call.child_by_field_name("function"))
        args = call.child_by_field_name("arguments")
        if not re.fullmatch(r"[A-Za-z_$][\w$]*", fn or "") or not _SETTINGS_FUNCTION.search(fn):
            return
        if args is not None and any(a.type != "comment" and a.type != "object" for a in args.named_children):
            return
        for part in pattern.named_children:
            if part.type == "shorthand_property_identifier_pattern":
                self.symbols.setdefault(ts.text(part), Ref(f"{fn}.$return.{ts.text(part)}"))
            elif part.type == "pair_pattern":
                key, value = key_name(part.child_by_field_name("key")), part.child_by_field_name("value")
                if key and value is not None and value.type == "identifier":
                    self.symbols.setdefault(ts.text(value), Ref(f"{fn}.$return.{key}"))

    def _add_settings_object(self, decl: ts.Node) -> None:
        """`export function getConfig() { ...; config = { imgProxyRequestTimeout: parseInt(env(...) || '15') };
        return config }`: the members of the object a settings function builds and returns, published
        as `getConfig.$return.<key>`."""
        if decl.type != "function_declaration":
            return
        name = decl.child_by_field_name("name")
        body = decl.child_by_field_name("body")
        if name is None or body is None or not _SETTINGS_FUNCTION.search(ts.text(name)):
            return
        for obj in self._returned_objects(body, follow=True):
            self._add_object_symbols(f"{ts.text(name)}.$return", obj)

    def _returned_objects(self, body: ts.Node, follow: bool) -> list[ts.Node]:
        """The object literals a function body returns, directly or through the variable it returns.
        With ``follow``, a returned variable built by a call of another function of this file
        (`CONFIG = loadConfig({ schema, transform: parseRawConfig })`, `return parseConfig(raw)`) gives
        that function's returned objects: the settings singleton's members are the ones it builds."""
        returned = {ts.text(unwrap(n.named_children[0])) for n in descendants(body, stop_at_functions=True)
                    if n.type == "return_statement" and n.named_children and unwrap(n.named_children[0]) is not None}
        found = []
        for node in descendants(body, stop_at_functions=True):
            value = None
            if node.type == "assignment_expression" and ts.text(node.child_by_field_name("left")) in returned:
                value = unwrap(node.child_by_field_name("right"))
            elif node.type == "variable_declarator" and ts.text(node.child_by_field_name("name")) in returned:
                value = unwrap(node.child_by_field_name("value"))
            elif node.type == "return_statement" and node.named_children:
                value = unwrap(node.named_children[0])
            if value is not None and value.type == "await_expression" and value.named_children:
                value = unwrap(value.named_children[0])
            if value is None:
                continue
            if value.type == "object":
                found.append(value)
            elif follow and value.type == "call_expression":
                for builder in self._builder_functions(value):
                    builder_body = builder.child_by_field_name("body")
                    if builder_body is not None and builder_body.type == "statement_block":
                        found.extend(self._returned_objects(builder_body, follow=False))
        return found

    def _builder_functions(self, call: ts.Node) -> list[ts.Node]:
        """Functions this file declares at the top level that ``call`` calls or hands on (its callee,
        an argument, an option's value): `loadConfig({ transform: parseRawConfig })` -> parseRawConfig."""
        names = []
        callee = call.child_by_field_name("function")
        if callee is not None and callee.type == "identifier":
            names.append(ts.text(callee))
        args = call.child_by_field_name("arguments")
        for arg in (args.named_children if args is not None else []):
            arg = unwrap(arg)
            if arg is None:
                continue
            if arg.type == "identifier":
                names.append(ts.text(arg))
            elif arg.type == "object":
                names.extend(ts.text(unwrap(v)) for v in (object_props(arg) or {}).values()
                             if unwrap(v) is not None and unwrap(v).type == "identifier")
        found = []
        for stmt in self.tree.root_node.named_children:
            decl = stmt.child_by_field_name("declaration") if stmt.type == "export_statement" else stmt
            if decl is None or decl.type not in ("function_declaration", "lexical_declaration", "variable_declaration"):
                continue
            for fname, fn in _declared_functions(decl):
                if fname is not None and fn is not None and fn.type in FUNCTION_TYPES and ts.text(fname) in names:
                    found.append(fn)
        return found

    def _add_helper_timeout(self, decl: ts.Node) -> None:
        """`export const withTimeoutAsync = async (callback, timeout = 10000) => ...`: the default ms
        of a timeout helper, published as `withTimeoutAsync.$timeout` for its callers in other files."""
        for name, fn in _declared_functions(decl):
            if name is None or fn is None or fn.type not in FUNCTION_TYPES or not TIMEOUT_HELPER.search(ts.text(name)):
                continue
            default = helper_timeout_param(fn)
            if default is not None:
                expr = self.to_expr(default, scoped=False)
                if not isinstance(expr, Unknown):
                    self.symbols[f"{ts.text(name)}.$timeout"] = expr

    def _commonjs_export(self, stmt: ts.Node) -> str | None:
        """`module.exports = { http: { timeout: 5000 } }` (members published as `default.http.timeout`),
        `module.exports = settings`, `exports.TIMEOUT = 5000` / `module.exports.TIMEOUT = 5000`. Returns
        the name the default export's members are published under, if this statement sets it."""
        expr = stmt.named_children[0] if stmt.named_children else None
        if expr is None or expr.type != "assignment_expression":
            return None
        left, right = expr.child_by_field_name("left"), unwrap(expr.child_by_field_name("right"))
        if left is None or right is None:
            return None
        target = dotted(left)
        if target == "module.exports":
            if right.type == "object":
                self._add_object_symbols("default", right)
                return "default"
            if right.type == "identifier":
                return ts.text(right)
            return None
        for head in ("module.exports.", "exports."):
            name = target[len(head):]
            if target.startswith(head) and re.fullmatch(r"[A-Za-z_$][\w$]*", name) and \
                    name not in self.symbols and not any(k.startswith(name + ".") for k in self.symbols):
                self._add_symbol(name, right)  # the file's own constant of that name keeps its value
        return None

    def _add_settings_function(self, decl: ts.Node) -> None:
        """`export const CONVERSION_TIMEOUT_MS = (): number => { const raw = env('X'); if (!raw) return
        DEFAULT; ...; return parsed }`: a settings function without parameters that reads one
        environment variable and otherwise returns a constant, published as `NAME.$return` = Env(X,
        DEFAULT) (read by callers as `NAME()`)."""
        for name, fn in _declared_functions(decl):
            if name is None or fn is None or fn.type not in FUNCTION_TYPES:
                continue
            params = fn.child_by_field_name("parameters")
            if params is None or params.named_children:
                continue
            body = unwrap(fn.child_by_field_name("body"))
            if body is None or body.type != "statement_block" or len(ts.text(body)) > 2000:
                continue
            envs = set()
            for node in descendants(body):
                if node.type == "call_expression":
                    callee = dotted(node.child_by_field_name("function"))
                    if _ENV_READER.fullmatch(callee):
                        var = string_value(self._first_argument(node))
                        if var:
                            envs.add(var)
                elif node.type in ("member_expression", "subscript_expression"):
                    var = env_name(node)
                    if var:
                        envs.add(var)
            if len(envs) != 1:
                continue
            defaults = []
            for node in descendants(body, stop_at_functions=True):
                if node.type != "return_statement" or not node.named_children:
                    continue
                value = unwrap(node.named_children[0])
                if value is None:
                    continue
                if value.type == "ternary_expression":
                    # `return Number.isFinite(parsed) && parsed > 0 ? parsed : 30_000` (round 14, js2: HyperDX):
                    # the constant branch is the default, the other one the variable read
                    branches = [unwrap(value.child_by_field_name(b)) for b in ("consequence", "alternative")]
                    constant = [b for b in branches if b is not None and b.type == "number"]
                    if len(constant) == 1 and any(b is not None and b.type == "identifier" for b in branches):
                        value = constant[0]
                if value.type == "number" or (value.type == "identifier" and ts.text(value) in self.symbols):
                    defaults.append(self.to_expr(value, scoped=False))
            if defaults and all(d == defaults[0] for d in defaults):
                self.symbols[f"{ts.text(name)}.$return"] = Env(next(iter(envs)), defaults[0])

    def _add_symbol(self, name: str, value: ts.Node) -> None:
        if value.type == "object":
            self._add_object_symbols(name, value)
            return
        if value.type in ("call_expression", *FUNCTION_TYPES) and "." not in name:
            settings = _nest_registered_settings(value)
            if settings is not None:
                # `export const thresholdConfig = registerAs('threshold', () => ({ bigTransactionTimeout:
                # Number(process.env.X ?? 600000) }))` (round 12, @nestjs/config): the namespace's settings
                # as the object's members, read by the classes that inject it
                self._add_object_symbols(name, settings)
                return
            injected = _nest_injected_settings(value)
            if injected is not None:
                # `export const ThresholdConfig = () => Inject(thresholdConfig.KEY)`: a parameter decorated
                # `@ThresholdConfig()` holds that namespace's settings (declared above it in this file)
                for member in [k[len(injected) + 1:] for k in self.symbols if k.startswith(f"{injected}.")]:
                    self.symbols[f"{name}{NEST_INJECT}{member}"] = Ref(f"{injected}.{member}")
                return
        if value.type == "call_expression" and "." not in name and self._settings_call_alias_js2(name, value):
            return
        if value.type == "arrow_function" and name.startswith("default."):
            fallback = _getter_fallback_js1(value)
            if fallback is not None:
                # (round 15, js1) `module.exports = { getSyncTimeout: () => parseInt(get('syncServerTimeout'))
                # || 120000 }` (Trilium): a settings getter's own default, for `syncOptions.getSyncTimeout()`
                self.symbols.setdefault(f"{name}.$return", Num(fallback))
                return
        if value.type in FUNCTION_TYPES or value.type in ("class", "call_expression", "new_expression") \
                and not self._is_value_call(value):
            return
        expr = self.to_expr(value, scoped=False)
        if not isinstance(expr, Unknown):
            self.symbols[name] = expr

    def _settings_call_alias_js2(self, name: str, value: ts.Node) -> bool:
        """`const config = getConfig(); export default config` (round 15, js2: PlanningSup): the members of
        the object a settings function of this file returns (`getConfig.$return.curlTimeout`) are the
        constant's members (`config.curlTimeout`), for this file and its importers."""
        fn = value.child_by_field_name("function")
        args = value.child_by_field_name("arguments")
        if fn is None or fn.type != "identifier" or args is None or \
                [a for a in args.named_children if a.type != "comment"]:
            return False
        prefix = f"{ts.text(fn)}.$return."
        members = [k for k in self.symbols if k.startswith(prefix)]
        for key in members:
            self.symbols.setdefault(f"{name}.{key[len(prefix):]}", Ref(key))
        return bool(members)

    def _is_value_call(self, node: ts.Node) -> bool:
        if node.type != "call_expression":
            return False
        fn = ts.text(node.child_by_field_name("function"))
        if fn in ("parseInt", "parseFloat", "Number", "String", "Math.max", "Math.min") or \
                (fn == "ms" and string_value(self._first_argument(node)) is not None):  # ms('30 seconds')
            return True
        args = node.child_by_field_name("arguments")
        listed = [a for a in (args.named_children if args is not None else []) if a.type != "comment"]
        if _ENV_GETTER.search(fn) and len(listed) > 1 and string_value(listed[0]) is not None and \
                _env_options_default_js2(listed[1]) is not None:
            return True  # `curlTimeout: env('CURL_TIMEOUT', { default: 5000 })` (round 15, js2)
        from extractors.javascript.unit_helpers_js1 import is_unit_helper_call_js1
        if is_unit_helper_call_js1(self, node):
            return True  # `const STANDARD_TIMEOUT = seconds(10)` (round 19, js1)
        return self._fallback_argument(fn, listed) is not None

    @staticmethod
    def _first_argument(node: ts.Node) -> ts.Node | None:
        args = node.child_by_field_name("arguments")
        return args.named_children[0] if args is not None and args.named_children else None

    def _add_object_symbols(self, prefix: str, obj: ts.Node, depth: int = 0) -> None:
        if depth > 4:
            return
        for key, value in (object_props(obj) or {}).items():
            value = unwrap(value)
            if value is None or not re.match(r"^[A-Za-z_$][\w$]*$", key):
                continue
            if value.type == "object":
                self._add_object_symbols(f"{prefix}.{key}", value, depth + 1)
            else:
                self._add_symbol(f"{prefix}.{key}", value)

    def _collect_calls(self) -> None:
        seen: set[tuple] = set()
        for match in self.query_matches("calls"):
            node = match["call"][0]
            if node_key(node) in seen:
                continue
            seen.add(node_key(node))
            callee_node = match["callee"][0]
            awaited = callee_node.type == "await_expression"
            if awaited and callee_node.named_children:
                callee_node = callee_node.named_children[0]
            parent = node.parent
            while parent is not None and parent.type in WRAPPERS:
                parent = parent.parent
            awaited = awaited or (parent is not None and parent.type == "await_expression") or \
                _awaited_through_chain(node) or _yielded_in_generator_js1(node, parent)
            callee = dotted(callee_node)
            args_nodes = match.get("args")
            args = [a for a in args_nodes[0].named_children if a.type != "comment"] if args_nodes else []
            head = callee.split(".", 1)[0]
            qualified = callee if head in self.imports and self.shadowed(head, node) else self.qualify(callee)
            self.calls.append(CallInfo(node=node, callee=callee, qualified=qualified, args=args,
                                       is_new=node.type == "new_expression", awaited=awaited))
        self.calls.sort(key=lambda c: (c.node.start_byte, -c.node.end_byte))
        self._call_starts = [c.node.start_byte for c in self.calls]

    def _collect_functions(self) -> None:
        """Named functions of this file (declarations, `const f = () => ...`, methods) by name."""
        for node in self.nodes_of("function_declaration", "generator_function_declaration", "method_definition",
                                  "variable_declarator"):
            if node.type in ("function_declaration", "generator_function_declaration", "method_definition"):
                name = node.child_by_field_name("name")
                if name is not None:
                    self.functions.setdefault(ts.text(name), node)
            elif node.type == "variable_declarator":
                value = unwrap(node.child_by_field_name("value"))
                name = node.child_by_field_name("name")
                if value is not None and name is not None and value.type in FUNCTION_TYPES:
                    self.functions.setdefault(ts.text(name), value)

    # ------------------------------------------------------------------ names

    def qualify(self, dotted_name: str) -> str:
        """Apply imports to the first component: `uuidv4` -> `uuid.v4`, `ax.get` -> `axios.get`."""
        if not dotted_name:
            return dotted_name
        head, _, rest = dotted_name.partition(".")
        if head in self.imports:
            base = self.imports[head]
            if rest == "default" or rest.startswith("default."):  # compiled `axios_1.default.get(...)`
                rest = rest[len("default"):].lstrip(".")
            return f"{base}.{rest}" if rest else base
        return dotted_name

    def _project_import_js1(self, local: str) -> bool:
        """`OUTLOOK_MAX_RETRY_ATTEMPTS` destructured from `require('../../consts')` (round 13,
        EmailEngine): a constant of another file of the project (the pipeline resolves it there)."""
        target = self.imports.get(local)
        return target is not None and (target in self.local_modules or target.rsplit(".", 1)[0] in self.local_modules)

    def imported_from(self, local: str, *modules: str) -> bool:
        target = self.imports.get(local)
        if target is None:
            return False
        return any(target == m or target.startswith(m + ".") for m in modules)

    def local_names_for(self, *modules: str) -> set[str]:
        return {name for name, target in self.imports.items()
                if any(target == m or target.startswith(m + ".") for m in modules)}

    def shadowed(self, name: str, site: ts.Node) -> bool:
        """True when ``name`` at ``site`` is a local binding (a parameter or a block-level
        declaration), not the file-level import of the same name."""
        scope = self._scope_above(site)
        chain = []  # scopes whose answer for `name` is not known yet, innermost first
        answer = False
        while scope is not None:
            known = self._shadow_memo.get((scope.id, name))
            if known is not None:
                answer = known
                break
            chain.append(scope)
            if name in self._bound_names(scope):
                answer = True
                break
            scope = self._scope_above(scope)
        # Every scope on the chain answers the same (it found nothing itself, or is the one binding it).
        for visited in chain:
            self._shadow_memo[(visited.id, name)] = answer
        return answer

    @staticmethod
    def _scope_above(node: ts.Node) -> ts.Node | None:
        """The nearest ancestor that can bind names: a function or a block."""
        parent = node.parent
        while parent is not None:
            kind = parent.type
            if kind in FUNCTION_TYPES or kind == "statement_block":
                return parent
            parent = parent.parent
        return None

    def _bound_names(self, scope: ts.Node) -> frozenset[str]:
        """The names a function's parameters or a block's own declarations bind (memoised per node)."""
        found = self._bound.get(scope.id)
        if found is not None:
            return found
        names: set[str] = set()
        if scope.type in FUNCTION_TYPES:
            params = scope.child_by_field_name("parameters") or scope.child_by_field_name("parameter")
            if params is not None:
                # (round 22, js2) only the names the parameters bind: not those a TypeScript type
                # (`opts: Parameters<typeof retry>[1]`) or a default value (`= ASYNC_RETRY_OPTIONS`) reads
                from extractors.javascript.param_bindings_js2r22 import parameter_bindings
                names.update(parameter_bindings(params))
        else:
            for stmt in scope.named_children:
                if stmt.type in ("lexical_declaration", "variable_declaration"):
                    for decl in stmt.named_children:
                        dname = decl.child_by_field_name("name") if decl.type == "variable_declarator" else None
                        if dname is not None:
                            names.add(ts.text(dname))
                elif stmt.type == "function_declaration":
                    fname = stmt.child_by_field_name("name")
                    if fname is not None:
                        names.add(ts.text(fname))
        found = self._bound[scope.id] = frozenset(names)
        return found

    # ------------------------------------------------------------------ values

    def _merged_defaults_member(self, site: ts.Node, head: str, member: str) -> Expr | None:
        """`const config = { ...DEFAULT_CONFIG, ...configOverride }; ... config.maxRetries` (round 12):
        the member written last in the local object, skipping spreads of the function's own parameters
        (a caller's override: the code runs with the default unless a caller passes one), else the
        member of the constant object spread before them (`DEFAULT_CONFIG.maxRetries`)."""
        local = self.local_value(head, site)
        if local is None or local.type != "object":
            return None
        fn = enclosing_function(site)
        for part in reversed(local.named_children):
            if part.type == "pair" and key_name(part.child_by_field_name("key")) == member:
                return self.to_expr(part.child_by_field_name("value"), True, 1)
            if part.type == "shorthand_property_identifier" and ts.text(part) == member:
                return None
            if part.type != "spread_element" or not part.named_children:
                continue
            spread = unwrap(part.named_children[0])
            if spread is None or spread.type != "identifier":
                return None
            if fn is not None and _parameter_default(fn, ts.text(spread))[0]:
                continue  # `...configOverride`: the caller's override of the defaults
            spread_value = self.local_value(ts.text(spread), site)
            if spread_value is None or spread_value.type != "object":
                return None
            members = object_props(spread_value) or {}
            if member in members:
                return Ref(f"{ts.text(spread)}.{member}") if ts.text(spread) and \
                    f"{ts.text(spread)}.{member}" in self.symbols else self.to_expr(members[member], True, 1)
            return None
        return None

    def local_value(self, name: str, site: ts.Node) -> ts.Node | None:
        """The initial value of `const name = ...` in a block enclosing ``site`` (innermost first),
        or a top-level declaration. Follows only declarations, never assignments; a `let` only when
        it holds an object literal that every reassignment hands on (`x = withProxy(x)`)."""
        for parent in ts.ancestors(site):
            if parent.type in FUNCTION_TYPES:
                found, default = _parameter_default(parent, name)
                if found:  # a parameter shadows every outer binding of the name
                    if default is None:  # (round 19, js3) `if (!options) options = { retries: 100 }`
                        from extractors.javascript.body_default_js3 import body_default
                        in_body = body_default(parent, name)
                        return in_body[0] if in_body is not None else None
                    return unwrap(default)
                continue
            if parent.type not in ("statement_block", "program", "class_body", "switch_body"):
                continue
            for stmt in parent.named_children:
                decl = stmt.child_by_field_name("declaration") if stmt.type == "export_statement" else stmt
                if decl is None or decl.type not in ("lexical_declaration", "variable_declaration"):
                    continue
                mutable = decl.type == "lexical_declaration" and not ts.text(decl).startswith("const")
                if decl.type == "variable_declaration" and parent.type != "program":
                    if parent.type != "statement_block":
                        continue
                    if _es5_var_object_js1(decl):
                        # (round 15, js1) ES5 code's `var downloadOptions = { timeout: 600000, ... }` in a
                        # function: read as a `let` holding an object literal every reassignment hands on
                        mutable = True
                    else:
                        from extractors.javascript.es5_vars_js1 import unassigned_var
                        if not unassigned_var(parent, name):
                            from extractors.javascript.assigned_local_js1r22 import declared_then_assigned
                            assigned = declared_then_assigned(decl, parent, name, site)
                            if assigned is not None:  # (round 22, js1) `var req; ... req = {...}`
                                return assigned
                            continue  # (round 21, js1) a `var` never written again reads as a `const`
                for declarator in decl.named_children:
                    if declarator.type != "variable_declarator":
                        continue
                    dname = declarator.child_by_field_name("name")
                    if dname is not None and dname.type == "identifier" and ts.text(dname) == name:
                        value = declarator.child_by_field_name("value")
                        if value is not None and mutable and not _passed_through(parent, name, unwrap(value)) \
                                and not _env_overridden_default(parent, name, unwrap(value)):
                            continue  # `let` may be reassigned: its first value says little
                        if value is not None:
                            return unwrap(value)
                        if mutable:  # (round 22, js1) `let req; ... req = {...}`: the object assigned before the use
                            from extractors.javascript.assigned_local_js1r22 import assigned_object
                            assigned = assigned_object(parent, name, site)
                            if assigned is not None:
                                return assigned
                    elif mutable:
                        continue
                    elif dname is not None and dname.type == "object_pattern":
                        default = _pattern_default(dname, name)  # `const { timeoutMs = 3000 } = options`
                        if default is not None:
                            return unwrap(default)
        return None

    def resolve_object(self, node: ts.Node | None, depth: int = 0) -> ts.Node | None:
        """An object literal, or the object literal an identifier was declared with."""
        node = unwrap(node)
        if node is None or depth > 3:
            return None
        if node.type == "object":
            return node
        if node.type == "identifier":
            return self.resolve_object(self.local_value(ts.text(node), node), depth + 1)
        if node.type == "member_expression" and re.fullmatch(r"this\.[A-Za-z_$][\w$]*", ts.text(node)):
            # `RETRY_OPTIONS = { retries: 5 }` of the class, read as `this.RETRY_OPTIONS` (round 11)
            return self.resolve_object(self._class_field(node, ts.text(node)[5:]), depth + 1)
        if node.type == "call_expression" and dotted(node.child_by_field_name("function")) == "Object.assign":
            # (round 17, js1) `got(url, Object.assign({ timeout: 30000 }, options))` (jsDelivr's remote services):
            # the literal the caller's options are merged onto holds the request's own settings
            args = node.child_by_field_name("arguments")
            given = [a for a in (args.named_children if args is not None else []) if a.type != "comment"]
            first = unwrap(given[0]) if given else None
            if first is not None and first.type == "object" and any(c.type == "pair" for c in first.named_children):
                return first
        return None

    def assigned_props(self, options: ts.Node | None, site: ts.Node) -> list[tuple[str, ts.Node, ts.Node]]:
        """(key, value, assignment) of each `opts.key = value` the function around ``site`` writes on
        the options variable it hands on (`var opts = {}; opts.timeout = {...}; got(url, opts)`), in
        source order; nested functions (callbacks, hooks) are left out."""
        options = unwrap(options)
        if options is None or options.type != "identifier":
            return []
        name = ts.text(options)
        scope = enclosing_function(site) or self.tree.root_node
        found = []
        for node in descendants(scope, stop_at_functions=True):
            if node.type != "assignment_expression":
                continue
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if left is None or right is None or left.type != "member_expression":
                continue
            obj, prop = left.child_by_field_name("object"), left.child_by_field_name("property")
            if obj is not None and prop is not None and obj.type == "identifier" and ts.text(obj) == name:
                found.append((ts.text(prop), right, node))
        return found

    def props(self, obj: ts.Node | None, depth: int = 0) -> dict[str, ts.Node] | None:
        """Like ``object_props``, with `...defaults` merged in where `defaults` is an object literal
        this file declares (later keys win, as in JS)."""
        obj = unwrap(obj)
        if obj is None or obj.type != "object":
            return None
        merged: dict[str, ts.Node] = {}
        for child in obj.named_children:
            if child.type == "spread_element" and child.named_children and depth < 4:
                inner = self.resolve_object(_conditional_spread_js1(child.named_children[0]))
                merged.update(self.props(inner, depth + 1) or {})
            elif child.type == "pair":
                name = key_name(child.child_by_field_name("key"))
                value = child.child_by_field_name("value")
                if name is not None and value is not None:
                    merged[name] = value
            elif child.type == "shorthand_property_identifier":
                merged[ts.text(child)] = child
        return merged

    def opaque(self, obj: ts.Node | None, depth: int = 0) -> bool:
        """True when the object spreads in something this file cannot see (`...options`)."""
        obj = unwrap(obj)
        if obj is None or obj.type != "object":
            return True
        for child in obj.named_children:
            if child.type == "spread_element":
                inner = self.resolve_object(_conditional_spread_js1(child.named_children[0])) \
                    if child.named_children else None
                if inner is None or depth >= 4 or self.opaque(inner, depth + 1):
                    return True
        return False

    def to_expr(self, node: ts.Node | None, scoped: bool = True, depth: int = 0) -> Expr:
        """Translate a JS expression into a values.Expr. With ``scoped``, names declared as local
        `const`s in enclosing blocks are inlined (the pipeline only sees file-level symbols)."""
        node = unwrap(node)
        if node is None or depth > 12:
            return Unknown("")
        kind = node.type
        raw = ts.text(node)
        if kind == "number":
            value = parse_number(raw)
            return Num(value) if value is not None else Unknown(raw)
        if kind in ("string", "template_string"):
            value = string_value(node)
            if value is not None:
                return Str(value)
            return self._template_expr(node, scoped, depth)
        if kind in ("identifier", "shorthand_property_identifier"):  # `{ retries }` reads `retries`
            if scoped:
                local = self.local_value(raw, node)
                if local is not None and not self._is_top_level_const(raw, node, local):
                    return self.to_expr(local, scoped, depth + 1)
                if local is None:
                    destructured = self._settings_destructured(raw, node)
                    if destructured is not None:
                        return destructured
                if local is None and depth < 6:
                    handed = self._handed_by_callers(raw, node, depth)
                    if handed is not None:
                        return handed
            unit = _TIME_UNIT_MS.get(raw)
            if unit is not None and raw in self.imports and not self.imports[raw].startswith(".") and \
                    f"{raw}" not in self.symbols:
                # `import { SECOND, MINUTE } from '@atproto/common'` (round 9): a package's time-unit
                # constants are milliseconds by the JS convention (`60 * SECOND`), unreadable from here
                from extractors.javascript.detectors.client_options import _project_module
                if not _project_module(self, self.imports[raw]):
                    return Num(unit)
            return Ref(raw)
        if kind in ("member_expression", "subscript_expression"):
            env = env_name(node)
            if env is not None:
                return Env(env)
            name = dotted(node)
            settings_read = self._settings_member(node)
            if settings_read is not None:
                return settings_read
            setmeup_read = self._setmeup_member_js1(node) if b"setmeup" in self.data else None
            if setmeup_read is not None:
                return setmeup_read
            if b"rc')" in self.data or b'rc")' in self.data:
                from extractors.javascript.rc_config_js1 import rc_member
                rc_read = rc_member(self, node)  # (round 21, js1) `RC.X.Y` of `require('rc')(.., default.json)`
                if rc_read is not None:
                    return rc_read
            if name and not any(ch in name for ch in "()[]"):
                env_member = _param_env_member(node, name)
                if env_member is not None:
                    return env_member
                typed = _typed_param_member(node, name)
                if typed is not None:
                    return typed
                if not name.startswith("this.") and name.count(".") == 1 and depth < 8:
                    made_field = self._new_instance_field(node, *name.split("."))
                    if made_field is not None:  # `instance.connectionTimeout` of `const instance = new PGVector()`
                        return self.to_expr(made_field, scoped, depth + 1)
                if name.startswith("this."):
                    field_value = self._class_field(node, name[5:]) if name.count(".") == 1 else None
                    if field_value is not None and _bare_constructor_param(field_value):
                        # `this.maxRetries = maxRetries` of a parameter without a default (round 12): the
                        # value each construction hands in; the field keeps its name so the class
                        # publishes the parameter for `new X(...)` (rule c at those calls)
                        return Ref(name)
                    if field_value is not None:
                        return self.to_expr(field_value, scoped, depth + 1)
                    token = injected_token(node, name[5:]) if name.count(".") == 1 else None
                    if token is not None:
                        return Ref(f"{DI_PREFIX}{token}")  # the container's binding (round 11)
                    if name.count(".") >= 2:
                        field, _, member = name[5:].partition(".")
                        nest = nest_settings_member(node, field, member)
                        if nest is not None:
                            return nest
                        from extractors.javascript.typed_config_lead import typed_this_member
                        typed_read = typed_this_member(node, name, _type_key, _SETTING_KEY, TYPED)
                        if typed_read is not None:  # (round 20, lead) `this.config.x` of `config: Cfg`
                            return typed_read
                    return Unknown(raw)
                if scoped and name.count(".") == 1 and depth < 8:
                    merged = self._merged_defaults_member(node, *name.split("."))
                    if merged is not None:
                        return merged
                if name.count(".") == 1:
                    from extractors.javascript.ternary_js2 import imported_env_member_js2
                    env_read = imported_env_member_js2(self, name)  # (round 20, js2) `envs.X` of a parsed env
                    if env_read is not None:
                        return env_read
                return Ref(name)
            return Unknown(raw)
        if kind == "binary_expression":
            op = ts.text(node.child_by_field_name("operator"))
            left = self.to_expr(node.child_by_field_name("left"), scoped, depth + 1)
            right = self.to_expr(node.child_by_field_name("right"), scoped, depth + 1)
            if op in ("??", "||"):
                if isinstance(left, Env):
                    # `process.env.A || process.env.B || "20"`: the default goes to the last lookup
                    chained = _env_default(left, right)
                    if chained is not None:
                        return chained
                    if isinstance(left.default, Ref) and left.default.name.startswith(ENV_DEFAULT) and \
                            (isinstance(right, (Num, Ref)) or isinstance(right, Str) and _numeric_text(right.value)):
                        # `configService.get('STREAM_TIMEOUT') ?? DEFAULT_STREAM_TIMEOUT` (round 14, js2): the
                        # setting's declared default when a schema declares one, else the code's own fallback
                        return Env(left.var, Call("coalesce", (left.default, right)))
                if isinstance(left, Call) and left.args and isinstance(left.args[0], Env) \
                        and left.args[0].default is None:
                    # parseInt(process.env.X) || 500: the default replaces the whole conversion
                    return Call(left.func, (Env(left.args[0].var, right),), left.kwargs)
                from extractors.javascript.env_helper_ts2 import env_helper_fallback
                helped = env_helper_fallback(node.child_by_field_name("left"), left, right)
                if helped is not None:  # (round 21, ts2) `optIntegerParam(process.env.X, "") ?? 10000`
                    return helped
                if self._optional_operand(node.child_by_field_name("left"), left) and \
                        ((isinstance(right, Num) and right.value) or
                         _constant_arithmetic_js1(right) or  # `httpConf.timeout || 2 * 60 * 1000` (round 19, js1)
                         (isinstance(right, Env) and right.default is not None) or  # `?? configService.get('a.b')`
                         (isinstance(right, Ref) and "." not in right.name and (right.name in self.symbols
                                                                                 or self._project_import_js1(right.name))) or
                         # `timeoutOverride || config.curlTimeout` (round 15, js2): a member of an
                         # imported settings object (the pipeline resolves it in that module)
                         (isinstance(right, Ref) and right.name.count(".") == 1 and
                          right.name.split(".", 1)[0] in self.imports)):
                    # `parsed.connectTimeout ?? 10000`, `options?.timeout || 5000`: a setting read from an
                    # optional options/request object, with the code's own default (the value it runs
                    # with unless a caller or the URL says otherwise)
                    return right
                if (isinstance(left, Env) or isinstance(left, Ref) and ("." in left.name or left.name in self.symbols)) \
                        and isinstance(right, Num) and right.value:
                    # `const prefetchTimeout = Config.values.prefetchTimeout; ... prefetchTimeout || 5000`
                    # (round 9): the setting when the scan can read it, else the code's own default
                    return Call("coalesce", (left, right))
                return Unknown(raw)
            if op in ("+", "-", "*", "/", "%", "**"):
                return BinOp(op, left, right)
            return Unknown(raw)
        if kind == "unary_expression":
            op = ts.text(node.child_by_field_name("operator"))
            arg = self.to_expr(node.child_by_field_name("argument"), scoped, depth + 1)
            if op == "-":
                return BinOp("-", Num(0), arg)
            if op == "+":
                return Call("Number", (arg,))
            return Unknown(raw)
        if kind == "call_expression":
            fn = dotted(node.child_by_field_name("function"))
            if fn.endswith((".asMilliseconds", ".asSeconds", ".toMillis", ".as", ".valueOf")):
                from extractors.javascript.duration_js2r22 import duration_expr
                span = duration_expr(self, node, scoped, depth)  # (round 22, js2) `dayjs.duration(30, 'seconds')`
                if span is not None:
                    return span
            if fn.endswith((".getConfig", ".getSetting", ".getValue")):
                from extractors.javascript.keyed_config_js2r22 import registered_read
                registered = registered_read(self, node)  # (round 22, js2) `env.getConfig(EnvironmentConfig.X)`
                if registered is not None:
                    return registered
            args_node = node.child_by_field_name("arguments")
            args = [a for a in args_node.named_children if a.type != "comment"] if args_node is not None else []
            if _ENV_GETTER.search(fn.rsplit(".", 1)[-1]) and "." not in fn and args and string_value(args[0]) is not None:
                # `getOptionalConfigFromEnv('IMGPROXY_REQUEST_TIMEOUT')`, `env('X')`: a project's environment reader
                option_default = _env_options_default_js2(args[1]) if len(args) > 1 and depth < 8 else None
                if option_default is not None:
                    # `env('CURL_TIMEOUT', { default: 5000 })` (round 15, js2): the reader's options bag
                    # names the value it runs with unless the variable is set
                    return Env(string_value(args[0]), self.to_expr(option_default, scoped, depth + 1))
                return Env(string_value(args[0]))
            if "." not in fn and args and (_ENV_GETTER.search(fn) or _ENV_CHECKER.search(fn)) and \
                    args[0].type == "member_expression" and \
                    re.fullmatch(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+", ts.text(args[0].child_by_field_name("property"))):
                # `checkEnvironmentVariable(EnvironmentVariables.HMRC_MAX_RETRIES, logger)` (round 12): the
                # variable a constants object names by its own name
                return Env(ts.text(args[0].child_by_field_name("property")))
            if _PARSE_WITH_DEFAULT.match(fn.rsplit(".", 1)[-1]) and len(args) == 2 and depth < 8:
                # `parseInteger(env.RENOVATE_X_..._ATTEMPTS, 5)` (round 11): a project's number parser with a
                # fallback, read from the environment: the fallback unless the variable is set
                read, fallback = self.to_expr(args[0], scoped, depth + 1), self.to_expr(args[1], scoped, depth + 1)
                if isinstance(read, Env) and read.default is None and isinstance(fallback, Num):
                    return Env(read.var, fallback)
                if isinstance(fallback, Num) and args[0].type == "member_expression" and \
                        re.fullmatch(r"(?:[\w$]+\.)*env\.[A-Z][A-Z0-9_]*", ts.text(args[0]), re.I):
                    # (`const env = getEnv(); parseInteger(env.X, 5)`: an environment object of the project's)
                    return Env(ts.text(args[0]).rsplit(".", 1)[-1], fallback)
            if _PARSE_WITH_DEFAULT.match(fn) and len(args) == 1 and depth < 8:
                # (round 20, jsfix2) `toNumber(process.env.X) || 30`: a project's one-argument number parser of
                # an environment variable, a conversion (the `||` fallback is then the variable's default)
                read = self.to_expr(args[0], scoped, depth + 1)
                if isinstance(read, Env) and read.default is None:
                    return Call("Number", (read,))
            if fn.rsplit(".", 1)[-1] == "get" and len(args) == 1 and args[0].type == "member_expression" and \
                    _CONTAINER_RECEIVER.search(fn.rsplit(".", 1)[0]):
                # `container.get<number>(TYPES.HTTP_CALL_TIMEOUT)` (round 11): a DI container's binding
                return Ref(f"{DI_PREFIX}{dotted(args[0]).rsplit('.', 1)[-1]}")
            if fn.rsplit(".", 1)[-1] == "get" and args and string_value(args[0]) is not None and \
                    self.imports.get(fn.split(".", 1)[0]) == "nconf":
                from extractors.javascript.nconf_js1r22 import nconf_read
                return nconf_read(string_value(args[0]))  # (round 22, js1) `nconf.get('GROUPS_TIMEOUT_SECONDS')`
            if fn.rsplit(".", 1)[-1] == "get" and args and string_value(args[0]) is not None and \
                    self.imports.get(fn.split(".", 1)[0]) == "config":
                # the node-config package (`const config = require("config")`): config/default.json,
                # and the variable custom-environment-variables.json maps the key to
                return Ref(f"$node-config:{string_value(args[0])}")
            if fn.rsplit(".", 1)[-1] in ("get", "getOrThrow") and args and _CONFIG_RECEIVER.search(fn) \
                    and string_value(args[0]) is not None:
                # NestJS ConfigService / node-config: `config.get("HTTP_TIMEOUT", 5000)` reads the environment
                default = self.to_expr(args[1], scoped, depth + 1) if len(args) > 1 else \
                    Ref(ENV_DEFAULT + string_value(args[0]))  # the default an envalid schema declares
                return Env(string_value(args[0]), default)
            if len(args) == 3 and string_value(args[1]) is not None and fn.rsplit(".", 1)[-1] == "get" and \
                    self.imports.get(fn.split(".", 1)[0], "").split(".", 1)[0] in ("lodash", "lodash/get", "lodash.get",
                                                                                   "lodash-es", "underscore"):
                # `_.get(apiConfig, 'requestRetries', 3)`: a setting read from a config object, with the
                # code's own default (the value it runs with unless the configuration says otherwise)
                return self.to_expr(args[2], scoped, depth + 1)
            if not args and fn.count(".") in (1, 2) and depth < 8:
                # (round 20, ts2) `this.environmentVariables.maxRetries()`: a getter of a project class
                from extractors.javascript.env_getter_ts2 import getter_ref
                ref = getter_ref(self, fn, node)
                if ref is not None:
                    return ref
            if not args and re.fullmatch(r"[A-Za-z_$][\w$]*\.get[A-Z]\w*", fn) and \
                    self._project_import_js1(fn.split(".", 1)[0]):
                # (round 15, js1) `syncOptions.getSyncTimeout()`: a getter of a settings module of the
                # project, valued where that module publishes its default (`default.getSyncTimeout.$return`)
                return Ref(f"{fn}.$return")
            if not args and re.fullmatch(r"[A-Za-z_$][\w$]*", fn) and fn not in ("Date", "Symbol") and \
                    (fn in self.imports or f"{fn}.$return" in self.symbols):
                # `DOCUMENT_CONVERSION_TIMEOUT_MS()`: a settings function (see _add_settings_function)
                return Ref(f"{fn}.$return")
            read_env = self._env_reader(fn, args)
            if read_env is not None and depth < 8:
                # `get('HMPPS_AUTH_TIMEOUT_RESPONSE', 10000)` (round 11, the HMPPS template's config.ts):
                # a function of this file returning `process.env[name]` when set, else its fallback
                return Env(read_env, self.to_expr(args[1], scoped, depth + 1))
            fallback = self._fallback_argument(fn, args)
            if fallback is not None:
                # `parseMaxAttempts(raw.maxAttempts, 5)` of a function this file declares with a
                # `defaultValue` parameter: the code's own default (the environment's, when it reads one)
                default = self.to_expr(fallback, scoped, depth + 1)
                read = self.to_expr(args[0], scoped, depth + 1)
                if isinstance(read, Env) and read.default is None and not isinstance(default, Unknown):
                    return Env(read.var, default)
                return default
            if fn.endswith(".duration") and len(args) == 2:  # (round 19, js3) `moment.duration(60, 'seconds')`
                from extractors.javascript.body_default_js3 import moment_duration_ms
                duration = moment_duration_ms(self.imports, fn, args)
                if duration is not None:
                    return Num(duration)
            if "." not in fn and len(args) == 1 and depth < 8:
                # `seconds(10)` of `const seconds = secs => secs * 1000` (round 19, js1: flood-app)
                from extractors.javascript.unit_helpers_js1 import unit_helper_value_js1
                unit = unit_helper_value_js1(self, fn, args, scoped, depth)
                if unit is not None:
                    return unit
            func = {"parseInt": "parseInt", "Number.parseInt": "parseInt", "parseFloat": "parseFloat",
                    "Number.parseFloat": "parseFloat", "Number": "Number", "String": "str",
                    "Math.max": "max", "Math.min": "min", "ms": "ms"}.get(fn)
            if func == "ms" and args:
                seconds = _ms_string(string_value(args[0]))
                return Num(seconds) if seconds is not None else Unknown(raw)
            if func is None or not args:
                return Unknown(raw)
            if func in ("parseInt", "parseFloat", "Number", "str"):
                args = args[:1]
            return Call(func, tuple(self.to_expr(a, scoped, depth + 1) for a in args))
        if kind == "ternary_expression":
            # `process.env.X ? Math.max(1000, parseInt(process.env.X)) : 30_000`: the environment's
            # value when set, else the code's default
            condition = unwrap(node.child_by_field_name("condition"))
            consequence = node.child_by_field_name("consequence")
            alternative = node.child_by_field_name("alternative")
            env = env_name(condition) if condition is not None and condition.type in (
                "member_expression", "subscript_expression") else None
            if env is not None and consequence is not None and alternative is not None and \
                    env in ts.text(consequence):
                default = self.to_expr(alternative, scoped, depth + 1)
                if isinstance(default, (Num, Str)):
                    return Env(env, default)
            if condition is not None and consequence is not None and alternative is not None:
                test_branch = _test_env_branch(condition)
                if test_branch is not None:
                    # `nodeEnv === NodeEnvEnum.Test ? 1 : 5`: what the service runs with is the other branch
                    return self.to_expr(alternative if test_branch == "consequence" else consequence,
                                        scoped, depth + 1)
                missing = _missing_check(condition)
                if missing is not None and env is None and \
                        re.search(r"(?<![\w$.])" + re.escape(missing) + r"(?![\w$])", ts.text(alternative)):
                    # `isNaN(parsed) ? DEFAULT_TIMEOUT_SECONDS : parsed`, `!value ? 30 : value`: the
                    # setting when it is given, else the code's own default
                    default = self.to_expr(consequence, scoped, depth + 1)
                    if not isinstance(default, Unknown) and ts.text(unwrap(consequence)) not in ("undefined", "null"):
                        return default
                from extractors.javascript.ternary_js2 import empty_check_target, switched_off_branch
                empty = empty_check_target(condition)
                if empty is not None and env is None and ts.text(empty) in ts.text(alternative):
                    # (round 20, js2) `_.isEmpty(process.env.X) ? 5000 : parse(process.env.X)`
                    default = self.to_expr(consequence, scoped, depth + 1)
                    if isinstance(default, (Num, Str)):
                        return Env(env_name(empty), default) if env_name(empty) else default
                kept = switched_off_branch(condition, consequence, alternative)
                if kept is not None and env is None:
                    # (round 20, js2) `config.disableX ? undefined : 10 * 1000`: the value unless switched off
                    value = self.to_expr(kept, scoped, depth + 1)
                    if not isinstance(value, Unknown):
                        return value
                checked = _checked_setting(condition)
                if checked is not None and env is None and checked in ts.text(consequence):
                    # `raw.chTimeout ? parseInt(raw.chTimeout) : 180000`: a setting read when it is set,
                    # else the code's own default (the value it runs with unless configured)
                    if ts.text(unwrap(alternative)) in ("undefined", "null"):
                        return Unknown(raw)  # no default: whatever the configuration says
                    default = self.to_expr(alternative, scoped, depth + 1)
                    if not isinstance(default, Unknown):
                        return default
            return Unknown(raw)
        return Unknown(raw)

    def _settings_call(self, node: ts.Node | None) -> str | None:
        """The settings function a call reads (`config()`, `await getConfig()`, a key picker
        `await config(["a", "b"])`): its name, when the call hands nothing else."""
        node = unwrap(node)
        if node is not None and node.type == "await_expression" and node.named_children:
            node = unwrap(node.named_children[0])
        if node is None or node.type != "call_expression":
            return None
        fn = ts.text(node.child_by_field_name("function"))
        if not re.fullmatch(r"[A-Za-z_$][\w$]*", fn) or not _SETTINGS_FUNCTION.search(fn):
            return None
        args = node.child_by_field_name("arguments")
        for arg in (args.named_children if args is not None else []):
            arg = unwrap(arg)
            if arg is None or arg.type == "comment":
                continue
            if arg.type == "array" and all(string_value(i) is not None for i in arg.named_children if i.type != "comment"):
                continue
            return None
        return fn

    def _setmeup_member_js1(self, node: ts.Node) -> Expr | None:
        """(round 16, js1) `settings.axios.timeout` after `const settings = require("setmeup").settings`
        (or `import { settings } from "setmeup"`, `setmeup.settings.x`): the setmeup package loads
        settings.json (JSON with comments) at the service's root; its leaves are published as
        node-config's default file's are (extractors/nodeconfig), under the same dotted key."""
        names = getattr(self, "_setmeup_names_js1_cache", None)
        if names is None:
            names = {local: spec == "setmeup" for local, spec in self.imports.items()
                     if spec in ("setmeup", "setmeup.settings")}
            for stmt in self.tree.root_node.named_children:
                if stmt.type not in ("lexical_declaration", "variable_declaration"):
                    continue
                for decl in stmt.named_children:
                    name, value = decl.child_by_field_name("name"), unwrap(decl.child_by_field_name("value"))
                    if decl.type != "variable_declarator" or name is None or name.type != "identifier" or \
                            value is None or value.type != "member_expression":
                        continue
                    obj, prop = unwrap(value.child_by_field_name("object")), value.child_by_field_name("property")
                    if obj is not None and obj.type == "call_expression" and ts.text(prop) == "settings" and \
                            dotted(obj.child_by_field_name("function")) == "require":
                        args = obj.child_by_field_name("arguments")
                        first = args.named_children[0] if args is not None and args.named_children else None
                        if first is not None and string_value(first) == "setmeup":
                            names[ts.text(name)] = False
            self._setmeup_names_js1_cache = names
        if not names:
            return None
        chain = member_chain(node)
        if chain is None or chain[0] not in names:
            return None
        root, path = chain
        if names[root]:  # the module itself: `setmeup.settings.axios.timeout`
            if path[0] != "settings":
                return None
            path = path[1:]
        return Ref("$node-config:" + ".".join(path)) if path else None

    def _settings_member(self, node: ts.Node) -> Expr | None:
        """`config().chTimeout`, `cfg.chTimeout` after `const cfg = await config([...])`: the member the
        settings function returns (`config.$return.chTimeout`, published by its file)."""
        path = []
        cur = node
        while cur is not None and cur.type == "member_expression":
            prop = cur.child_by_field_name("property")
            if prop is None or prop.type != "property_identifier":
                return None
            path.append(ts.text(prop))
            cur = unwrap(cur.child_by_field_name("object"))
        if cur is None or not path:
            return None
        fn = None
        if cur.type == "call_expression":
            fn = self._settings_call(cur)
        elif cur.type == "identifier" and ts.text(cur) not in self.imports:
            local = self.local_value(ts.text(cur), cur)
            fn = self._settings_call(local) if local is not None else None
        if fn is None:
            return None
        return Ref(f"{fn}.$return." + ".".join(reversed(path)))

    def _settings_destructured(self, name: str, site: ts.Node) -> Expr | None:
        """`const { chMaxExecutionTime } = config();` in a block around ``site`` (or `const { a: b } =
        await config(["a"])`): the member the settings function returns."""
        for parent in ts.ancestors(site):
            if parent.type in FUNCTION_TYPES:
                if _parameter_default(parent, name)[0]:
                    return None
                continue
            if parent.type not in ("statement_block", "program"):
                continue
            for stmt in parent.named_children:
                decl = stmt.child_by_field_name("declaration") if stmt.type == "export_statement" else stmt
                if decl is None or decl.type not in ("lexical_declaration", "variable_declaration"):
                    continue
                for declarator in decl.named_children:
                    pattern = declarator.child_by_field_name("name") if declarator.type == "variable_declarator" else None
                    if pattern is None or pattern.type != "object_pattern":
                        continue
                    key = None
                    for part in pattern.named_children:
                        if part.type == "shorthand_property_identifier_pattern" and ts.text(part) == name:
                            key = name
                        elif part.type == "pair_pattern":
                            value = part.child_by_field_name("value")
                            if value is not None and value.type == "identifier" and ts.text(value) == name:
                                key = key_name(part.child_by_field_name("key"))
                    if key is None:
                        continue
                    fn = self._settings_call(declarator.child_by_field_name("value"))
                    if fn is None:  # (round 22, js1) `const { JOBS_ATTEMPTS } = config` of `import config from "./config.js"`
                        from extractors.javascript.nconf_js1r22 import imported_member
                        return imported_member(self, declarator.child_by_field_name("value"), key)
                    return Ref(f"{fn}.$return.{key}")
        return None

    def _env_reader(self, fn: str, args: list[ts.Node]) -> str | None:
        """The variable a call of an environment reader this file declares at the top level reads:
        `function get<T>(name: string, fallback: T, options = ...) { if (process.env[name]) return
        process.env[name]; ... return fallback }` called as `get('X_TIMEOUT', 10000)` -> X_TIMEOUT
        (its fallback is the call's second argument)."""
        if not re.fullmatch(r"[A-Za-z_$][\w$]*", fn or "") or fn in self.imports or len(args) < 2 or \
                string_value(args[0]) is None:
            return None
        for stmt in self.tree.root_node.named_children:
            decl = stmt.child_by_field_name("declaration") if stmt.type == "export_statement" else stmt
            if decl is None or decl.type not in ("function_declaration", "lexical_declaration"):
                continue
            for fname, func in _declared_functions(decl):
                if fname is None or func is None or func.type not in FUNCTION_TYPES or ts.text(fname) != fn:
                    continue
                params = func.child_by_field_name("parameters")
                names = []
                for param in (params.named_children if params is not None else []):
                    pattern = param.child_by_field_name("pattern") if param.type in (
                        "required_parameter", "optional_parameter") else param
                    names.append(ts.text(pattern) if pattern is not None and pattern.type == "identifier" else None)
                if len(names) < 2 or names[0] is None or names[1] is None or not _FALLBACK_PARAM.match(names[1]):
                    return None
                body = ts.text(func.child_by_field_name("body"))
                if not re.search(r"\b(process\.env|import\.meta\.env)\[\s*" + re.escape(names[0]) + r"\s*\]", body) or \
                        not re.search(r"\breturn\s+(?:[^;{}]*[?:|]\s*)?" + re.escape(names[1]) + r"\b", body):
                    # (round 20, js1) also `return Number.isFinite(n) && n >= 0 ? n : fallback` (WeKan's intEnv)
                    return None
                return string_value(args[0])
        return None

    def _fallback_argument(self, fn: str, args: list[ts.Node]) -> ts.Node | None:
        """The argument a call hands to the `defaultValue`/`fallback` parameter of a function this file
        declares at the top level (`function parseMaxAttempts(value, defaultValue) {...}`), when the
        call's first argument is a setting read (a member, an env lookup), not a literal."""
        if not re.fullmatch(r"[A-Za-z_$][\w$]*", fn or "") or fn in self.imports or len(args) < 2:
            return None
        first = unwrap(args[0])
        if first is None or first.type not in ("member_expression", "subscript_expression", "identifier"):
            return None
        for stmt in self.tree.root_node.named_children:
            decl = stmt.child_by_field_name("declaration") if stmt.type == "export_statement" else stmt
            if decl is None or decl.type not in ("function_declaration", "lexical_declaration"):
                continue
            for fname, func in _declared_functions(decl):
                if fname is None or func is None or func.type not in FUNCTION_TYPES or ts.text(fname) != fn:
                    continue
                params = func.child_by_field_name("parameters")
                for i, param in enumerate(params.named_children if params is not None else []):
                    pattern = param.child_by_field_name("pattern") if param.type in (
                        "required_parameter", "optional_parameter") else param
                    if pattern is not None and pattern.type == "identifier" and \
                            _FALLBACK_PARAM.match(ts.text(pattern)) and i < len(args):
                        return args[i]
                return None
        return None

    def _handed_by_callers(self, name: str, site: ts.Node, depth: int) -> Expr | None:
        """`async function retryPolicy(operation, maxRetries) { pRetry(operation, { retries: maxRetries }) }`
        called only from this file (not exported), every call handing the same value at that position
        (`withGraphRetry(op, maxRetries = 5) { return retryPolicy(op, maxRetries) }`): that value."""
        if _TIMEOUT_PARAM_NAME.search(name):
            return None  # a helper's timeout parameter: its calls hold the values (wrapper_call, same file)
        fn = next((p for p in ts.ancestors(site) if p.type in FUNCTION_TYPES), None)
        if fn is None or fn.type != "function_declaration":
            return None
        if fn.parent is not None and fn.parent.type == "export_statement":
            return None
        fname = fn.child_by_field_name("name")
        params = fn.child_by_field_name("parameters")
        if fname is None or params is None:
            return None
        index = None
        for i, param in enumerate(params.named_children):
            pattern = param.child_by_field_name("pattern") if param.type in ("required_parameter", "optional_parameter") else param
            if pattern is not None and pattern.type == "identifier" and ts.text(pattern) == name:
                index = i
                break
        if index is None:
            return None
        values = []
        for call in self.calls:
            if call.callee != ts.text(fname):
                continue
            if index >= len(call.args) or inside(call.node, fn):
                return None  # a call without that argument (the parameter's absent), or a recursive one
            values.append(self.to_expr(call.args[index], True, depth + 1))
        if values and all(v == values[0] for v in values) and not isinstance(values[0], Unknown) and \
                not (isinstance(values[0], Ref) and values[0].name == name):
            return values[0]
        return None

    def _optional_operand(self, node: ts.Node | None, expr: Expr, depth: int = 0) -> bool:
        """The left side of `x ?? default`: an optional setting (``_optional_setting``), an optional
        parameter of the function around named for a bound (`maxRetries?: number` in `maxRetries ??
        10`: unset unless a caller gives it, the code's default otherwise; a parameter with a default
        of its own is read through it), or a chain of those (`maxRetries ?? cfg.RETRY?.MAX_ATTEMPTS
        ?? 10`: round 9, the last fallback is what the code runs with when nothing is set)."""
        node = unwrap(node)
        if node is None or depth > 4:
            return False
        if self._optional_setting(node, expr):
            return True
        if node.type == "identifier" and isinstance(expr, (Num, Ref, Unknown)) and \
                node.parent is not None and node.parent.type == "binary_expression" and \
                ts.text(node.parent.child_by_field_name("operator")) == "||" and \
                re.search(r"time_?out|ttl|deadline|ms$|millis", ts.text(node), re.I):
            # (round 17, js1) `timeout = 0` read as `AbortSignal.timeout(timeout || ms("5 minutes"))` (cross-seed's
            # Transmission request()): a 0 default means "the code's fallback", the parameter is optional
            fn = enclosing_function(node)
            found, default = _parameter_default(fn, ts.text(node)) if fn is not None else (False, None)
            if found and default is not None and ts.text(default).strip() in ("0", "0.0"):
                return True
        if node.type == "identifier" and isinstance(expr, (Ref, Unknown)) and \
                re.search(r"time_?out|ttl|deadline|ms$|millis|retr(y|ies)|attempts|tries", ts.text(node), re.I):
            fn = enclosing_function(node)
            if fn is not None:
                found, default = _parameter_default(fn, ts.text(node))
                if found and default is None and self.local_value(ts.text(node), node) is None:
                    return True

        if node.type == "binary_expression" and ts.text(node.child_by_field_name("operator")) in ("??", "||"):
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            return all(part is not None and self._optional_operand(part, Unknown(ts.text(part)), depth + 1)
                       for part in (left, right))
        return False

    def _optional_setting(self, node: ts.Node | None, expr: Expr) -> bool:
        """`parsed.connectTimeout`, `options?.timeout`, `args.timeoutMs`: a member read from a
        local object (a parameter, a parsed URL), not a constant this file or an import defines."""
        node = unwrap(node)
        from extractors.javascript.config_getter_js2r22 import optional_config_read
        if isinstance(expr, Unknown) and optional_config_read(node):  # (round 22, js2) `ConfigManagerV2.getInstance().get('0x.requestTimeout') || 30000`
            return True
        if node is not None and node.type == "call_expression" and \
                dotted(node.child_by_field_name("function")) in ("parseInt", "parseFloat", "Number",
                                                                 "Number.parseInt", "Number.parseFloat"):
            # `parseInt(opts.connect_timeout) || 30`: the conversion of such a member
            args = node.child_by_field_name("arguments")
            first = next((a for a in (args.named_children if args is not None else []) if a.type != "comment"), None)
            return self._optional_setting(first, Unknown(ts.text(first) if first is not None else ""))
        if node is not None and node.type == "identifier" and isinstance(expr, (Ref, Unknown)) and \
                re.search(r"time_?out|ttl|deadline|ms$|millis", ts.text(node), re.I):
            # `constructor({ customEventTTL }) { this.customEventTTL = customEventTTL ?? 30_000 }`: an
            # option of the function's own parameters, with the code's default
            fn = enclosing_function(node)
            return fn is not None and _parameter_default(fn, ts.text(node))[0] and \
                _parameter_default(fn, ts.text(node))[1] is None
        if node is not None and node.type == "identifier" and isinstance(expr, (Ref, Unknown)) and \
                re.search(r"time_?out|ttl|deadline|ms$|millis|retr(y|ies)|attempts|tries|count", ts.text(node), re.I):
            # `const { retryCount } = this.options ?? {}; take(retryCount ?? 3)`: an option destructured
            # from an options object of the function, with the code's default
            return _destructured_option(node)
        if node is None or node.type != "member_expression" or not isinstance(expr, (Ref, Unknown)):
            return False
        name = dotted(node)
        if re.fullmatch(r"[\w$]+\.get(Config|Settings|Options)?\(\)(\??\.[\w$]+)+", ts.text(node).replace(" ", "")):
            # (round 21, js1) `config.getConfig().mongodb?.retries || constants.DEFAULT_MONGODB_RETRIES` (the FIWARE
            # IoT agents): a member of the settings a getter returns, with the code's own default
            prop = ts.text(node.child_by_field_name("property") or node)
            return bool(re.search(r"time_?out|ttl|deadline|ms$|millis|retr(y|ies)|attempts|tries", prop, re.I))
        if name and re.fullmatch(r"this\.(options|opts|config|settings)\.\w+", name.replace("?.", ".")):
            # `this.options?.timeout ?? 1000`: the member of the options the class was built with
            prop = name.rsplit(".", 1)[-1]
            return bool(re.search(r"time_?out|ttl|deadline|ms$|millis|retr(y|ies)|attempts|tries", prop, re.I))
        if not name or "(" in name or name.startswith("this."):
            return False
        head = name.split(".", 1)[0]
        if head in self.imports or head in self.symbols or any(k.startswith(head + ".") for k in self.symbols):
            return False
        prop = ts.text(node.child_by_field_name("property") or node)
        if not re.search(r"time_?out|ttl|deadline|ms$|millis|retr(y|ies)|attempts|tries", prop, re.I):
            return False
        # `node.reqTimeout = 120000` elsewhere in the file (or `this.reqTimeout = ...` with `var node =
        # this`): the member holds that value, not the code's fallback
        written = [name]
        holder = self.local_value(head, node)
        if holder is not None and holder.type == "this":
            written.append(f"this.{prop}")
        return not any(re.search(rb"(?<![\w$.])" + re.escape(w.encode()) + rb"\s*=[^=>]", self.data) for w in written)

    def _class_field(self, site: ts.Node, name: str) -> ts.Node | None:
        """The initial value of field ``name`` of the class around ``site`` (`private timeoutMs = 500`);
        in a static method `this` is the class, so its static fields (`static REQUEST_TIMEOUT_MS =
        10_000` read as `this.REQUEST_TIMEOUT_MS`, round 12)."""
        method = None
        for parent in ts.ancestors(site):
            if parent.type == "method_definition" and method is None:
                method = parent
            if parent.type != "class_body":
                continue
            static_this = method is not None and method.parent is not None \
                and method.parent.start_byte == parent.start_byte \
                and ts.text(method).split("(")[0].split()[:1] == ["static"]
            for member in parent.named_children:
                if member.type in ("public_field_definition", "field_definition"):
                    fname = member.child_by_field_name("name") or member.child_by_field_name("property")
                    value = member.child_by_field_name("value")
                    if fname is not None and value is not None and ts.text(fname) == name \
                            and ("static" in ts.text(member).split("=")[0].split()) == static_this:
                        return unwrap(value)
            getter = _getter_value(parent, name, static_this)
            if getter is not None:  # `get timeout() { return 500; }` (round 12)
                return getter
            return None if static_this else _constructor_field(parent, name)
        return None

    def _new_instance_field(self, site: ts.Node, head: str, member: str) -> ts.Node | None:
        """The initial value of field ``member`` of the object a local made with `new` of a class of
        this file (`const instance = new PGVector(); ... instance.connectionTimeout` with `connectionTimeout
        = 30_000` in the class, round 12); None for any other holder."""
        made = unwrap(self.local_value(head, site))
        if made is not None and made.type == "await_expression" and made.named_children:
            made = unwrap(made.named_children[0])
        if made is None or made.type != "new_expression":
            return None
        cls = ts.text(made.child_by_field_name("constructor") or made)
        for stmt in self.tree.root_node.named_children:
            decl = stmt.child_by_field_name("declaration") if stmt.type == "export_statement" else stmt
            if decl is None or decl.type != "class_declaration" or \
                    ts.text(decl.child_by_field_name("name") or decl) != cls:
                continue
            body = decl.child_by_field_name("body")
            for part in (body.named_children if body is not None else []):
                if part.type in ("public_field_definition", "field_definition") and \
                        "static" not in ts.text(part).split("=")[0].split():
                    fname = part.child_by_field_name("name") or part.child_by_field_name("property")
                    value = part.child_by_field_name("value")
                    if fname is not None and value is not None and ts.text(fname) == member:
                        return unwrap(value)
            return _constructor_field(body, member) if body is not None else None
        return None

    def _is_top_level_const(self, name: str, site: ts.Node, value: ts.Node) -> bool:
        """True when the binding found is the file-level symbol (leave it as a Ref)."""
        for parent in ts.ancestors(value):
            if parent.type in ("statement_block", "class_body"):
                return False
        return name in self.symbols or any(k.startswith(name + ".") for k in self.symbols)

    def _template_expr(self, node: ts.Node, scoped: bool, depth: int) -> Expr:
        parts: list[Expr] = []
        raw = ts.text(node)
        pos = node.start_byte + 1
        for child in node.named_children:
            if child.type == "template_substitution":
                if child.start_byte > pos:
                    parts.append(Str(self.data[pos:child.start_byte].decode("utf-8", "replace")))
                inner = child.named_children[0] if child.named_children else None
                parts.append(self.to_expr(inner, scoped, depth + 1))
                pos = child.end_byte
        if node.end_byte - 1 > pos:
            parts.append(Str(self.data[pos:node.end_byte - 1].decode("utf-8", "replace")))
        if not parts:
            return Unknown(raw)
        expr = parts[0]
        for part in parts[1:]:
            expr = BinOp("+", expr, part)
        return expr

    def lookup(self, name: str):
        if name in self.symbols:
            return self.symbols[name], "constant"
        return None

    def evaluate(self, expr: Expr) -> Evaluated:
        return evaluate(expr, self.lookup)

    def evaluate_string(self, expr: Expr, depth: int = 0) -> str | None:
        """String evaluation for URLs (values.evaluate is numeric for `+`); None if anything is unknown."""
        if depth > 20:
            return None
        if isinstance(expr, Str):
            return expr.value
        if isinstance(expr, Num):
            v = normalise_ms(expr.value)
            return str(v)
        if isinstance(expr, Ref):
            found = self.symbols.get(expr.name)
            return None if found is None else self.evaluate_string(found, depth + 1)
        if isinstance(expr, BinOp) and expr.op == "+":
            left = self.evaluate_string(expr.left, depth + 1)
            right = self.evaluate_string(expr.right, depth + 1)
            return None if left is None or right is None else left + right
        return None

    # ------------------------------------------------------------------ findings

    def timeout_value(self, node: ts.Node, scale: float = 1.0) -> tuple[dict[str, Any], str, tuple[Pending, ...]]:
        """(attributes without phase, confidence, pending) for a timeout expression in ``scale`` units."""
        expr = self.to_expr(node)
        return self.timeout_from_expr(expr, ts.text(unwrap(node)), scale)

    def timeout_from_expr(self, expr: Expr, expression: str, scale: float = 1.0):
        result = self.evaluate(expr)
        number = result.value if isinstance(result.value, (int, float)) and not isinstance(result.value, bool) \
            else None
        if number is None and isinstance(result.value, str):
            from contract_discovery.values import as_number
            number = as_number(result.value)
        attrs: dict[str, Any] = {"expression": expression}
        if number is not None:
            attrs["timeout_ms"] = normalise_ms(number * scale)
            attrs["resolved_from"] = result.resolved_from
            confidence = "high" if result.resolved_from in ("literal", "constant") else "medium"
            # an env default is this file's answer; the deployment (compose, .env, Kubernetes, the
            # user's env: config) may set the variable, so the pipeline evaluates it again
            return attrs, confidence, ((Pending("timeout_ms", expr, scale),) if result.resolved_from == "env_default"
                                       else ())
        attrs["timeout_ms"] = None
        attrs["resolved_from"] = "unresolved"
        return attrs, "medium", (Pending("timeout_ms", expr, scale),)

    def count_value(self, node: ts.Node | None, offset: float = 0.0, default: float | None = None,
                    attribute: str = "max_attempts") -> tuple[int | None, str, tuple[Pending, ...]]:
        """(count, confidence, pending) for a retry count expression plus ``offset`` (retries -> attempts)."""
        if node is None:
            if default is None:
                return None, "medium", ()
            return int(default + offset), "high", ()
        self.note_param_count(node, offset)
        expr = self.to_expr(node)
        if offset:
            expr = BinOp("+", expr, Num(offset))
        return self.count_from_expr(expr, attribute)

    def note_param_count(self, node: ts.Node | None, offset: float, at: ts.Node | None = None) -> None:
        """Remember a retry bound that is a parameter of the enclosing function (`retries`,
        `opts.maxRetries`, also with a default): the retry reported around it carries
        ``attempts_expression`` (`retries + 1`), which makes the function a helper whose callers'
        counts are read (extractors.wrappers). ``at``: the node inside the retry that reads the
        bound when ``node`` is written before it (a countdown's start, round 10)."""
        inner = unwrap(node)
        if inner is not None and inner.type == "number":
            # (round 19, js3) a member of a parameter's in-body default object (`if (!options) options = {
            # retries: 100 }` read by `retry.operation(options)`): the parameter's member, for its callers
            from extractors.javascript.body_default_js3 import default_member, uses_after_default
            member = default_member(inner)
            if member is not None:  # (at each use of the parameter: the call the retry is reported on)
                for place in ([at] if at is not None else uses_after_default(inner, member.split(".", 1)[0])):
                    self.param_counts.append((place.start_byte, place.end_byte, member, float(offset)))
            return
        if inner is not None and inner.type == "binary_expression" and _count_fallback_js4(inner):
            # (round 19, js4) `maxAttempts: options.retries ?? 3`: the options member, the fallback its default
            self.note_param_count(inner.child_by_field_name("left"), offset, at if at is not None else inner)
            return
        # (`{ removeOnComplete: true, attempts }`, round 14: a shorthand key names the parameter it holds)
        if inner is None or inner.type not in ("identifier", "member_expression", "shorthand_property_identifier"):
            return
        text = re.sub(r"\?\.", ".", ts.text(inner))
        if re.fullmatch(r"this\.[A-Za-z_$][\w$]*", text) and _constructor_kept_field_r22(inner, text):
            # (round 22) `attempt <= this.maxAttempts` with the constructor keeping its parameter (or options
            # member) in that field: the class's constructions hand the bound (`super(url, { maxAttempts: 3 })`)
            place = at if at is not None else inner
            self.param_counts.append((place.start_byte, place.end_byte, text, float(offset)))
            return
        if not _PLAIN_CHAIN.match(text) or text.startswith("this."):
            return
        fn = enclosing_function(inner)
        while fn is not None:
            if _parameter_default(fn, text.split(".", 1)[0])[0] or _options_member(fn, text) or \
                    _clamped_param_local_js1(fn, text):
                place = at if at is not None else inner
                self.param_counts.append((place.start_byte, place.end_byte, text, float(offset)))
                return
            fn = enclosing_function(fn)

    def count_from_expr(self, expr: Expr, attribute: str = "max_attempts"):
        result = self.evaluate(expr)
        from contract_discovery.values import as_number
        number = as_number(result.value)
        if number is not None:
            confidence = "high" if result.resolved_from in ("literal", "constant") else "medium"
            return int(number), confidence, ()
        return None, "medium", (Pending(attribute, expr, 1.0),)

    def url_target(self, node: ts.Node | None, base: ts.Node | None = None) -> tuple[Target | None, tuple[Pending, ...], str | None]:
        """(target, pending, literal url) of a URL argument, optionally joined to a baseURL."""
        if node is None and base is None:
            return None, (), None
        inner = unwrap(node)
        if inner is not None and inner.type == "new_expression" and base is None and \
                dotted(inner.child_by_field_name("constructor")) in ("URL", "url.URL"):
            # `new URL("/v1/orders", ORDERS_API_URL)`: the path resolved against the base
            args_node = inner.child_by_field_name("arguments")
            args = [a for a in args_node.named_children if a.type != "comment"] if args_node is not None else []
            if len(args) == 1:
                return self.url_target(args[0])
            if len(args) == 2:
                return self.url_target(args[0], args[1])
        expr: Expr | None = None
        if node is not None:
            expr = self.to_expr(node)
        if base is not None:
            base_expr = self.to_expr(base)
            if expr is None:
                expr = base_expr
            else:
                path_value = self.evaluate_string(expr)
                if path_value is not None and re.match(r"^[a-z][a-z0-9+.-]*://", path_value):
                    pass  # absolute URL: the base is ignored
                else:
                    if isinstance(expr, Str) and not expr.value.startswith(("/", "?")):
                        expr = Str("/" + expr.value)  # `prefixUrl` + "score" joins with a slash
                    expr = BinOp("+", base_expr, expr)
        if expr is None or isinstance(expr, Unknown):
            return None, (), None
        value = self.evaluate_string(expr)
        if value is not None:
            if not value:
                return None, (), None
            value = re.sub(r"(?<!:)//+", "/", value)  # "http://risk:8080/" + "/score"
            if "://" not in value:
                # "/api/session", "sms": relative to a base we cannot see; naming a host from it would guess
                return None, (), value
            return Target(url=value), (), value
        return None, (Pending("url", expr, None),), None

    def finding(self, kind: str, node: ts.Node, detector: str, attributes: dict[str, Any],
                confidence: str = "high", target: Target | None = None,
                pending: Iterable[Pending] = ()) -> Finding:
        line, col, end_line, end_col = ts.location(node)
        first = ts.text(node).splitlines()[0].strip() if ts.text(node) else ""
        fn = node.child_by_field_name("function") if node.type == "call_expression" else None
        if fn is not None and fn.type == "await_expression" and fn.named_children:
            fn = fn.named_children[0]
        prop = fn.child_by_field_name("property") if fn is not None and fn.type == "member_expression" else None
        if prop is not None and prop.start_point[0] > node.start_point[0]:
            # `request\n  .post(url)\n  .timeout(500)`: the line that carries the setting is the method's
            line, col = prop.start_point[0] + 1, prop.start_point[1]
            first = self.line_text(line)
            col = len(first) - len(first.lstrip()) + 1 if first else col + 1
            first = first.strip()
        attributes = dict(attributes)
        if kind == "retry" and "attempts_expression" not in attributes and self.param_counts:
            bound = next((c for c in reversed(self.param_counts)
                          if node.start_byte <= c[0] and c[1] <= node.end_byte), None)
            if bound is not None:
                offset = bound[3]
                attributes["attempts_expression"] = bound[2] + (
                    "" if not offset else f" + {offset:g}" if offset > 0 else f" - {-offset:g}")
        found = Finding(kind=kind, path=self.path, line=line, column=col, end_line=end_line,
                        end_column=end_col, language=LANGUAGE, detector=detector, confidence=confidence,
                        attributes=attributes, evidence=first[:200], target=target,
                        pending=tuple(pending))
        self.findings.append(found)
        return found

    def line_text(self, line: int) -> str:
        lines = self.data.split(b"\n")
        return lines[line - 1].decode("utf-8", "replace") if 0 < line <= len(lines) else ""

    def target_pending(self, pending: Iterable[Pending]) -> tuple[Pending, ...]:
        return tuple(p for p in pending if p.attribute == "url")

    def calls_in(self, container: ts.Node) -> list[CallInfo]:
        """Calls inside ``container`` (itself excluded), in source order; a bisect, not a scan."""
        starts = self._call_starts
        lo = bisect.bisect_left(starts, container.start_byte)
        hi = bisect.bisect_left(starts, container.end_byte)
        return [c for c in self.calls[lo:hi]
                if c.node.end_byte <= container.end_byte and c.node != container]

    def outbound_in(self, container: ts.Node) -> list[Outbound]:
        found = []
        for call in self.calls_in(container):
            out = self.outbound.get((call.node.start_byte, call.node.end_byte))
            if out is not None:
                found.append(out)
        return found

    def first_target_in(self, container: ts.Node, depth: int = 0) -> tuple[Target | None, tuple[Pending, ...]]:
        """The target of the first outbound call in ``container``, following calls to this file's
        own functions (`scoreOnce(id)` -> the axios call inside it) two levels deep."""
        for out in sorted(self.outbound_in(container), key=lambda o: o.node.start_byte):
            if out.target is not None or out.pending:
                return out.target, out.pending
        if depth >= 2:
            return None, ()
        for call in self.calls_in(container):
            if call.receiver not in ("", "this"):
                continue
            fn = self.functions.get(call.name)
            if fn is None or inside(fn, container) or inside(container, fn):
                continue
            found = self.first_target_in(fn, depth + 1)
            if found[0] is not None or found[1]:
                return found
        return None, ()


# `configService.get("NAME")` without a default of its own falls back to this global symbol, which
# a file declaring an envalid schema publishes (`cleanEnv(process.env, { NAME: num({ default }) })`)
ENV_DEFAULT = "$envdefault."
_ENV_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")


def _constant_arithmetic_js1(expr: Expr) -> bool:
    """`2 * 60 * 1000`: arithmetic of number literals only (a non-zero fallback)."""
    if isinstance(expr, Num):
        return bool(expr.value)
    return isinstance(expr, BinOp) and _constant_arithmetic_js1(expr.left) and _constant_arithmetic_js1(expr.right) \
        and not (expr.op == "/" and isinstance(expr.right, Num) and not expr.right.value)


def _zod_default(spec: ts.Node) -> ts.Node | None:
    """The argument of the `.default(x)` in a zod chain (`z.coerce.number().default(30000)`), or None."""
    node = spec
    while node is not None and node.type == "call_expression":
        fn = node.child_by_field_name("function")
        if fn is None or fn.type != "member_expression":
            return None
        prop = fn.child_by_field_name("property")
        if prop is not None and ts.text(prop) in ("default", "catch"):  # (round 21, ts2) `.catch(5000)`: the value
            # a missing or invalid variable parses to (civitai's EXTERNAL_MODERATION_TIMEOUT_MS)
            args = node.child_by_field_name("arguments")
            named = [a for a in args.named_children if a.type != "comment"] if args is not None else []
            return unwrap(named[0]) if len(named) == 1 else None
        node = unwrap(fn.child_by_field_name("object"))
    return None
_CONFIG_RECEIVER = re.compile(r"(^|\.)(config|configService|configuration|configurationService|appConfig|"
                              r"appConfigService|settings|conf|cfg"
                              r"|[a-z][a-zA-Z]*Config(?:Service)?)\.(get|getOrThrow)$", re.I)  # (js4: `coreConfig`)
_TEMPLATE_TYPE_ARGS = re.compile(rb"(?<=[\w\)\]])<(?:[^<>`]|<(?:[^<>`]|<[^<>`]*>)*>){1,400}>(?=`)")


def _bare_constructor_param(value: ts.Node) -> bool:
    """``value`` (a field's initial value) is a parameter of the constructor it is assigned in, without
    a default (`constructor(logger, maxRetries) { this.maxRetries = maxRetries }`)."""
    if value.type != "identifier":
        return False
    method = next((p for p in ts.ancestors(value) if p.type == "method_definition"), None)
    if method is None or ts.text(method.child_by_field_name("name")) != "constructor":
        return False
    found, default = _parameter_default(method, ts.text(value))
    return found and default is None


def _getter_value(class_body: ts.Node, name: str, static: bool) -> ts.Node | None:
    """The value a getter of the class returns when its body is that one return (`get timeout() {
    return 500; }`)."""
    for member in class_body.named_children:
        if member.type != "method_definition":
            continue
        words = ts.text(member).split("(")[0].split()
        if words[-2:] != ["get", name] or ("static" in words) != static:
            continue
        body = member.child_by_field_name("body")
        stmts = [s for s in (body.named_children if body is not None else []) if s.type != "comment"]
        if len(stmts) == 1 and stmts[0].type == "return_statement" and stmts[0].named_children:
            return unwrap(stmts[0].named_children[0])
        return None
    return None


def _constructor_field(class_body: ts.Node, name: str) -> ts.Node | None:
    """`constructor() { this.maxRetries = 3; }`: the value, when no other method assigns the field;
    `constructor(private timeout = 8000)` (a TypeScript parameter property): its default."""
    found = None
    for member in class_body.named_children:
        if member.type != "method_definition":
            continue
        in_constructor = ts.text(member.child_by_field_name("name")) == "constructor"
        params = member.child_by_field_name("parameters") if in_constructor else None
        for param in (params.named_children if params is not None else []):
            if param.type in ("required_parameter", "optional_parameter") and \
                    any(c.type == "accessibility_modifier" or ts.text(c) == "readonly" for c in param.children):
                pattern, value = param.child_by_field_name("pattern"), param.child_by_field_name("value")
                if pattern is not None and value is not None and ts.text(pattern) == name:
                    found = unwrap(value)
        stack = [member]
        while stack:
            node = stack.pop()
            if node.type == "assignment_expression":
                left = node.child_by_field_name("left")
                if left is not None and ts.text(left) == f"this.{name}":
                    right = unwrap(node.child_by_field_name("right"))
                    if not in_constructor and right is not None and right.type == "number" and \
                            _reset_to_constructor_value(class_body, name, ts.text(right)):
                        stack.extend(node.named_children)  # `this.retries = 0` on success: back to its start
                        continue
                    if not in_constructor or found is not None:
                        return None  # assigned again: its first value says little
                    if node.parent is None or node.parent.type != "expression_statement" or \
                            node.parent.parent is None or node.parent.parent.parent != member:
                        return None  # only a plain statement of the constructor's own body
                    found = unwrap(node.child_by_field_name("right"))
            stack.extend(node.named_children)
    return found


def _reset_to_constructor_value(class_body: ts.Node, name: str, literal: str) -> bool:
    """The constructor's own body sets `this.<name> = <literal>` (a later `this.initRetryCount = 0` in
    another method puts the counter back to its start, round 12)."""
    for member in class_body.named_children:
        if member.type == "method_definition" and ts.text(member.child_by_field_name("name")) == "constructor":
            body = member.child_by_field_name("body")
            return any(s.type == "expression_statement" and s.named_children and
                       s.named_children[0].type == "assignment_expression" and
                       ts.text(s.named_children[0].child_by_field_name("left")) == f"this.{name}" and
                       ts.text(s.named_children[0].child_by_field_name("right")) == literal
                       for s in (body.named_children if body is not None else []))
    return False


def _env_overridden_default(block: ts.Node, name: str, value: ts.Node | None) -> bool:
    """`let timeoutMs = DEFAULT_TIMEOUT_MS; if (envDefinedTimeout) { ... timeoutMs = parsed }` (round 12,
    AnythingLLM's boot patch): a number or a constant replaced only inside `if` branches of a block that
    reads the environment is the value the code runs with unless the environment says otherwise. Never a
    counter stepped in a loop or a value rewritten unconditionally."""
    if value is None or not (value.type == "number" or value.type == "identifier" and
                             re.fullmatch(r"[A-Z][A-Z0-9_]*", ts.text(value))):
        return False
    if b"process.env" not in block.text:
        return False
    assignments = 0
    stack = [block]
    while stack:
        node = stack.pop()
        if node.type in ("assignment_expression", "augmented_assignment_expression", "update_expression"):
            target = node.child_by_field_name("left") or node.child_by_field_name("argument")
            if target is not None and target.type == "identifier" and ts.text(target) == name:
                if node.type != "assignment_expression":
                    return False
                assignments += 1
                for up in ts.ancestors(node):
                    if up.start_byte == block.start_byte and up.end_byte == block.end_byte:
                        return False  # written outside any branch
                    if up.type in ("for_statement", "for_in_statement", "while_statement", "do_statement"):
                        return False
                    if up.type == "if_statement":
                        break
        stack.extend(node.named_children)
    return assignments > 0


def _getter_fallback_js1(fn: ts.Node) -> float | None:
    """The number an arrow function's expression body falls back to: `() => parseInt(read('x')) || 120000`
    (also `?? 120000`), when what it reads first is a call (a setting read), never a parameter."""
    params = fn.child_by_field_name("parameters") or fn.child_by_field_name("parameter")
    if params is not None and [p for p in params.named_children if p.type != "comment"] or \
            params is not None and params.type == "identifier":
        return None
    body = unwrap(fn.child_by_field_name("body"))
    if body is None or body.type != "binary_expression" or \
            ts.text(body.child_by_field_name("operator")) not in ("||", "??"):
        return None
    left, right = unwrap(body.child_by_field_name("left")), unwrap(body.child_by_field_name("right"))
    value = number_value(right)
    if left is None or left.type != "call_expression" or value is None or value <= 0:
        return None
    return float(value)


def _es5_var_object_js1(decl: ts.Node) -> bool:
    """`var opts = {...};` declaring one name with an object literal (round 15, js1: cnpmjs.org)."""
    declarators = [d for d in decl.named_children if d.type == "variable_declarator"]
    if len(declarators) != 1:
        return False
    value = unwrap(declarators[0].child_by_field_name("value"))
    return value is not None and value.type == "object"


def _passed_through(block: ts.Node, name: str, value: ts.Node | None) -> bool:
    """`let config = {...}` whose every reassignment in ``block`` hands the object on:
    `config = this.withProxy(config)`, `config = { ...config, x }`. Only object literals qualify."""
    if value is None or value.type != "object":
        return False
    stack = [block]
    while stack:
        node = stack.pop()
        if node.type in ("assignment_expression", "augmented_assignment_expression"):
            left = node.child_by_field_name("left")
            if left is not None and left.type == "identifier" and ts.text(left) == name:
                right = unwrap(node.child_by_field_name("right"))
                if node.type != "assignment_expression" or right is None:
                    return False
                if right.type == "call_expression":
                    args = right.child_by_field_name("arguments")
                    if args is None or not any(unwrap(a) is not None and unwrap(a).type == "identifier"
                                               and ts.text(unwrap(a)) == name for a in args.named_children):
                        return False
                elif right.type == "object":
                    if not any(c.type == "spread_element" and c.named_children and
                               ts.text(c.named_children[0]) == name for c in right.named_children):
                        return False
                else:
                    return False
        stack.extend(node.named_children)
    return True


def _blank_template_type_args(data: bytes) -> bytes:
    return _TEMPLATE_TYPE_ARGS.sub(lambda m: bytes(b if b in b"\r\n" else 32 for b in m.group(0)), data)


_TIMEOUT_PARAM_NAME = re.compile(r"time_?out|deadline|(?<![a-z])ms$|[a-z]Ms$|millis", re.I)
_FALLBACK_PARAM = re.compile(r"^(default|fallback)(Value|Val)?$", re.I)
_TEST_ENV = re.compile(r"^(['\"`](test|testing)['\"`]|[\w$.]*\.(Test|TEST|Testing)|isTest|IS_TEST|isTesting)$")


def _test_env_branch(condition: ts.Node) -> str | None:
    """Which branch of a ternary runs under tests: `nodeEnv === NodeEnvEnum.Test ? 1 : 5` ->
    "consequence", `env !== "test" ? 5 : 1` -> "alternative"; None when the condition is no such check."""
    condition = unwrap(condition)
    if condition is None:
        return None
    if condition.type == "unary_expression" and ts.text(condition.child_by_field_name("operator")) == "!":
        inner = _test_env_branch(condition.child_by_field_name("argument"))  # `!isProduction ? 5_000 : 15_000`
        return {"consequence": "alternative", "alternative": "consequence"}.get(inner or "")
    if condition.type in ("identifier", "member_expression"):
        if _TEST_ENV.match(ts.text(condition)):
            return "consequence"
        # `isProduction ? 15000 : 5000` (round 10): the deployed service runs the production branch;
        # `isDev ? 5000 : 15000` the other one
        last = dotted(condition).rsplit(".", 1)[-1]
        if _PROD_FLAG.match(last):
            return "alternative"
        return "consequence" if _DEV_FLAG.match(last) else None
    if condition.type != "binary_expression":
        return None
    op = ts.text(condition.child_by_field_name("operator"))
    if op not in ("===", "==", "!==", "!="):
        return None
    sides = [unwrap(condition.child_by_field_name("left")), unwrap(condition.child_by_field_name("right"))]
    if any(s is not None and _PROD_ENV.match(ts.text(s)) for s in sides):
        return "alternative" if op in ("===", "==") else "consequence"  # `NODE_ENV === "production" ? a : b`
    if not any(s is not None and (_TEST_ENV.match(ts.text(s)) or _DEV_ENV.match(ts.text(s))) for s in sides):
        return None
    return "consequence" if op in ("===", "==") else "alternative"


_PROD_FLAG = re.compile(r"^(isProd|isProduction|IS_PROD|IS_PRODUCTION|isProductionEnv|inProduction)$")
_DEV_FLAG = re.compile(r"^(isDev|isDevelopment|IS_DEV|IS_DEVELOPMENT|isLocal|isDevelopmentEnv|inDevelopment)$")
_PROD_ENV = re.compile(r"^['\"`](production|prod)['\"`]$")
_DEV_ENV = re.compile(r"^['\"`](development|dev|local)['\"`]$")


def _missing_check(condition: ts.Node) -> str | None:
    """The name a ternary checks for being absent: `isNaN(x)`, `Number.isNaN(x)`, `!x`, `x == null`,
    `x === undefined`."""
    condition = unwrap(condition)
    if condition is None:
        return None
    target = None
    if condition.type == "call_expression" and ts.text(condition.child_by_field_name("function")) in (
            "isNaN", "Number.isNaN"):
        args = condition.child_by_field_name("arguments")
        given = [a for a in (args.named_children if args is not None else []) if a.type != "comment"]
        target = unwrap(given[0]) if len(given) == 1 else None
    elif condition.type == "unary_expression" and ts.text(condition.child_by_field_name("operator")) == "!":
        target = unwrap(condition.child_by_field_name("argument"))
    elif condition.type == "binary_expression" and \
            ts.text(condition.child_by_field_name("operator")) in ("==", "==="):
        right = unwrap(condition.child_by_field_name("right"))
        if right is not None and ts.text(right) in ("undefined", "null"):
            target = unwrap(condition.child_by_field_name("left"))
    if target is None or target.type not in ("identifier", "member_expression"):
        return None
    name = ts.text(target)
    return name if "(" not in name else None


def _checked_setting(condition: ts.Node) -> str | None:
    """The member a ternary checks for being set: `raw.x ? ... : d`, `raw.x !== undefined ? ... : d`."""
    condition = unwrap(condition)
    if condition is None:
        return None
    if condition.type == "binary_expression" and \
            ts.text(condition.child_by_field_name("operator")) in ("!==", "!="):
        left, right = unwrap(condition.child_by_field_name("left")), unwrap(condition.child_by_field_name("right"))
        if right is not None and ts.text(right) in ("undefined", "null"):
            condition = left
        else:
            return None
    if condition is not None and condition.type == "call_expression":
        # `env.get('HTTP_CALL_TIMEOUT', true) ? +env.get('HTTP_CALL_TIMEOUT', true) : 60_000` (round 11): a
        # configuration getter's key read when it is set, else the code's own default
        fn = condition.child_by_field_name("function")
        args = condition.child_by_field_name("arguments")
        first = next((a for a in (args.named_children if args is not None else []) if a.type != "comment"), None)
        if fn is not None and fn.type == "member_expression" and ts.text(fn.child_by_field_name("property")) == "get" \
                and first is not None and first.type == "string":
            return ts.text(condition)
        return None
    if condition is None or condition.type != "member_expression":
        return None
    name = dotted(condition)
    return name if name and "(" not in name else None


def _default_object_member_js1(default: ts.Node | None, name: str) -> ts.Node | None:
    """The `name` member of an options parameter's default object literal (`= { retries: 30 }`)."""
    default = unwrap(default)
    if default is None or default.type != "object":
        return None
    for pair in default.named_children:
        if pair.type == "pair" and key_name(pair.child_by_field_name("key")) == name:
            return pair.child_by_field_name("value")
    return None


def _pattern_default(pattern: ts.Node, name: str) -> ts.Node | None:
    for part in pattern.named_children:
        if part.type == "object_assignment_pattern":
            left, right = part.child_by_field_name("left"), part.child_by_field_name("right")
            if left is not None and right is not None and ts.text(left) == name:
                return right
        elif part.type == "pair_pattern":
            value = part.child_by_field_name("value")
            if value is not None and value.type == "assignment_pattern":
                left, right = value.child_by_field_name("left"), value.child_by_field_name("right")
                if left is not None and right is not None and ts.text(left) == name:
                    return right
    return None


def _env_default(env: Env, default: Expr, depth: int = 0) -> Env | None:
    """``env`` with ``default`` put where its chain of fallbacks ends (None if it ends in a value)."""
    if env.default is None:
        return Env(env.var, default)
    if isinstance(env.default, Env) and depth < 8:
        inner = _env_default(env.default, default, depth + 1)
        return Env(env.var, inner) if inner is not None else None
    return None


# a helper that bounds the work it is handed: `withTimeout(cb, ms)`, `fetchWithTimeout(url, init)`
TIMEOUT_HELPER = re.compile(r"time_?out|deadline", re.I)
_ENV_CHECKER = re.compile(r"^(check|assert|ensure|require|must|read|load)\w*Env(ironment)?(Var(iable)?)?$|"
                          r"^\w*EnvironmentVariable$")
_ENV_GETTER = re.compile(r"^(env|getEnv\w*|readEnv\w*|requireEnv\w*|get\w*FromEnv|\w*ConfigFromEnv|getEnvironmentVariable)$")
_ENV_READER = re.compile(r"env|getEnv|readEnv|getEnvVar|getEnvironmentVariable|requireEnv|process\.env\.get")
_TIMEOUT_PARAM = re.compile(r"time_?out|deadline|ms$|millis|limit", re.I)


_SETTINGS_FUNCTION = re.compile(r"^(get|load|read|make|create|build)?_?(app_?|service_?)?(config|configuration|settings|env|environment)$",
                                re.I)
RETRY_WRAPPER = re.compile(r"retr(y|ies|ying)|attempts?(?![a-z])", re.I)
_RETRIES_PARAM = re.compile(r"^(max_?)?(retries|retry_?count|retry_?limit)$|^maxRetries$", re.I)
_ATTEMPTS_PARAM = re.compile(r"^(max_?)?(attempts|tries)$|^maxAttempts$|^times$", re.I)


def retry_count_param(fn: ts.Node) -> tuple[int, float] | None:
    """(position, offset) of a retry wrapper's count parameter: `(operation, maxRetries = 5)` ->
    (1, 1.0) (retries after the first try), `(fn, attempts = 3)` -> (1, 0.0)."""
    params = fn.child_by_field_name("parameters")
    for index, param in enumerate(params.named_children if params is not None else []):
        pattern = param.child_by_field_name("pattern") or param.child_by_field_name("left") or param
        name = ts.text(pattern) if pattern is not None and pattern.type == "identifier" else ""
        if _RETRIES_PARAM.match(name):
            return index, 1.0
        if _ATTEMPTS_PARAM.match(name):
            return index, 0.0
    return None


def helper_timeout_param(fn: ts.Node) -> ts.Node | None:
    """The default of a timeout helper's ms parameter: `(callback, timeout = 10000) => ...` -> 10000."""
    params = fn.child_by_field_name("parameters")
    for param in (params.named_children if params is not None else []):
        if param.type not in ("required_parameter", "optional_parameter", "assignment_pattern"):
            continue
        pattern = param.child_by_field_name("pattern") or param.child_by_field_name("left")
        value = param.child_by_field_name("value") or param.child_by_field_name("right")
        if pattern is not None and value is not None and pattern.type == "identifier" and \
                _TIMEOUT_PARAM.search(ts.text(pattern)) and unwrap(value) is not None and \
                unwrap(value).type in ("number", "identifier", "member_expression", "binary_expression", "call_expression"):
            return unwrap(value)
    return None


def _destructured_option(node: ts.Node) -> bool:
    """`retryCount` declared by `const { retryCount, retryDelayMs } = this.options ?? {}` (or `= opts`)
    in a block around ``node``, before it: a member of an options object, unset unless given."""
    name = ts.text(node)
    for parent in ts.ancestors(node):  # (a closure sees the consts of the blocks around it)
        if parent.type == "program":
            return False
        if parent.type != "statement_block":
            continue
        for stmt in parent.named_children:
            if stmt.start_byte >= node.start_byte:
                break
            if stmt.type not in ("lexical_declaration", "variable_declaration"):
                continue
            for decl in stmt.named_children:
                pattern = decl.child_by_field_name("name") if decl.type == "variable_declarator" else None
                if pattern is None or pattern.type != "object_pattern":
                    continue
                if any(part.type == "shorthand_property_identifier_pattern" and ts.text(part) == name
                       for part in pattern.named_children):
                    value = unwrap(decl.child_by_field_name("value"))
                    return value is not None and value.type in ("identifier", "member_expression", "binary_expression")
    return False


def _param_env_member(node: ts.Node, name: str) -> Expr | None:
    """`dynamoEnv.DYNAMODB_REQUEST_TIMEOUT_MS` where `dynamoEnv` is a parameter of the function
    around: a settings object handed in, read by an environment variable's name: that variable,
    with the default the service's env schema declares for it (`$envdefault.NAME`), if any."""
    head, _, member = name.partition(".")
    if not member or "." in member or not re.fullmatch(r"[A-Z][A-Z0-9]*_[A-Z0-9_]+", member):
        return None
    fn = enclosing_function(node)
    while fn is not None:
        if _parameter_default(fn, head)[0]:
            return Env(member, Ref(ENV_DEFAULT + member))
        fn = enclosing_function(fn)
    from extractors.javascript.config_local_js4 import resolved_config_local
    if resolved_config_local(node, head):  # (round 19, js4) `const config = c.resolve(CORE_CONFIG)`
        return Env(member, Ref(ENV_DEFAULT + member))
    return None


TYPED = "$typed:"


def _numeric_text(text: str) -> bool:
    """`'400'` of `env.TIMEOUT_MS || '400'` (round 20, lead): a fallback written as a numeric string."""
    return bool(re.fullmatch(r"\s*\d+(?:\.\d+)?\s*", text or ""))
_SETTING_KEY = re.compile(r"time_?out|deadline|ttl|(?<![a-z])ms$|Ms$|millis|seconds?$|retries|retry|attempts|tries", re.I)


def _type_key(type_node: ts.Node | None) -> str:
    """`: ServerConfig['proxy']` -> "ServerConfig.proxy"; `: ProxyConfig` -> "ProxyConfig"; "" otherwise."""
    if type_node is None:
        return ""
    text = re.sub(r"\s+", "", ts.text(type_node)).lstrip(":")
    m = re.fullmatch(r"([A-Z][\w$]*)((?:\[['\"][\w$]+['\"]\])*)", text)
    if m is None:
        return ""
    return m.group(1) + "".join("." + k for k in re.findall(r"['\"]([\w$]+)['\"]", m.group(2)))


_PARSE_WITH_DEFAULT = re.compile(r"^(parseInteger|toInteger|toInt|toNumber|parseNumber|asInt|asNumber|intOr|numberOr)$")
_CONTAINER_RECEIVER = re.compile(r"(^|\.)(container|kernel|injector|serviceContainer|diContainer)$", re.I)
# a dependency-injection token's bound value (inversify's `container.bind(TYPES.HTTP_CALL_TIMEOUT).toConstantValue(
# 60_000)`), published service-wide as `$di.<token>` (wrapper_call.di_bindings, round 11)
DI_PREFIX = "$di."
_INJECT = re.compile(r"^@\s*(?:inject|Inject)\s*\(\s*(?:[\w$]+\.)*([\w$]+|'[\w$.:-]+'|\"[\w$.:-]+\")\s*\)$")


_PROMISE_CHAIN = frozenset(("then", "catch", "finally"))
_PROMISE_COMBINATORS = frozenset(("Promise.all", "Promise.allSettled", "Promise.race", "Promise.any"))


def _yielded_in_generator_js1(node: ts.Node, parent: ts.Node | None) -> bool:
    """(round 15, js1) `var r = yield urllib.request(url, opts)` in a `function*` run by co / koa 1:
    the generator runner awaits the yielded call (cnpmjs.org's sync workers). Not `yield*` (a
    delegation) and not inside an `async function*` (there, `await` says it)."""
    if parent is None or parent.type != "yield_expression" or b"*" in (parent.text or b"")[:6]:
        return False
    fn = next((p for p in ts.ancestors(node) if p.type in FUNCTION_TYPES), None)
    return fn is not None and fn.type in ("generator_function", "generator_function_declaration") and \
        not (fn.text or b"").lstrip().startswith(b"async")


def _awaited_through_chain(node: ts.Node, depth: int = 0) -> bool:
    """`await fetchWithTimeout(url).then((r) => r.json()).catch(() => null)` and `await
    Promise.allSettled([fetchWithRetry(url, init).then(...), ...])` (round 12): the call's promise is
    awaited through its `.then` / `.catch` / `.finally` chain or a Promise combinator's array."""
    if depth > 8:
        return False
    parent = node.parent
    while parent is not None and parent.type in WRAPPERS:
        parent = parent.parent
    if parent is None:
        return False
    if parent.type == "await_expression":
        return depth > 0
    if parent.type == "member_expression" and parent.child_by_field_name("object") is not None and \
            ts.text(parent.child_by_field_name("property")) in _PROMISE_CHAIN and \
            parent.parent is not None and parent.parent.type == "call_expression":
        return _awaited_through_chain(parent.parent, depth + 1)
    if parent.type == "array" and parent.parent is not None and parent.parent.type == "arguments":
        call = parent.parent.parent
        if call is not None and call.type == "call_expression" and \
                dotted(call.child_by_field_name("function")) in _PROMISE_COMBINATORS:
            return _awaited_through_chain(call, depth + 1)
    if parent.type == "variable_declarator" and depth == 0 and parent.child_by_field_name("name") is not None \
            and parent.child_by_field_name("name").type == "identifier":
        # `const archivePromise = withGmailRetry(...); ... await Promise.allSettled([archivePromise, ...])`
        # (round 12): the promise kept in a const and awaited later in the same block
        name = ts.text(parent.child_by_field_name("name"))
        block = parent.parent.parent if parent.parent is not None else None
        stack = [block] if block is not None else []
        while stack:
            current = stack.pop()
            if current.type == "identifier" and ts.text(current) == name and current.start_byte > parent.end_byte:
                if _awaited_through_chain(current, 1):
                    return True
            if current.type not in ("arrow_function", "function_expression", "function_declaration", "function"):
                stack.extend(current.named_children)
    return False


NEST_INJECT = ".$nest_inject."


def _nest_registered_settings(value: ts.Node) -> ts.Node | None:
    """`registerAs('threshold', () => ({ ... }))` / `registerAs('x', () => { return { ... }; })`: the
    settings object a @nestjs/config namespace factory returns (round 12)."""
    if value.type != "call_expression" or dotted(value.child_by_field_name("function")).rsplit(".", 1)[-1] != "registerAs":
        return None
    args = value.child_by_field_name("arguments")
    given = [unwrap(a) for a in (args.named_children if args is not None else []) if a.type != "comment"]
    factory = given[1] if len(given) == 2 else None
    if factory is None or factory.type not in FUNCTION_TYPES:
        return None
    body = unwrap(factory.child_by_field_name("body"))
    if body is not None and body.type == "statement_block":
        returned = [unwrap(st.named_children[0]) for st in body.named_children
                    if st.type == "return_statement" and st.named_children]
        body = returned[0] if len(returned) == 1 else None
    return body if body is not None and body.type == "object" else None


def _nest_injected_settings(value: ts.Node) -> str | None:
    """`() => Inject(thresholdConfig.KEY)`: a decorator factory injecting a @nestjs/config namespace;
    the namespace's name (round 12)."""
    if value.type not in FUNCTION_TYPES:
        return None
    body = unwrap(value.child_by_field_name("body"))
    if body is not None and body.type == "statement_block":
        returned = [unwrap(st.named_children[0]) for st in body.named_children
                    if st.type == "return_statement" and st.named_children]
        body = returned[0] if len(returned) == 1 else None
    if body is None or body.type != "call_expression" or dotted(body.child_by_field_name("function")) != "Inject":
        return None
    match = re.fullmatch(r"\(\s*([A-Za-z_$][\w$]*)\.KEY\s*,?\s*\)", ts.text(body.child_by_field_name("arguments")))
    return match.group(1) if match else None


def constructor_param(node: ts.Node, field: str) -> ts.Node | None:
    """The parameter ``field`` of the constructor of the class around ``node`` (a TypeScript parameter
    property, `constructor(private readonly config: Cfg)`, or a decorated injection), or None."""
    cls = next((p for p in ts.ancestors(node) if p.type in ("class_declaration", "class", "abstract_class_declaration")),
               None)
    body = cls.child_by_field_name("body") if cls is not None else None
    for method in (body.named_children if body is not None else []):
        if method.type != "method_definition" or ts.text(method.child_by_field_name("name")) != "constructor":
            continue
        params = method.child_by_field_name("parameters")
        for param in (params.named_children if params is not None else []):
            pattern = param.child_by_field_name("pattern") if param.type in ("required_parameter", "optional_parameter") \
                else None
            if pattern is not None and ts.text(pattern) == field:
                return param
    return None


def nest_settings_member(node: ts.Node, field: str, member: str) -> Expr | None:
    """`this.thresholdConfig.bigTransactionTimeout` where the constructor's parameter property
    `thresholdConfig` is decorated `@Inject(thresholdConfig.KEY)` or `@ThresholdConfig()` (a decorator
    factory of the project's, see _nest_injected_settings): that @nestjs/config namespace's member
    (round 12)."""
    param = constructor_param(node, field)
    for child in (param.children if param is not None else []):
        if child.type != "decorator":
            continue
        text = re.sub(r"\s+", "", ts.text(child))
        direct = re.fullmatch(r"@Inject\(([A-Za-z_$][\w$]*)\.KEY\)", text)
        if direct:
            return Ref(f"{direct.group(1)}.{member}")
        factory = re.fullmatch(r"@([A-Za-z_$][\w$]*)\(\)", text)
        if factory and factory.group(1)[0].isupper():
            return Ref(f"{factory.group(1)}{NEST_INJECT}{member}")
    return None


def injected_token(node: ts.Node, field: str) -> str | None:
    """`constructor(@inject(TYPES.HTTP_CALL_TIMEOUT) private httpCallTimeout: number)`: the token the
    container fills the parameter property ``field`` of the class around ``node`` from."""
    param = constructor_param(node, field)
    return param_token(param) if param is not None else None


def param_token(param: ts.Node) -> str | None:
    """The injection token of a constructor parameter decorated `@inject(TYPES.X)` / `@Inject('X')`."""
    for child in param.children:
        if child.type == "decorator":
            match = _INJECT.match(ts.text(child).strip())
            if match:
                return match.group(1).strip("'\"")
    return None


def member_chain(node: ts.Node | None) -> tuple[str, list[str]] | None:
    """`a.b.c` -> ("a", ["b", "c"]): the identifier a member chain starts from and the property names read
    off it (plain properties only), else None."""
    path, cur = [], node
    while cur is not None and cur.type == "member_expression":
        prop = cur.child_by_field_name("property")
        if prop is None or prop.type != "property_identifier":
            return None
        path.append(ts.text(prop))
        cur = unwrap(cur.child_by_field_name("object"))
    if cur is None or cur.type != "identifier" or not path:
        return None
    return ts.text(cur), path[::-1]


def _typed_param_member(node: ts.Node, name: str) -> Expr | None:
    """`cfg.headersTimeout` / `cfg.identity.resolverTimeout` where `cfg` is a parameter typed by a
    settings type (`cfg: ProxyConfig`, `cfg: ServerConfig`): the value another file's settings
    builder publishes for that type's member (`$typed:ProxyConfig.headersTimeout`, round 10)."""
    head, _, rest = name.partition(".")
    from extractors.javascript.typed_config_lead import _URL_KEY
    if not rest or not (_SETTING_KEY.search(rest.rsplit(".", 1)[-1]) or "." not in rest and _URL_KEY.search(rest)):
        return None  # (a URL member too, round 21: `baseURL: cfg.riskUrl` of `cfg: Settings`)
    fn = enclosing_function(node)
    while fn is not None:
        params = fn.child_by_field_name("parameters")
        for param in (params.named_children if params is not None else []):
            if param.type not in ("required_parameter", "optional_parameter"):
                continue
            pattern = param.child_by_field_name("pattern")
            if pattern is None or pattern.type != "identifier" or ts.text(pattern) != head:
                continue
            key = _type_key(param.child_by_field_name("type"))
            return Ref(f"{TYPED}{key}.{rest}") if key else None
        fn = enclosing_function(fn)
    return None


def _options_member(fn: ts.Node, name: str) -> bool:
    """`const { maxRetries = 1 } = options || {}` at the top of ``fn``'s body, `options` one of its
    parameters (round 10): ``name`` is a member of an options object handed in."""
    body = fn.child_by_field_name("body")
    for stmt in (body.named_children if body is not None and body.type == "statement_block" else []):
        if stmt.type not in ("lexical_declaration", "variable_declaration"):
            continue
        for decl in stmt.named_children:
            pattern = decl.child_by_field_name("name") if decl.type == "variable_declarator" else None
            value = unwrap(decl.child_by_field_name("value")) if pattern is not None else None
            if pattern is not None and pattern.type == "identifier" and ts.text(pattern) == name and \
                    value is not None and value.type == "binary_expression" and \
                    ts.text(value.child_by_field_name("operator")) in ("||", "??"):
                # `const maxRetries = retries ?? CONFIG.maxRetries` (round 13): a parameter with the
                # code's own fallback, read under a local name
                left = unwrap(value.child_by_field_name("left"))
                if left is not None and left.type == "identifier" and _parameter_default(fn, ts.text(left))[0]:
                    return True
            if pattern is None or pattern.type != "object_pattern" or value is None:
                continue
            if value.type == "binary_expression" and ts.text(value.child_by_field_name("operator")) in ("||", "??"):
                value = unwrap(value.child_by_field_name("left"))
            if value is None or value.type != "identifier" or not _parameter_default(fn, ts.text(value))[0]:
                continue
            if any(ts.text(part.child_by_field_name("left") if part.type == "object_assignment_pattern" else part)
                   == name for part in pattern.named_children
                   if part.type in ("shorthand_property_identifier_pattern", "object_assignment_pattern")):
                return True
    return False


def _conditional_spread_js1(node: ts.Node | None) -> ts.Node | None:
    """(round 17, js1) `...(this.timeoutMs > 0 && { signal: AbortSignal.timeout(this.timeoutMs) })`, `...(cond ?
    { signal } : {})` in an options literal: the object spread in when the condition holds (across-protocol's
    API client); any other spread as written."""
    inner = unwrap(node)
    if inner is not None and inner.type == "binary_expression" and \
            ts.text(inner.child_by_field_name("operator")) == "&&":
        right = unwrap(inner.child_by_field_name("right"))
        if right is not None and right.type == "object":
            return right
    if inner is not None and inner.type == "ternary_expression":
        yes, no = unwrap(inner.child_by_field_name("consequence")), unwrap(inner.child_by_field_name("alternative"))
        if yes is not None and yes.type == "object" and no is not None and \
                (no.type in ("undefined", "null") or ts.text(no).replace(" ", "") == "{}"):
            return yes
    return node


_CLAMPS_JS1 = ("Math.max", "Number", "parseInt", "Number.parseInt", "Math.floor", "Math.trunc")


def _clamped_param_local_js1(fn: ts.Node, name: str) -> bool:
    """(round 17, js1) `const retries = Math.max(numRetries, 0)` (also `Number(x)`, `parseInt(x, 10)`, a plain
    `const attempts = maxAttempts`) among the top statements of ``fn``'s body, ``numRetries`` a parameter of
    ``fn``: a bound read through that local is the parameter's (its callers' counts are read)."""
    if not re.fullmatch(r"[A-Za-z_$][\w$]*", name):
        return False
    body = fn.child_by_field_name("body")
    if body is None or body.type != "statement_block":
        return False
    for stmt in body.named_children:
        if stmt.type != "lexical_declaration" or not ts.text(stmt).startswith("const"):
            continue
        for decl in stmt.named_children:
            if decl.type != "variable_declarator" or ts.text(decl.child_by_field_name("name")) != name:
                continue
            value = unwrap(decl.child_by_field_name("value"))
            inner = value if value is not None and value.type == "identifier" else None
            if value is not None and value.type == "call_expression" and \
                    dotted(value.child_by_field_name("function")) in _CLAMPS_JS1:
                args = [unwrap(a) for a in value.child_by_field_name("arguments").named_children
                        if a.type != "comment"]
                named = [a for a in args if a is not None and a.type == "identifier"]
                if len(named) == 1 and len(args) <= 2 and all(a is not None and a.type in ("identifier", "number")
                                                              for a in args):
                    inner = named[0]
            return inner is not None and ts.text(inner) != name and _parameter_default(fn, ts.text(inner))[0]
    return False


def _parameter_default(fn: ts.Node, name: str) -> tuple[bool, ts.Node | None]:
    """(is a parameter, its default): `attempts = 3` -> (True, 3); `options` -> (True, None)."""
    params = fn.child_by_field_name("parameters") or fn.child_by_field_name("parameter")
    if params is None:
        return False, None
    if params.type == "identifier":  # `x => ...`
        return ts.text(params) == name, None
    for param in params.named_children:
        if param.type in ("required_parameter", "optional_parameter"):
            pattern = param.child_by_field_name("pattern")
            value = param.child_by_field_name("value")
            if pattern is not None and ts.text(pattern) == name:
                return True, value
            if pattern is not None and any(n.type in ("identifier", "shorthand_property_identifier_pattern")
                                           and ts.text(n) == name for n in descendants(pattern)):
                # `{ maxRetries = 3 }: { maxRetries?: number } = {}` (round 10): the member's own default
                return True, _pattern_default(pattern, name) if pattern.type == "object_pattern" else None
        elif param.type == "assignment_pattern" and param.child_by_field_name("left") is not None and \
                ts.text(param.child_by_field_name("left")) == name:
            return True, param.child_by_field_name("right")
        elif param.type == "identifier" and ts.text(param) == name:
            return True, None
        elif any(n.type in ("identifier", "shorthand_property_identifier_pattern") and ts.text(n) == name
                 for n in descendants(param)):
            # `function f(fn, { maxRetries = 3 } = {})`: the member's own default (round 10)
            pattern = param.child_by_field_name("left") if param.type == "assignment_pattern" else param
            found = _pattern_default(pattern, name) if pattern is not None and pattern.type == "object_pattern" \
                else None
            if found is None and param.type == "assignment_pattern":
                # `({ retries, operation } = { retries: 30, operation: '' })` (round 14, js1: snyk broker's
                # retry helper): the member of the default object a call leaving the options out gets
                found = _default_object_member_js1(param.child_by_field_name("right"), name)
            return True, found
    return False, None


_TIME_UNIT_MS = {"MILLISECOND": 1.0, "SECOND": 1000.0, "MINUTE": 60000.0, "HOUR": 3600000.0, "DAY": 86400000.0,
                 "WEEK": 604800000.0, "ONE_SECOND": 1000.0, "ONE_MINUTE": 60000.0, "ONE_HOUR": 3600000.0}
_PLAIN_CHAIN = re.compile(r"[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*\Z")
_PLAIN_CHAIN_TYPES = frozenset({"identifier", "this", "property_identifier", "super", "member_expression"})


def dotted(node: ts.Node | None) -> str:
    """`a.b.c` for member chains of identifiers/`this`; the raw text otherwise. Iterative, so a
    pathological 10,000-link chain cannot exhaust the stack."""
    node = unwrap(node)
    if node is None:
        return ""
    if node.type in _PLAIN_CHAIN_TYPES:
        raw = ts.text(node)
        if _PLAIN_CHAIN.match(raw):  # `a.b.c` written plainly: the text is the answer
            return raw
    parts: list[str] = []
    current = node
    while current is not None:
        if current.type in ("identifier", "this", "property_identifier", "super"):
            parts.append(ts.text(current))
            break
        if current.type == "member_expression":
            prop = current.child_by_field_name("property")
            parts.append(ts.text(prop))
            current = unwrap(current.child_by_field_name("object"))
            continue
        if current.type == "subscript_expression":
            idx = string_value(current.child_by_field_name("index"))
            if idx is not None and re.match(r"^[A-Za-z_$][\w$]*$", idx):
                parts.append(idx)
                current = unwrap(current.child_by_field_name("object"))
                continue
        parts.append(re.sub(r"\s+", "", ts.text(current))[:200])
        break
    return ".".join(reversed(parts))


def env_name(node: ts.Node | None) -> str | None:
    """`process.env.X`, `process.env["X"]`, `import.meta.env.X`, `Deno.env.get("X")` -> X."""
    node = unwrap(node)
    if node is None:
        return None
    if node.type == "member_expression":
        obj = dotted(node.child_by_field_name("object"))
        if obj in ("process.env", "import.meta.env"):
            return ts.text(node.child_by_field_name("property"))
    if node.type == "subscript_expression":
        obj = dotted(node.child_by_field_name("object"))
        if obj in ("process.env", "import.meta.env"):
            return string_value(node.child_by_field_name("index"))
    return None


_MS_UNITS = {"ms": 1.0, "s": 1000.0, "sec": 1000.0, "secs": 1000.0, "second": 1000.0, "seconds": 1000.0,
             "m": 60000.0, "min": 60000.0, "mins": 60000.0, "minute": 60000.0, "minutes": 60000.0,
             "h": 3600000.0, "hr": 3600000.0, "hour": 3600000.0, "hours": 3600000.0,
             # (round 14, js1) the rest of the `ms` package's spellings: `ms("800 milliseconds")`, `"2 weeks"`
             "millisecond": 1.0, "milliseconds": 1.0, "msec": 1.0, "msecs": 1.0, "hrs": 3600000.0,
             "d": 86400000.0, "day": 86400000.0, "days": 86400000.0,
             "w": 604800000.0, "week": 604800000.0, "weeks": 604800000.0}


def ms_string(value: str | None) -> float | None:
    """Milliseconds of a duration in the `ms` package's notation (`"10 minute"`, `"2s"`), else None."""
    return _ms_string(value)


def _ms_string(value: str | None) -> float | None:
    """The `ms` package's notation: `"2s"` -> 2000, `"500ms"` -> 500."""
    if value is None:
        return None
    m = re.match(r"^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$", value)
    if not m:
        return None
    unit = m.group(2).lower() or "ms"
    if unit not in _MS_UNITS:
        return None
    return float(m.group(1)) * _MS_UNITS[unit]


def _count_fallback_js4(node: ts.Node) -> bool:
    """`options.retries ?? 3`, `opts.maxRetries || 5`: a member of something with a whole-number fallback."""
    right = unwrap(node.child_by_field_name("right"))
    left = unwrap(node.child_by_field_name("left"))
    return ts.text(node.child_by_field_name("operator")) in ("||", "??") and right is not None and \
        (right.type == "number" and "." not in ts.text(right) or
         right.type == "identifier" and re.fullmatch(r"[A-Z][A-Z0-9_]*", ts.text(right)) is not None) and \
        left is not None and left.type == "member_expression"


def js_detector(id: str, kinds, valid=(), invalid=()):
    """``@detector`` for a JavaScript detector whose user documentation is its module docstring."""
    import sys

    from extractors.base import detector

    def wrap(func):
        if not func.__doc__:
            func.__doc__ = sys.modules[func.__module__].__doc__
        return detector(id, LANGUAGE, kinds, valid=valid, invalid=invalid)(func)

    return wrap


def _declared_functions(decl: ts.Node) -> list[tuple[ts.Node | None, ts.Node | None]]:
    """(name, function) of `function f(...)` or of each `const f = (...) => ...` of a declaration."""
    if decl.type == "function_declaration":
        return [(decl.child_by_field_name("name"), decl)]
    return [(d.child_by_field_name("name"), unwrap(d.child_by_field_name("value")))
            for d in decl.named_children if d.type == "variable_declarator"]


def _env_options_default_js2(options: ts.Node | None) -> ts.Node | None:
    """The `default` (`defaultValue`, `fallback`) member of an environment reader's options object:
    `env('CURL_TIMEOUT', { default: 5000 })` -> the 5000 node (round 15, js2)."""
    options = unwrap(options)
    if options is None or options.type != "object":
        return None
    props = object_props(options) or {}
    for key in ("default", "defaultValue", "fallback"):
        if props.get(key) is not None:
            return props[key]
    return None


def _constructor_kept_field_r22(node: ts.Node, field_text: str) -> bool:
    """(round 22) Whether ``this.<field>`` read at ``node`` is a field its class's constructor fills from one of
    its parameters (`this.maxAttempts = maxAttempts`, a TypeScript parameter property)."""
    cls = node.parent
    while cls is not None and cls.type not in ("class_declaration", "class", "abstract_class_declaration"):
        cls = cls.parent
    body = cls.child_by_field_name("body") if cls is not None else None
    for member in body.named_children if body is not None else ():
        if member.type == "method_definition" and ts.text(member.child_by_field_name("name")) == "constructor":
            from extractors.javascript.detectors.wrapper_call import _constructor_aliases
            return field_text in _constructor_aliases(member)
    return False
