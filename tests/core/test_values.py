from contract_discovery.values import BinOp, Call, Env, Num, Ref, Str, evaluate, normalise_ms


def lookup_from(table):
    return lambda name: (table[name], "constant") if name in table else None


def test_literals_arithmetic_and_conversions():
    assert evaluate(Num(0.2)).value == 0.2 and evaluate(Num(0.2)).resolved_from == "literal"
    expr = BinOp("*", Call("float", (Str("2.5"),)), Num(2))
    assert evaluate(expr).value == 5.0
    assert evaluate(Call("int", (Str("7"),))).value == 7.0
    assert evaluate(Call("timedelta", kwargs=(("seconds", Num(3)), ("milliseconds", Num(500))))).value == 3.5


def test_env_default_and_constants_provenance():
    e = evaluate(Call("float", (Env("RISK_TIMEOUT", Str("0.5")),)))
    assert (e.value, e.resolved_from) == (0.5, "env_default")
    e = evaluate(BinOp("*", Ref("BASE"), Num(2)), lookup_from({"BASE": Num(3)}))
    assert (e.value, e.resolved_from) == (6, "constant")


def test_unknowns_are_never_guessed():
    assert evaluate(Ref("NOPE"), lookup_from({})).resolved_from == "unresolved"
    assert evaluate(Env("X")).value is None
    assert evaluate(BinOp("/", Num(1), Num(0))).value is None
    assert evaluate(Call("mystery", (Num(1),))).value is None
    assert evaluate(BinOp("+", Str("a"), Num(1))).value is None


def test_cycles_terminate():
    table = {"A": Ref("B"), "B": Ref("A")}
    assert evaluate(Ref("A"), lookup_from(table)).value is None


def test_normalise_ms():
    assert normalise_ms(200.0) == 200 and isinstance(normalise_ms(200.0), int)
    assert normalise_ms(0.1 * 3 * 1000) == 300
    assert normalise_ms(12.3456) == 12.346
    assert normalise_ms(None) is None


def test_string_concatenation_and_interpolation():
    table = {"BASE": Env("RISK_URL", Str("http://risk:8080"))}
    assert evaluate(BinOp("+", Ref("BASE"), Str("/score")), lookup_from(table)).value == "http://risk:8080/score"
    e = evaluate(Call("concat", (Ref("BASE"), Str("/v"), Num(2))), lookup_from(table))
    assert (e.value, e.resolved_from) == ("http://risk:8080/v2", "env_default")
    assert evaluate(Call("concat", (Ref("NOPE"), Str("/x"))), lookup_from({})).value is None


def test_coalesce_takes_the_first_value_that_resolves():
    table = {"resilience4j.retry.configs.default.maxAttempts": Num(5)}
    expr = Call("coalesce", (Ref("resilience4j.retry.instances.risk.maxAttempts"),
                             Ref("resilience4j.retry.configs.default.maxAttempts"), Num(3)))
    e = evaluate(expr, lookup_from(table))
    assert (e.value, e.resolved_from) == (5, "constant")
    assert evaluate(Call("coalesce", (Ref("x"), Num(3))), lookup_from({})).value == 3
    assert evaluate(Call("coalesce", (Ref("x"),)), lookup_from({})).value is None
