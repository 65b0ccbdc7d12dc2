"""benchmarks/recall.py --patch-doc: re-scoring some sets puts their rows into the now-table and sums
the total again, without the mirrors of the others (a session that cannot fetch every repository)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("recall_script", ROOT / "benchmarks" / "recall.py")
recall = importlib.util.module_from_spec(_spec)
sys.modules["recall_script"] = recall  # dataclasses look their module up while the class is made
_spec.loader.exec_module(recall)

DOC = """# title

<!-- now -->
All sets scored at tool commit `aaaa1111`:

| label set | expected | found | recall | reported | precision | values right |
|---|---:|---:|---:|---:|---:|---:|
| go-a | 10 | 8 | 80% | 9 | 89% | 88% |
| go-b | 3 | 3 | 100% | 3 | 100% | 67% |
| gone-c | 5 | 5 | 100% | 5 | 100% | 100% |
| **total** | 18 | 16 | 89% | 17 | 94% | 88% |
<!-- end -->

after
"""


def test_count_reads_back_the_whole_number_a_percentage_stands_for():
    assert recall._count("89%", 9) == 8
    assert recall._count("67%", 3) == 2
    assert recall._count("100%", 0) == 0
    assert recall._count("98%", 14215) in range(13918, 13998)


def test_patch_replaces_a_row_adds_a_new_one_drops_a_removed_set_and_sums_again():
    new_a = recall.Score("go-a", expected=10, found=10, reported=10, true_reported=10, values_right=9)
    new_d = recall.Score("go-d", expected=4, found=1, reported=2, true_reported=1, values_right=1)
    out = recall.patch_now_table(DOC, [new_a, new_d], "bbbb2222", {"go-a", "go-b", "go-d"})
    rows = [line for line in out.splitlines() if line.startswith("| go-") or line.startswith("| **total")]
    assert rows == [
        "| go-a | 10 | 10 | 100% | 10 | 100% | 90% |",
        "| go-b | 3 | 3 | 100% | 3 | 100% | 67% |",
        "| go-d | 4 | 1 | 25% | 2 | 50% | 100% |",
        # 10+3+4 expected, 10+3+1 found, 10+3+2 reported, 10+3+1 true, 9+2+1 values
        "| **total** | 17 | 14 | 82% | 15 | 93% | 86% |",
    ]
    assert "gone-c" not in out
    assert "All sets scored at tool commit `aaaa1111`:" in out
    assert "Re-scored at tool commit `bbbb2222` (2 sets; the other rows as scored before" in out
    assert "go-a, go-d." in out
    assert out.endswith("<!-- end -->\n\nafter\n")


def test_patching_twice_at_one_commit_keeps_one_note():
    s = recall.Score("go-b", expected=3, found=3, reported=3, true_reported=3, values_right=3)
    once = recall.patch_now_table(DOC, [s], "cccc3333", {"go-a", "go-b"})
    twice = recall.patch_now_table(once, [s], "cccc3333", {"go-a", "go-b"})
    assert twice.count("Re-scored at tool commit `cccc3333`") == 1
    assert "| go-b | 3 | 3 | 100% | 3 | 100% | 100% |" in twice
