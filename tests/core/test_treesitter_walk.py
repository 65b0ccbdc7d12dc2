"""extractors.treesitter.walk: a whole tree's walk is kept for the next walk of that tree."""

from extractors import treesitter as T


def _types(nodes):
    return [n.type for n in nodes]


def test_walks_of_a_root_and_of_a_subtree_list_every_node_in_pre_order_and_never_another_trees():
    first = T.parse("python", b"def f(x):\n    return g(x, timeout=2)\n").root_node
    second = T.parse("python", b"a = 1\n").root_node
    whole = _types(T.walk(first))
    assert whole[:3] == ["module", "function_definition", "def"] and whole.count("call") == 1
    assert _types(T.walk(first)) == whole  # the kept list, the same nodes
    assert _types(T.walk(second)) == ["module", "expression_statement", "assignment", "identifier", "=", "integer"]
    assert _types(T.walk(first)) == whole  # back to the first tree: its own nodes again
    call = next(n for n in T.walk(first) if n.type == "call")
    assert _types(T.walk(call))[:2] == ["call", "identifier"] and "module" not in _types(T.walk(call))
    # a walk broken off early and started again starts from the top
    it = T.walk(first)
    next(it)
    assert next(T.walk(first)).type == "module"
