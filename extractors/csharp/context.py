"""One parsed C# file as the detectors see it: the tree, query captures and finding factories."""

from __future__ import annotations

import re

import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Iterable

from contract_discovery.model import Finding, Pending, Target
from contract_discovery.values import BinOp, Call, Env, Expr, Num, Ref, Str, Unknown, normalise_ms, ref_names
from extractors import treesitter as ts
from extractors.base import detector
from extractors.csharp import syntax
from extractors.treesitter import Node, text, walk
from extractors.common import Url  # noqa: F401 - re-exported for the detectors

GRAMMAR = "c_sharp"
LANGUAGE = "csharp"
QUERIES = Path(__file__).parent / "queries"

HTTP_METHODS = {
    "GetAsync": "GET", "GetStringAsync": "GET", "GetStreamAsync": "GET", "GetByteArrayAsync": "GET",
    "GetFromJsonAsync": "GET", "PostAsync": "POST", "PostAsJsonAsync": "POST", "PutAsync": "PUT",
    "PutAsJsonAsync": "PUT", "PatchAsync": "PATCH", "PatchAsJsonAsync": "PATCH", "DeleteAsync": "DELETE",
    "DeleteFromJsonAsync": "DELETE", "SendAsync": None, "Send": None,
}


def query(name: str):
    return ts.load_query(GRAMMAR, str(QUERIES / f"{name}.scm"))


_COMBINED: list = []
_DECLARATIONS = "[(variable_declaration) (parameter) (property_declaration)] @declaration"
# the classes an options class holds as properties (round 11: nested options objects)
_OPTIONS_CLASS_SUFFIXES = ("Options", "Settings", "Config", "Configuration")


def _combined_query():
    if not _COMBINED:
        sources = [(QUERIES / f"{name}.scm").read_text(encoding="utf-8")
                   for name in ("invocations", "assignments", "creations", "loops", "ids")]
        _COMBINED.append(ts.compile_query(GRAMMAR, "\n".join([*sources, _DECLARATIONS])))
    return _COMBINED[0]


def csharp_detector(id: str, kinds, valid=(), invalid=()):
    """``@detector`` for a C# detector function whose user documentation is its module docstring."""

    def wrap(func):
        if not func.__doc__:
            func.__doc__ = sys.modules[func.__module__].__doc__
        return detector(id, "csharp", kinds, valid=valid, invalid=invalid)(func)

    return wrap


@dataclass
class CsFile:
    path: str
    data: bytes
    tree: Any

    @property
    def root(self) -> Node:
        return self.tree.root_node

    @cached_property
    def _captured(self) -> dict[str, list[Node]]:
        """The captures of every shallow `.scm` of ours, from one pass over the tree, each list in
        source order (outer node first): query captures come in no reliable order of their own."""
        out: dict[str, list[Node]] = {}
        for name, nodes in ts.captures(_combined_query(), self.root).items():
            unique = list({n.id: n for n in nodes}.values())
            unique.sort(key=lambda n: (n.start_byte, -n.end_byte))
            out[name] = unique
        return out

    def captured(self, name: str) -> list[Node]:
        """Nodes captured as ``@name`` by queries/{invocations,assignments,creations,loops,ids}.scm, or
        ``@declaration`` (variable declarations, parameters and properties)."""
        return self._captured.get(name, [])

    @cached_property
    def invocations(self) -> list[syntax.Invocation]:
        return [syntax.invocation(n) for n in self.captured("call")]

    def invocations_named(self, *names: str) -> list[syntax.Invocation]:
        return [i for i in self.invocations if i.name in names]

    @cached_property
    def assignments(self) -> list[Node]:
        return self.captured("assign")

    @cached_property
    def creations(self) -> list[Node]:
        return self.captured("new")

    @cached_property
    def implicit_creations(self) -> list[tuple[Node, str]]:
        """Target-typed ``new(...)`` with the type the declaration or assignment gives it."""
        return [(n, syntax.implicit_type(n)) for n in self.captured("implicit_new")]

    @cached_property
    def constants(self) -> dict[str, Expr]:
        """``const`` and ``static readonly`` fields, TimeSpans in ms, bare and type-qualified names."""
        symbols: dict[str, Expr] = {}
        for match in ts.matches(query("constants"), self.root):
            field = match["field"][0]
            modifiers = {text(c) for c in field.named_children if c.type == "modifier"}
            declarator = match["name"][0].parent
            values = [c for c in declarator.named_children if c != declarator.child_by_field_name("name")]
            if not values:
                continue
            if "const" not in modifiers and not {"static", "readonly"} <= modifiers:
                if ("static" not in modifiers or "public" not in modifiers) and \
                        text(match["name"][0]) not in self._assigned_names and \
                        text(match["name"][0]) not in self._stepped_names:
                    # (round 11: a private `static int defaultTimeout = (int)TimeSpan.FromSeconds(10).TotalMilliseconds;`
                    # never set again in the file holds its value the same way)
                    # `private readonly TimeSpan _commandTimeout = TimeSpan.FromMinutes(5);` or `public double
                    # TimeoutInterval = 30000;`, never set again in the file (not even in a constructor): the
                    # value every instance starts with
                    expr = syntax.duration_ms(values[-1]) if text(match["type"][0]) in ("TimeSpan", "System.TimeSpan") \
                        else syntax.number(values[-1])
                    if not isinstance(expr, Unknown) and syntax.settle(expr) is not None:
                        symbols.setdefault(text(match["name"][0]), expr)
                continue
            size = syntax.listed_items(values[-1])
            if size is not None:
                # `static readonly TimeSpan[] Delays = { ... }`: a loop bound by `Delays.Length` / `.Count`
                for suffix in (".Count", ".Length"):
                    symbols.setdefault(text(match["name"][0]) + suffix, Num(float(size)))
            type_name = text(match["type"][0])
            value = values[-1]
            if type_name in ("TimeSpan", "System.TimeSpan"):
                expr = syntax.duration_ms(value)
            elif type_name in ("string", "Uri"):
                expr = self._string_expr(value)
            else:
                expr = syntax.number(value)
            if isinstance(expr, Unknown):
                continue
            name = text(match["name"][0])
            symbols.setdefault(name, expr)
            chain = syntax.type_chain(field)
            if chain:
                symbols[".".join([*chain, name])] = expr
        symbols.update(self._config_getters())
        for name, expr in self._once_assigned_fields().items():
            symbols.setdefault(name, expr)
        for name, expr in self._typed_settings_getters().items():
            symbols.setdefault(name, expr)
        for name, expr in self._parsed_getters_r22().items():
            symbols.setdefault(name, expr)
        symbols.update(self._partial_option_fields())
        for name, expr in self._registered_initializers_r20().items():
            symbols.setdefault(name, expr)
        for name, expr in self._interface_members_r20().items():
            symbols.setdefault(name, expr)
        for name, expr in self._configured_options_r20().items():
            symbols.setdefault(name, expr)
        for cls in syntax.descendants(self.root, "class_declaration"):
            # round 21 (teams-shifts-wfm-connectors): `class MicrosoftGraphOptions : ConnectorOptions`: a member the
            # class does not declare is its base class's (`<Class>.$super`, read by the resolver)
            bases = next((c for c in cls.named_children if c.type == "base_list"), None)
            first = next((c for c in bases.named_children), None) if bases is not None else None
            name_node = cls.child_by_field_name("name")
            if first is None or name_node is None or first.type not in ("identifier", "qualified_name"):
                continue
            base = text(first).rsplit(".", 1)[-1]
            if re.fullmatch(r"I[A-Z]\w*", base) or base == text(name_node):
                continue  # an interface (`IScheduleDestinationService`), not a base class
            symbols.setdefault(f"{text(name_node)}.$super", Str(base))
        for prop in syntax.descendants(self.root, "property_declaration"):
            # an options class's default: `public TimeSpan TimeoutQuery { get; set; } = TimeSpan.FromSeconds(5);`
            # stored under `ContentsOptions.TimeoutQuery` only (an instance property: no bare name)
            type_node, name_node = prop.child_by_field_name("type"), prop.child_by_field_name("name")
            value = prop.child_by_field_name("value")
            if value is not None and value.type == "arrow_expression_clause":
                value = None
            arrow = next((c for c in prop.named_children if c.type == "arrow_expression_clause"), None)
            if value is None and arrow is not None and arrow.named_child_count == 1 and \
                    any(c.type == "modifier" and text(c) == "static" for c in prop.named_children):
                # `private static int SendTimeoutMs => 30000;`: a constant of the class
                value = arrow.named_children[0]
            else:
                arrow = None
            if value is None:
                after = [c for c in prop.children if c.is_named and c.start_byte > name_node.end_byte
                         and c.type not in ("accessor_list", "arrow_expression_clause")] if name_node else []
                value = after[0] if after and any(text(c) == "=" for c in prop.children) else None
            if type_node is not None and name_node is not None and type_node.type == "identifier" and \
                    text(type_node).endswith(_OPTIONS_CLASS_SUFFIXES):
                # round 11: `public RetryPolicyOptions RetryPolicyOptions { get; set; } = new();` in an options
                # class: `PolicyOptions.RetryPolicyOptions.Count` is RetryPolicyOptions' Count (resolve.py)
                chain = syntax.type_chain(prop)
                if chain:
                    symbols.setdefault(".".join([*chain, text(name_node), "$type"]), Str(text(type_node)))
            if value is None and arrow is None and type_node is not None and name_node is not None:
                value = self._constructor_default_r18(prop)
            if value is None and arrow is None and type_node is not None and name_node is not None:
                fallback = self._effective_default(prop, symbols)
                if fallback is not None:
                    # round 11: `public int EffectiveTimeoutMs => TimeoutMs ?? DEFAULT_TIMEOUT_MS;` of an options
                    # record whose TimeoutMs has no default: the fallback, under the class's name only
                    chain = syntax.type_chain(prop)
                    for start in range(len(chain)):
                        symbols.setdefault(".".join([*chain[start:], text(name_node)]), fallback)
                    continue
            if type_node is None or name_node is None or value is None:
                continue
            type_name = text(type_node).rstrip("?")
            if type_name in ("TimeSpan", "System.TimeSpan"):
                expr = syntax.duration_ms(value)
            elif type_name in ("int", "long", "double", "float", "short"):
                expr = syntax.number(value)
            else:
                continue
            if isinstance(expr, Ref) and syntax.settle(expr) is None:
                # round 12: `public int MaxRetryCount { get; set; } = DefaultMaxRetryCount;` with the class's own
                # `private const int DefaultMaxRetryCount = 3;` (fhir-server's IntegrationDataStoreConfiguration)
                constant = symbols.get(expr.name)
                if constant is not None and syntax.settle(constant) is not None:
                    expr = constant
            if isinstance(expr, Unknown) or syntax.settle(expr) is None:
                continue
            if arrow is not None and syntax.unwrap(value) is not None and \
                    syntax.unwrap(value).type not in ("integer_literal", "real_literal", "binary_expression",
                                                      "invocation_expression"):
                continue  # `=> _settings.Timeout`: another object's value, not this class's constant
            chain = syntax.type_chain(prop)
            for start in range(len(chain)):
                symbols.setdefault(".".join([*chain[start:], text(name_node)]), expr)
            if arrow is not None:
                symbols.setdefault(text(name_node), expr)
            elif text(name_node) not in self._assigned_names and text(name_node) not in self._stepped_names and \
                    self._read_bare(text(name_node), prop):
                # `public TimeSpan ScoreRetrievalWaitTime { get; set; } = TimeSpan.FromSeconds(10);` read as
                # `new CancellationTokenSource(ScoreRetrievalWaitTime)` by the class itself, never set in the file
                symbols.setdefault(text(name_node), expr)
        return symbols

    def _registered_initializers_r20(self) -> dict[str, Expr]:
        """Round 20 (das-payments-v2): a settings object built for the container, ``builder.Register(c =>
        new ApplicationConfiguration { ImmediateMessageRetries = helper.GetSettingOrDefault("..", 1) })
        .As<IApplicationConfiguration>()`` (also ``AddSingleton`` / ``RegisterInstance``): the retry and timeout
        members it sets, under ``ApplicationConfiguration.<member>``, when they settle to a number."""
        found: dict[str, Expr] = {}
        if b"Register" not in self.data and b"AddSingleton" not in self.data and b"AddScoped" not in self.data \
                and b"AddTransient" not in self.data:
            return found
        for creation in syntax.descendants(self.root, "object_creation_expression"):
            initializer = next((c for c in creation.named_children if c.type == "initializer_expression"), None)
            kind = syntax.creation_type(creation)
            if initializer is None or not kind or not kind[:1].isupper() or not _registered_r20(creation):
                continue
            for item in initializer.named_children:
                left, right = item.child_by_field_name("left"), item.child_by_field_name("right")
                if item.type != "assignment_expression" or left is None or right is None or \
                        left.type != "identifier" or not _SETTING_WORDS_R20.search(text(left)):
                    continue
                expr = syntax.duration_ms(right) if syntax.timespan_typed(right) else syntax.number(right)
                if not isinstance(expr, Unknown) and syntax.settle(expr) is not None:
                    found.setdefault(f"{kind.split('.')[-1]}.{text(left)}", expr)
        return found

    def _configured_options_r20(self) -> dict[str, Expr]:
        """Round 20 (group-membership-management): ``services.AddOptions<GraphServiceAttemptsValue>()
        .Configure<IConfiguration>((settings, configuration) => { settings.MaxRetryAfterAttempts =
        GetIntSetting(configuration, "MaxRetryAfterAttempts", 4); })`` (also ``services.Configure<T>(o => o.X =
        ..)``): the retry and timeout members the lambda sets, under ``T.<member>``, when they settle to a number."""
        found: dict[str, Expr] = {}
        if b"Configure" not in self.data:
            return found
        for call in syntax.descendants(self.root, "invocation_expression"):
            inv = syntax.invocation(call)
            if inv.name not in ("Configure", "PostConfigure") or not inv.args:
                continue
            kind = None
            function = call.child_by_field_name("function")
            name_node = function.child_by_field_name("name") if function is not None and \
                function.type == "member_access_expression" else function
            receiver = syntax.unwrap(inv.receiver)
            if receiver is not None and receiver.type == "invocation_expression" and \
                    syntax.invocation(receiver).name == "AddOptions":
                inner = receiver.child_by_field_name("function")
                inner = inner.child_by_field_name("name") if inner is not None and \
                    inner.type == "member_access_expression" else inner
                if inner is not None and inner.type == "generic_name":
                    args = next((c for c in inner.named_children if c.type == "type_argument_list"), None)
                    kind = text(args.named_children[0]) if args is not None and args.named_child_count else None
            elif name_node is not None and name_node.type == "generic_name" and inv.name == "Configure" and \
                    len(inv.args) == 1:
                args = next((c for c in name_node.named_children if c.type == "type_argument_list"), None)
                kind = text(args.named_children[0]) if args is not None and args.named_child_count == 1 else None
            lam = syntax.unwrap(inv.args[-1])
            if not kind or not kind[:1].isupper() or lam is None or lam.type != "lambda_expression":
                continue
            param = syntax.lambda_param(lam)
            if not param:
                continue
            for node in walk(lam):
                if node.type != "assignment_expression" or text(node.child_by_field_name("operator")) != "=":
                    continue
                left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
                if left is None or right is None or left.type != "member_access_expression" or \
                        text(left.child_by_field_name("expression")) != param:
                    continue
                member = text(left.child_by_field_name("name"))
                if not _SETTING_WORDS_R20.search(member):
                    continue
                expr = syntax.duration_ms(right) if syntax.timespan_typed(right) else syntax.number(right)
                if not isinstance(expr, Unknown) and syntax.settle(expr) is not None:
                    found.setdefault(f"{kind.split('.')[-1].split('<')[0]}.{member}", expr)
        if not found:
            return found
        # the interface the file registers the options class as (`AddSingleton<IGraphServiceAttemptsValue>(s =>
        # new GraphServiceAttemptsValue { .. })`, `AddSingleton<IX, X>()`): the library code reading the
        # interface (`IGraphServiceAttemptsValue _attempts` .. `_attempts.MaxRetryAfterAttempts`) in a project
        # this one references sees the values (`$implements:`, read from the projects that use a library)
        configured = {name.split(".", 1)[0] for name in found}
        for call in syntax.descendants(self.root, "invocation_expression"):
            inv = syntax.invocation(call)
            if inv.name not in ("AddSingleton", "AddScoped", "AddTransient"):
                continue
            function = call.child_by_field_name("function")
            function = function.child_by_field_name("name") if function is not None and \
                function.type == "member_access_expression" else function
            args = next((c for c in function.named_children if c.type == "type_argument_list"), None) \
                if function is not None and function.type == "generic_name" else None
            types = [text(t).split(".")[-1] for t in args.named_children] if args is not None else []
            if not types or not re.match(r"^I[A-Z]", types[0]):
                continue
            made = {syntax.creation_type(n).split(".")[-1] for n in walk(call) if n.type == "object_creation_expression"}
            implementation = types[1] if len(types) == 2 else next(iter(made & configured), None)
            if implementation not in configured:
                continue
            for name, expr in list(found.items()):
                if name.startswith(implementation + "."):
                    member = name.split(".", 1)[1]
                    found.setdefault(f"{types[0]}.{member}", expr)
                    found.setdefault(f"$implements:{types[0]}.{member}", expr)
        return found

    def _interface_members_r20(self) -> dict[str, Expr]:
        """Round 20 (das-payments-v2; the open request of options read through an interface type): ``class
        ApplicationConfiguration : IApplicationConfiguration { public int ImmediateMessageRetries { get; set; } }``
        read as ``config.ImmediateMessageRetries`` of an ``IApplicationConfiguration config``: the interface's
        member is the class's (``IApplicationConfiguration.ImmediateMessageRetries`` -> a Ref to
        ``ApplicationConfiguration.ImmediateMessageRetries``), for the retry and timeout members."""
        found: dict[str, Expr] = {}
        for cls in syntax.descendants(self.root, "class_declaration"):
            name_node = cls.child_by_field_name("name")
            bases = next((c for c in cls.named_children if c.type == "base_list"), None)
            if name_node is None or bases is None:
                continue
            interfaces = [text(b).split("<")[0].split(".")[-1] for b in bases.named_children
                          if re.match(r"^(?:[\w.]+\.)?I[A-Z]\w*$", text(b).split("<")[0])]
            if not interfaces:
                continue
            body = cls.child_by_field_name("body")
            for prop in (c for c in (body.named_children if body is not None else []) if c.type == "property_declaration"):
                prop_name = prop.child_by_field_name("name")
                if prop_name is None or not _SETTING_WORDS_R20.search(text(prop_name)):
                    continue
                for interface in interfaces:
                    found.setdefault(f"{interface}.{text(prop_name)}", Ref(f"{text(name_node)}.{text(prop_name)}"))
        return found

    def _partial_option_fields(self) -> dict[str, Expr]:
        """Round 12: ``private readonly DataCleanupOptions _options;`` of a ``partial`` class (the dicom-server
        durable functions, whose other files read ``_options.RetryOptions``): ``DataCleanupDurableFunction.
        _options.$type`` = "DataCleanupOptions", so the resolver reads the options class's member for a name
        ``syntax.typed_name`` leaves as ``DataCleanupDurableFunction._options.RetryOptions.MaxNumberOfAttempts``."""
        out: dict[str, Expr] = {}
        for field in syntax.descendants(self.root, "field_declaration"):
            owner = syntax.enclosing(field, ("class_declaration",))
            if owner is None or not syntax.is_partial(owner):
                continue
            declaration = next((c for c in field.named_children if c.type == "variable_declaration"), None)
            kind = declaration.child_by_field_name("type") if declaration is not None else None
            if kind is None or kind.type != "identifier" or not text(kind).endswith(_OPTIONS_CLASS_SUFFIXES):
                continue
            chain = syntax.type_chain(field)
            for declarator in (c for c in declaration.named_children if c.type == "variable_declarator"):
                name = text(declarator.child_by_field_name("name"))
                if chain and name:
                    out[".".join([*chain, name, "$type"])] = Str(text(kind))
        return out

    def _constructor_default_r18(self, prop: Node) -> Node | None:
        """Round 18 (plan-technology): an auto-property without an initializer that the type's parameterless
        constructor sets (``public DatabaseConfiguration() : this(5, 5000) { }`` chaining to ``(int maxRetryCount,
        ..) { MaxRetryCount = maxRetryCount; }``, or ``MaxRetryCount = 5;`` in its body): what a configuration
        binder (``section.Get<DatabaseConfiguration>()``) starts from, the literal the chain hands in."""
        name_node = prop.child_by_field_name("name")
        owner = syntax.enclosing(prop, ("class_declaration", "record_declaration", "struct_declaration",
                                        "record_struct_declaration"))
        if name_node is None or owner is None or not any(c.type == "accessor_list" for c in prop.named_children):
            return None
        name = text(name_node)
        body = owner.child_by_field_name("body") or next((c for c in owner.named_children
                                                         if c.type == "declaration_list"), None)
        ctors = [c for c in body.named_children if c.type == "constructor_declaration"] if body is not None else []

        def params_of(ctor: Node) -> list[str]:
            plist = ctor.child_by_field_name("parameters")
            return [text(p.child_by_field_name("name")) for p in plist.named_children
                    if p.type == "parameter"] if plist is not None else []

        def assigned(ctor: Node) -> Node | None:
            block = ctor.child_by_field_name("body")
            found = None
            for node in walk(block) if block is not None else []:
                if node.type == "assignment_expression" and text(node.child_by_field_name("operator")) == "=" and \
                        text(node.child_by_field_name("left")) in (name, "this." + name):
                    found = node.child_by_field_name("right")
            return found

        default = next((c for c in ctors if not params_of(c)), None)
        if default is None:
            return None
        own = assigned(default)
        if own is not None:
            return own if syntax.unwrap(own) is not None and \
                syntax.unwrap(own).type in ("integer_literal", "real_literal", "invocation_expression") else None
        chained = next((c for c in default.named_children if c.type == "constructor_initializer"
                        and any(k.type == "this" or text(k) == "this" for k in c.children)), None)
        arglist = next((c for c in chained.named_children if c.type == "argument_list"), None) \
            if chained is not None else None
        if arglist is None:
            return None
        args, _ = syntax.arguments(arglist)
        target = next((c for c in ctors if c is not default and len(params_of(c)) == len(args)), None)
        value = assigned(target) if target is not None else None
        bare = syntax.unwrap(value)
        if bare is None or bare.type != "identifier" or text(bare) not in params_of(target):
            return None
        handed = syntax.unwrap(args[params_of(target).index(text(bare))])
        return handed if handed is not None and handed.type in ("integer_literal", "real_literal", "invocation_expression") \
            else None

    def _effective_default(self, prop: Node, symbols: dict[str, Expr]) -> Expr | None:
        """``int EffectiveTimeoutMs => TimeoutMs ?? DEFAULT_TIMEOUT_MS;`` (an instance property): the fallback's
        value when the property tested is one of this class without a default of its own."""
        arrow = next((c for c in prop.named_children if c.type == "arrow_expression_clause"), None)
        body = syntax.unwrap(arrow.named_children[0]) if arrow is not None and arrow.named_child_count == 1 else None
        if body is None or body.type != "binary_expression" or text(body.child_by_field_name("operator")) != "??":
            return None
        left = syntax.unwrap(body.child_by_field_name("left"))
        right = body.child_by_field_name("right")
        owner = syntax.enclosing(prop, ("class_declaration", "record_declaration", "struct_declaration"))
        if left is None or left.type != "identifier" or right is None or owner is None:
            return None
        tested = next((p for p in syntax.descendants(owner, "property_declaration")
                       if text(p.child_by_field_name("name")) == text(left)), None)
        if tested is None or tested.child_by_field_name("value") is not None or any(
                text(c) == "=" for c in tested.children):
            return None
        type_name = text(prop.child_by_field_name("type")).rstrip("?")
        expr = syntax.duration_ms(right) if type_name in ("TimeSpan", "System.TimeSpan") else syntax.number(right)
        if syntax.settle(expr) is not None or (isinstance(expr, Ref) and expr.name in symbols):
            return expr
        return None

    def _typed_settings_getters(self) -> dict[str, Expr]:
        """``public int QueryTimeoutMs => Settings.QueryTimeoutMs;`` in ``OrionDataProvider :
        DashboardDataProvider<OrionSettings>`` (or ``=> _options.Value.Timeout`` with a declared options type):
        a number property that reads a member of a settings object whose type is known stands for that
        type's member (``OrionSettings.QueryTimeoutMs``, its default set where the settings class is)."""
        out: dict[str, Expr] = {}
        for prop in syntax.descendants(self.root, "property_declaration"):
            type_node, name_node = prop.child_by_field_name("type"), prop.child_by_field_name("name")
            arrow = next((c for c in prop.named_children if c.type == "arrow_expression_clause"), None)
            if type_node is None or name_node is None or arrow is None or not arrow.named_child_count or \
                    text(type_node).rstrip("?") not in ("int", "long", "double", "float", "short", "uint"):
                continue
            value = syntax.unwrap(arrow.named_children[0])
            if value is None or value.type != "member_access_expression":
                continue
            raw = syntax.dotted(value)
            typed = syntax.typed_name(raw, value)
            if typed == raw or typed.split(".")[0][:1].islower():
                continue  # not a settings object of a known type
            out.setdefault(text(name_node), Ref(typed))
            chain = syntax.type_chain(prop)
            if chain:
                out.setdefault(f"{chain[-1]}.{text(name_node)}", Ref(typed))
        return out

    def _parsed_getters_r22(self) -> dict[str, Expr]:
        """Round 22 (mission-critical-online): a settings class's number property whose getter parses a setting
        with a default in code, ``public int ComsosRequestTimeoutSeconds { get { var value =
        Configuration["COSMOS_REQUEST_TIMEOUT_SECONDS"]; return int.TryParse(value, out int result) ? result :
        60; } }`` (or ``=> int.TryParse(config["X"], out var r) ? r : 60``): the setting, else the default
        (``coalesce``), under the class-qualified property name (``sysConfig.ComsosRequestTimeoutSeconds`` in
        another file reads it)."""
        out: dict[str, Expr] = {}
        for prop in syntax.descendants(self.root, "property_declaration"):
            type_node, name_node = prop.child_by_field_name("type"), prop.child_by_field_name("name")
            if type_node is None or name_node is None or \
                    text(type_node).rstrip("?") not in ("int", "long", "double", "float", "short", "uint"):
                continue
            returned = [n.named_children[0] for n in ts.walk(prop) if n.type == "return_statement" and n.named_child_count]
            returned += [n.named_children[0] for n in prop.named_children
                         if n.type == "arrow_expression_clause" and n.named_child_count]
            if len(returned) != 1:
                continue
            value = syntax.unwrap(returned[0])
            if value is None or value.type != "conditional_expression":
                continue
            expr = syntax._try_parse_default_r18(text(name_node), value, 0)
            if expr is None or not isinstance(expr, Call) or not expr.args or not isinstance(expr.args[0], Ref):
                continue  # only a setting read (`Configuration["KEY"]`, `GetValue<int>("KEY")`) parsed with a default
            chain = syntax.type_chain(prop)
            for start in range(len(chain)):
                out.setdefault(".".join([*chain[start:], text(name_node)]), expr)
        return out

    def _config_getters(self) -> dict[str, Expr]:
        """``public static int NacosDefaultTimeOut { get { return JsonConfigUtils.GetAppSettings<NacosConfigDTO>(
        Configuration, file, "nacos").DefaultTimeOut; } }`` (or ``=> ..``): a static number property of the
        project's settings class that reads a member of a configuration section through a binding helper (a
        call named for settings / config / sections / options with the section's name as a string): the
        configuration key ``nacos:DefaultTimeOut``, under the class-qualified property name."""
        out: dict[str, Expr] = {}
        for prop in syntax.descendants(self.root, "property_declaration"):
            type_node, name_node = prop.child_by_field_name("type"), prop.child_by_field_name("name")
            if type_node is None or name_node is None or \
                    text(type_node).rstrip("?") not in ("int", "long", "double", "float", "short", "uint") or \
                    not any(c.type == "modifier" and text(c) == "static" for c in prop.named_children):
                continue
            returned = [n.named_children[0] for n in ts.walk(prop) if n.type == "return_statement" and n.named_child_count]
            returned += [n.named_children[0] for n in prop.named_children
                         if n.type == "arrow_expression_clause" and n.named_child_count]
            if len(returned) != 1:
                continue
            value = syntax.unwrap(returned[0])
            if value is None or value.type != "member_access_expression":
                continue
            call = syntax.unwrap(value.child_by_field_name("expression"))
            if call is None or call.type != "invocation_expression":
                continue
            inv = syntax.invocation(call)
            if not _CONFIG_BINDER.search(inv.name):
                continue
            sections = [syntax.string_literal(a) for a in inv.args]
            sections = [x for x in sections if x and _SECTION.match(x)]
            if len(sections) != 1:
                continue
            key = Ref(f"{sections[0]}:{text(value.child_by_field_name('name'))}")
            chain = syntax.type_chain(prop)
            for start in range(len(chain)):
                out.setdefault(".".join([*chain[start:], text(name_node)]), key)
        return out

    def _once_assigned_fields(self) -> dict[str, Expr]:
        """``int _timeout;`` set once in the file, ``_timeout = json.GetPropertyValue("timeout", 10) * 1000;``
        (in a ``Reload`` / ``Init`` method): the value every use of the field sees, when it is a number the
        code knows (a literal, a constant, a setting's default). A field set twice, counted up or down, or
        from a parameter is not one value."""
        declared: set[str] = set()
        spans: set[str] = set()
        for field in syntax.descendants(self.root, "field_declaration"):
            if any(c.type == "modifier" and text(c) == "const" for c in field.named_children):
                continue
            declaration = next((c for c in field.named_children if c.type == "variable_declaration"), None)
            kind = declaration.child_by_field_name("type") if declaration is not None else None
            for declarator in syntax.descendants(field, "variable_declarator"):
                name_node = declarator.child_by_field_name("name")
                if name_node is not None and len(declarator.named_children) == 1:
                    declared.add(text(name_node))  # no initializer: its one assignment is its value
                    if kind is not None and text(kind).rstrip("?") in ("TimeSpan", "System.TimeSpan"):
                        spans.add(text(name_node))
        if not declared:
            return {}
        seen: dict[str, list[Node]] = {}
        for node in self.assignments:
            left = node.child_by_field_name("left")
            if left is None or node.parent is None or node.parent.type == "initializer_expression":
                continue
            name = text(left)
            if name.startswith("this."):
                name = name[5:]
            if name in declared:
                seen.setdefault(name, []).append(node)
        out: dict[str, Expr] = {}
        for name, nodes in seen.items():
            node = nodes[0]
            operator = node.child_by_field_name("operator")
            if len(nodes) != 1 or name in self._stepped_names or (operator is not None and text(operator) != "="):
                continue
            right = node.child_by_field_name("right")
            if right is None or syntax.local_value(name, node) is not None:
                continue  # a local of the same name
            expr = syntax.number(right)
            if not isinstance(expr, Unknown) and syntax.settle(expr) is not None:
                out[name] = expr
            elif name in spans and syntax.unwrap(right) is not None and \
                    syntax.unwrap(right).type == "invocation_expression" and \
                    syntax.invocation(syntax.unwrap(right)).callee.startswith("TimeSpan.From"):
                # round 20 (fhir-analytics-pipelines): `_timeout = TimeSpan.FromSeconds(options.Value.
                # HealthCheckTimeoutInSeconds);` in the constructor: the options member's value (its default
                # where the options class sets one), in ms
                span = syntax.duration_ms(right)
                refs = [n for n in ref_names(span)] if not isinstance(span, Unknown) else []
                if refs and all("." in n and n[:1].isupper() for n in refs) and not syntax._has_unknown(span):
                    out[name] = span
        return out

    @cached_property
    def _stepped_names(self) -> set[str]:
        """Names counted up or down anywhere in the file (``_retries++``, ``--this.left``)."""
        names = set()
        for node in ts.walk(self.root):
            if node.type in ("postfix_unary_expression", "prefix_unary_expression") and node.named_child_count == 1 \
                    and ("++" in text(node) or "--" in text(node)):
                names.add(text(node.named_children[0]).rsplit(".", 1)[-1])
        return names

    def _read_bare(self, name: str, declaration: Node) -> bool:
        """The file reads ``name`` (or ``this.name``) outside its declaration."""
        return name in self._bare_reads

    @cached_property
    def _bare_reads(self) -> set[str]:
        """Identifiers the file reads on their own or as ``this.x`` (not ``other.x``, not declared names)."""
        names = set()
        for n in ts.walk(self.root):
            if n.type != "identifier" or n.parent is None:
                continue
            parent = n.parent
            if parent.type in ("property_declaration", "variable_declarator", "parameter", "method_declaration",
                               "class_declaration") and parent.child_by_field_name("name") == n:
                continue
            if parent.type == "member_access_expression" and parent.child_by_field_name("name") == n and \
                    text(parent.child_by_field_name("expression")) != "this":
                continue
            names.add(text(n))
        return names

    @cached_property
    def _assigned_names(self) -> set[str]:
        """Names assigned anywhere in the file (``x = ...``, ``this.x = ...``, ``x += ...``)."""
        names = set()
        for node in self.assignments:
            left = node.child_by_field_name("left")
            if left is not None and node.parent is not None and node.parent.type != "initializer_expression":
                names.add(text(left).rsplit(".", 1)[-1])
        return names

    def _string_expr(self, node: Node) -> Expr:
        node = syntax.unwrap(node)
        literal = syntax.string_literal(node)
        if literal is not None:
            return Str(literal)
        if node is not None and node.type == "object_creation_expression" and syntax.creation_type(node) == "Uri":
            args, _ = syntax.arguments(node.child_by_field_name("arguments"))
            return self._string_expr(args[0]) if args else Unknown(text(node))
        return syntax.number(node)

    # --- URLs -------------------------------------------------------------------------------
    def url_of(self, node: Node | None, depth: int = 0) -> Url | None:
        node = syntax.unwrap(node)
        if node is None or depth > 6:
            return None
        literal = syntax.string_literal(node)
        if literal is not None:
            return Url(literal=literal) if literal.startswith(("http://", "https://")) else Url(path=literal)
        if node.type == "interpolated_string_expression":
            parts = [c for c in node.named_children if c.type in ("string_content", "interpolation")]
            shown = "".join(text(p) if p.type == "string_content" else "{" + text(p)[1:-1].strip() + "}" for p in parts)
            if shown.startswith(("http://", "https://")):
                return Url(literal=shown)
            if parts and parts[0].type == "string_content":
                return Url(path=shown)  # $"/api/items/{id}": a path with placeholders
            if parts and parts[0].type == "interpolation":
                inner = [c for c in parts[0].named_children if c.type != "interpolation_brace"]
                base = self.url_of(inner[0], depth + 1) if inner else None
                rest = shown[len("{" + text(parts[0])[1:-1].strip() + "}"):]
                if base is not None:
                    return base.joined(rest or None)
            return None
        if node.type == "object_creation_expression" and syntax.creation_type(node) == "Uri":
            args, _ = syntax.arguments(node.child_by_field_name("arguments"))
            if len(args) == 2:
                base = self.url_of(args[0], depth + 1)
                rel = syntax.string_literal(args[1])
                return base.joined(rel) if base is not None else None
            return self.url_of(args[0], depth + 1) if args else None
        if node.type == "identifier":
            bound = syntax.local_value(text(node), node)
            if bound is not None:
                return self.url_of(bound, depth + 1)
        expr = syntax.number(node)
        if isinstance(expr, Ref) and expr.name in self.constants:
            bound_expr = self.constants[expr.name]
            if isinstance(bound_expr, Str):
                value = bound_expr.value
                return Url(literal=value) if value.startswith(("http://", "https://")) else Url(path=value)
            expr = bound_expr
        if isinstance(expr, (Env, Ref)):
            return Url(expr=expr)
        return None

    @staticmethod
    def target(url: Url | None, operation: str | None = None) -> tuple[Target | None, tuple[Pending, ...]]:
        if url is None:
            return (Target(operation=operation) if operation else None), ()
        if url.literal is not None:
            return Target(url=url.literal, operation=url.path or operation), ()
        if url.expr is not None:
            op = url.path or operation
            return (Target(operation=op) if op else None), (Pending("url", url.expr, None),)
        op = url.path or operation
        return (Target(operation=op) if op else None), ()

    # --- findings ---------------------------------------------------------------------------
    def finding(self, kind: str, node: Node, detector_id: str, attributes: dict[str, Any],
                confidence: str = "high", target: Target | None = None,
                pending: Iterable[Pending] = ()) -> Finding:
        anchor = call_anchor(node)
        line, column, _, _ = ts.location(anchor)
        _, _, end_line, end_column = ts.location(node)
        return Finding(kind=kind, path=self.path, line=line, column=column, end_line=end_line,
                       end_column=end_column, language=LANGUAGE, detector=detector_id, confidence=confidence,
                       attributes=attributes, evidence=self.source_line(line), target=target,
                       pending=tuple(pending))

    def source_line(self, line: int) -> str:
        lines = self.data.splitlines()
        if 0 < line <= len(lines):
            return lines[line - 1].decode("utf-8", errors="replace").strip()[:200]
        return ""

    def timeout_from(self, node: Node, expr: Expr, expression: str, phase: str, detector_id: str, library: str,
                     target: Target | None = None, pending: Iterable[Pending] = (), scale: float = 1.0,
                     resolved_from: str = "literal") -> Finding:
        """A timeout (or missing_timeout for an infinite TimeSpan) from an expression in ms (scale 1)."""
        if expr is syntax.INFINITE:
            return self.finding("missing_timeout", node, detector_id, {"library": library, "library_default_ms": None},
                                "high", target, pending)
        value = syntax.settle(expr)
        if value is not None:
            attrs = {"timeout_ms": normalise_ms(value * scale), "phase": phase, "resolved_from": resolved_from,
                     "expression": expression}
            if _configured_first_r18(expr):
                # round 18 (flotilla): `coalesce(Ref("Database:Timeout"), 30)`: the code's default, which a
                # configured value the pipeline finds replaces
                pending = (*pending, Pending("timeout_ms", expr, scale))
            return self.finding("timeout", node, detector_id, attrs, "high", target, pending)
        attrs = {"timeout_ms": None, "phase": phase, "resolved_from": "unresolved", "expression": expression}
        fallback = _parameter_fallback(node, expr, scale)
        if fallback is not None:
            # `timeout ?? TimeSpan.FromSeconds(30)` with `TimeSpan? timeout = null`: the default set in code (the
            # helper's own line, rule (a)); the pending parameter still tells the wrappers which one it is, and
            # a value it cannot resolve leaves this one in place
            attrs.update(timeout_ms=normalise_ms(fallback), resolved_from="literal")
        extra = () if isinstance(expr, Unknown) else (Pending("timeout_ms", expr, scale),)
        return self.finding("timeout", node, detector_id, attrs, "medium", target, (*pending, *extra))

    def outbound(self, node: Node, detector_id: str, method: str | None, url: Url | None,
                 operation: str | None = None) -> Finding:
        target, pending = self.target(url, operation)
        shown = (url.literal or url.path) if url is not None else None
        return self.finding("outbound_call", node, detector_id, {"protocol": "http", "method": method, "url": shown},
                            "high" if url is not None and url.literal else "medium", target, pending)


_CONFIG_BINDER = re.compile(r"(?i)setting|config|section|option|bind")
_SECTION = re.compile(r"^[A-Za-z_][\w:]*$")


_SETTING_WORDS_R20 = re.compile(r"(?i)retr|attempt|timeout|timeOut")
_REGISTRATIONS_R20 = ("Register", "RegisterInstance", "AddSingleton", "AddScoped", "AddTransient", "As")


def _registered_r20(creation: Node) -> bool:
    """The object is made for a DI container: inside (or handed to) ``Register``/``AddSingleton``/.. , or the
    expression it sits in goes on with ``.As<..>()``."""
    node = creation.parent
    while node is not None and node.type not in ("method_declaration", "class_declaration", "compilation_unit"):
        if node.type == "invocation_expression" and syntax.invocation(node).name in _REGISTRATIONS_R20:
            return True
        node = node.parent
    return False


def _parameter_fallback(node: Node, expr: Expr, scale: float) -> float | None:
    """The fallback of ``param ?? fallback`` in ``node`` when ``expr`` is that parameter and its own default
    is ``null`` / ``default`` (a call leaving it out gets the fallback), in ms."""
    if not isinstance(expr, Ref):
        return None
    # the `??` may sit where the parameter was first taken in (`var t = timeout ?? TimeSpan.FromSeconds(30);
    # .. Timeout = t`): the method the node is in
    scope = syntax.enclosing(node, ("method_declaration", "constructor_declaration", "local_function_statement")) \
        or node
    for n in ts.walk(scope):
        right = null_fallback(n, expr.name)
        if right is None:
            continue
        param = syntax.parameter_node(expr.name, n)
        default = syntax.parameter_default(expr.name, param) if param is not None else None
        if default is None or text(default) not in ("null", "default"):
            return None
        typed = "TimeSpan" in text(param.child_by_field_name("type") or param)
        value = syntax.settle(syntax.duration_ms(right) if typed else syntax.number(right))
        if value is None:
            # round 13: `timeout ?? ExtendedProcessInfoTimeout` with `static readonly TimeSpan
            # ExtendedProcessInfoTimeout = TimeSpan.FromMilliseconds(1000);` of the file (dotnet-monitor)
            value = _field_literal(scope, syntax.unwrap(right), typed)
        return None if value is None else value * (1.0 if typed else scale)
    return None


def null_fallback(n: Node, name: str) -> Node | None:
    """What the parameter ``name`` falls back to in ``n``: ``name ?? X``, ``name ??= X``, or round 13 (CecoChat,
    round-12 request) ``if (name == null) name = X;`` / ``if (name is null) { name = X; }`` /
    ``if (!name.HasValue) name = X;``."""
    if n.type == "binary_expression" and text(n.child_by_field_name("operator")) == "??":
        left = syntax.unwrap(n.child_by_field_name("left"))
        if left is not None and left.type == "identifier" and text(left) == name:
            return n.child_by_field_name("right")
        return None
    if n.type == "assignment_expression" and text(n.child_by_field_name("operator")) == "??=" and \
            text(syntax.unwrap(n.child_by_field_name("left"))) == name:
        return n.child_by_field_name("right")
    if n.type != "if_statement" or n.child_by_field_name("alternative") is not None:
        return None
    condition = re.sub(r"\s+", "", text(syntax.unwrap(n.child_by_field_name("condition"))))
    if condition not in (f"{name}==null", f"null=={name}", f"{name}isnull", f"!{name}.HasValue"):
        return None
    consequence = n.child_by_field_name("consequence")
    statements = consequence.named_children if consequence is not None and consequence.type == "block" else \
        [consequence] if consequence is not None else []
    if len(statements) != 1 or statements[0].type != "expression_statement":
        return None
    assignment = statements[0].named_children[0] if statements[0].named_children else None
    if assignment is None or assignment.type != "assignment_expression" or \
            text(assignment.child_by_field_name("operator")) != "=" or \
            text(syntax.unwrap(assignment.child_by_field_name("left"))) != name:
        return None
    return assignment.child_by_field_name("right")


def _field_literal(scope: Node, node: Node | None, timespan: bool) -> float | None:
    """The literal a ``const`` / ``static readonly`` field named by ``node`` starts with, when nothing in the
    file assigns it again (``TimeSpan.FromMilliseconds(1000)`` -> 1000 for a TimeSpan)."""
    if node is None or node.type != "identifier":
        return None
    name = text(node)
    root = scope
    while root.parent is not None:
        root = root.parent
    if any(n.type == "assignment_expression" and text(n.child_by_field_name("left")) in (name, f"this.{name}")
           for n in ts.walk(root)):
        return None
    for declarator in ts.walk(root):
        if declarator.type != "variable_declarator" or text(declarator.child_by_field_name("name")) != name or \
                declarator.parent is None or declarator.parent.parent is None or \
                declarator.parent.parent.type != "field_declaration":
            continue
        values = [c for c in declarator.named_children if c != declarator.child_by_field_name("name")]
        if values:
            return syntax.settle(syntax.duration_ms(values[-1]) if timespan else syntax.number(values[-1]))
    return None


def call_anchor(node: Node) -> Node:
    """Where a call "is" for a reader: in a fluent chain split over lines
    (``services.AddHttpClient(..)\n    .AddStandardResilienceHandler(..)``) the line of its own
    method name, not the line the chain starts on."""
    if node.type != "invocation_expression":
        return node
    function = node.child_by_field_name("function")
    if function is not None and function.type == "member_access_expression":
        name = function.child_by_field_name("name")
        inner = function.child_by_field_name("expression")
        if name is not None and text(name) == "ConfigureAwait" and inner is not None and \
                inner.type == "invocation_expression" and name.start_point[0] > inner.start_point[0]:
            # round 18 (geh-market-participant): `await client.Admin\n .GetAsync(ct)\n .ConfigureAwait(false)`: the
            # call is GetAsync's line, not its ConfigureAwait's
            return call_anchor(inner)
        if name is not None and name.start_point[0] > node.start_point[0]:
            return name
    return node


def _configured_first_r18(expr: Expr) -> bool:
    """``coalesce(<a configuration key>, <the code's default>)``."""
    return isinstance(expr, Call) and expr.func == "coalesce" and bool(expr.args) and isinstance(expr.args[0], Ref)


def count(node: Node | None, add: float = 0.0) -> tuple[float | None, tuple[Pending, ...]]:
    """A retry count (plus ``add``): a literal, or a Pending for the pipeline."""
    if node is None:
        return None, ()
    expr = syntax.number(node)
    value = syntax.settle(expr)
    if value is not None:
        if _configured_first_r18(expr):
            return normalise_ms(value + add), (Pending("max_attempts", BinOp("+", expr, Num(add)) if add else expr,
                                                       1.0),)
        return normalise_ms(value + add), ()
    if isinstance(expr, Unknown):
        return None, ()
    return None, (Pending("max_attempts", BinOp("+", expr, Num(add)) if add else expr, 1.0),)
