"""The graded labs (docs/labs.md): the grader gives the complete kernel
full marks, and each lab's student tree (`make lab`) builds, boots, says
which part is missing, scores below full on its own lab and full on the
others (but for the labs that need it: the two APICs make APIC mode
together)."""

import json
import os
import subprocess
import sys
import tarfile

import pytest

from iospace import ROOT

sys.path.insert(0, os.path.join(ROOT, "tools"))
from labs import LABS  # noqa: E402

# A student tree has the file LAB; its own lab cannot score full there.
pytestmark = pytest.mark.skipif(os.path.exists(os.path.join(ROOT, "LAB")),
                                reason="a student tree: its lab is stubbed")
GRADE_TIMEOUT = 300


def grade(tree):
    """Runs the tree's own grader on its own kernel: (exit status, the
    JSON result)."""
    r = subprocess.run([sys.executable, "tools/grade.py", "--json"],
                       cwd=tree, capture_output=True, text=True,
                       timeout=GRADE_TIMEOUT)
    assert r.stdout, r.stderr
    return r.returncode, json.loads(r.stdout)


def failed(result, lab):
    return [f"{c['name']}: {c['why']}" for c in result["labs"][lab]["checks"]
            if not c["ok"]]


def test_the_complete_kernel_scores_full_marks():
    status, result = grade(ROOT)
    assert set(result["labs"]) == set(LABS)
    for lab in LABS:
        assert not failed(result, lab), lab
    assert result["score"] == result["max"] and status == 0
    assert result["missing"] == []


@pytest.mark.parametrize("lab", list(LABS))
def test_student_tree_takes_out_its_lab_and_only_it(lab, tmp_path):
    tree = tmp_path / lab
    tar = tmp_path / f"iospace-lab-{lab}.tar.gz"
    # The objects of this tree's build come along: only the stubbed files
    # are compiled again.
    subprocess.run([sys.executable, "tools/labs.py", "--out", str(tree),
                    "--tar", str(tar), "--seed-build",
                    os.path.join(ROOT, "build"), lab],
                   cwd=ROOT, check=True, capture_output=True)
    # Every part's stub says TODO, in the tarball too, which has no build.
    with tarfile.open(tar) as t:
        names = t.getnames()
        assert not any("/build/" in n for n in names)
        stubbed = {p["file"] for p in LABS[lab]["parts"].values()}
        for f in stubbed:
            text = t.extractfile(f"iospace-lab-{lab}/{f}").read().decode()
            for part in (n for n, p in LABS[lab]["parts"].items()
                         if p["file"] == f):
                assert f"TODO (lab {lab}, part {part})" in text
    # The stubs compile with -Werror.
    subprocess.run(["make", "-s", "elf"], cwd=tree, check=True,
                   capture_output=True)

    status, result = grade(tree)
    mine = result["labs"][lab]
    assert mine["score"] < mine["max"] and status == 1
    for other, r in result["labs"].items():
        if other != lab and lab not in LABS[other].get("needs", []):
            assert not failed(result, other), (lab, other)
    # The kernel said which part is missing, at run time.
    assert any(p.startswith(f"{lab}.") for p in result["missing"]), result
