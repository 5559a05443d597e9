"""The callgrind comparison (bench/throughput_callgrind.py): a profile's own Ir by function and
its total, read as callgrind writes them (compressed names, calls' inclusive costs, recursion
levels), summed over a scan's processes; the slice of a file it scans; its command line."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import throughput_callgrind as tc

# A profile in callgrind's format (version 1): the object and file names compressed, a call
# from main to work (its cost line is work's inclusive cost, not main's own), work's recursion
# level work'2, a second object with a function named like one in the first.
PROFILE = """\
# callgrind format
version: 1
creator: callgrind-3.19.0
pid: 4242
cmd:  python -m rouei.cli.main scan /tmp/x.csv
part: 1

desc: I1 cache:
positions: line
events: Ir
summary: 1175

ob=(1) /tmp/tree_a/rouei/scanning/_names.cpython-311-x86_64-linux-gnu.so
fl=(1) rouei/scanning/_names.c
fn=(1) main
10 100
+2 50
cfn=(2) work
calls=3 20
12 900
fn=(2)
20 300
cfn=(3) work'2
calls=1 20
21 200
fn=(3)
20 200
ob=(2) /usr/lib/libc.so.6
fl=(2) memcpy.S
fn=(4) main
* 25

totals: 1175
"""


def test_a_functions_own_ir_leaves_out_the_calls_it_makes():
    profile = tc.parse_profile(PROFILE)
    assert profile.own["_names.cpython-311-x86_64-linux-gnu.so:main"] == 150


def test_a_recursion_level_is_counted_as_its_function():
    profile = tc.parse_profile(PROFILE)
    assert profile.own["_names.cpython-311-x86_64-linux-gnu.so:work"] == 500


def test_the_same_name_in_another_object_is_another_function():
    profile = tc.parse_profile(PROFILE)
    assert profile.own["libc.so.6:main"] == 25


def test_the_total_is_the_profiles_totals_line():
    assert tc.parse_profile(PROFILE).total == 1175


def test_the_command_is_read():
    assert tc.parse_profile(PROFILE).command == "python -m rouei.cli.main scan /tmp/x.csv"


def test_the_ir_column_is_found_among_other_events():
    text = (PROFILE.replace("events: Ir", "events: Dr Ir").replace("10 100", "10 7 100")
            .replace("+2 50", "+2 7 50").replace(": 1175", ": 9 1175"))
    assert tc.parse_profile(text).own["_names.cpython-311-x86_64-linux-gnu.so:main"] == 150


def test_instruction_positions_take_their_column():
    text = PROFILE.replace("positions: line", "positions: instr line").replace(
        "10 100", "0x4000 10 100").replace("+2 50", "+3 +2 50")
    assert tc.parse_profile(text).own["_names.cpython-311-x86_64-linux-gnu.so:main"] == 150


def _runs(totals: dict[str, list[int]], own: dict[str, list[Counter]]) -> dict[str, list[dict]]:
    return {name: [{"total": t, "own": o, "processes": 1, "report": "r"}
                   for t, o in zip(totals[name], own[name], strict=True)]
            for name in totals}


def test_the_summary_gives_the_ratio_of_the_means_to_the_first_tree():
    runs = _runs({"0-a": [1000, 1000], "1-b": [900, 910]},
                 {"0-a": [Counter(), Counter()], "1-b": [Counter(), Counter()]})
    lines = tc.summary(100, runs, ["0-a", "1-b"], top=3)
    assert "ratio to 0-a 0.9050" in lines[2]


def test_the_summary_gives_the_spread_of_the_repeats():
    runs = _runs({"0-a": [1000, 1010], "1-b": [900, 900]},
                 {"0-a": [Counter(), Counter()], "1-b": [Counter(), Counter()]})
    assert "spread 0.995 %" in tc.summary(100, runs, ["0-a", "1-b"], top=3)[1]


def _fewer_in_f_more_in_g() -> dict[str, list[dict]]:
    return _runs({"0-a": [10, 10], "1-b": [10, 10]},
                 {"0-a": [Counter({"x:f": 100, "x:g": 10}), Counter({"x:f": 100, "x:g": 10})],
                  "1-b": [Counter({"x:f": 40, "x:g": 30}), Counter({"x:f": 40, "x:g": 30})]})


def test_the_largest_difference_comes_first_whatever_its_sign():
    first = tc.differences(_fewer_in_f_more_in_g(), ["0-a", "1-b"], top=2)[1]
    assert first.endswith("x:f")


def test_a_difference_is_the_second_tree_less_the_first():
    first = tc.differences(_fewer_in_f_more_in_g(), ["0-a", "1-b"], top=2)[1]
    assert first.split()[0] == "-60"


def test_a_function_only_in_the_second_tree_is_listed():
    runs = _runs({"0-a": [10], "1-b": [10]},
                 {"0-a": [Counter()], "1-b": [Counter({"y.so:new": 5})]})
    assert tc.differences(runs, ["0-a", "1-b"], top=1)[1].endswith("y.so:new")


def test_a_slice_keeps_the_header_and_the_first_records(tmp_path):
    source = tmp_path / "a.csv"
    source.write_bytes(b"h1,h2\r\n1,a\r\n2,b\r\n3,c\r\n")
    target = tmp_path / "s.csv"
    assert tc.head_records(source, target, 2) == 2
    assert target.read_bytes() == b"h1,h2\r\n1,a\r\n2,b\r\n"


def test_a_record_with_a_line_break_inside_quotes_is_one_record(tmp_path):
    source = tmp_path / "a.csv"
    source.write_bytes('h\n"備考\n二行目",x\n2\n'.encode())
    target = tmp_path / "s.csv"
    tc.head_records(source, target, 1)
    assert target.read_bytes() == 'h\n"備考\n二行目",x\n'.encode()


def test_a_slice_of_a_short_file_says_how_many_records_it_has(tmp_path):
    source = tmp_path / "a.csv"
    source.write_bytes(b"h\n1\n2\n")
    assert tc.head_records(source, tmp_path / "s.csv", 10) == 2


def test_the_command_line_wants_two_trees(tmp_path, capsys):
    with pytest.raises(SystemExit):
        tc.main([str(tmp_path / "f.csv"), str(tmp_path)])
    assert "at least two trees" in capsys.readouterr().err


@pytest.mark.skipif(shutil.which("valgrind") is None, reason="valgrind is not installed")
def test_a_real_profile_sums_to_its_total(tmp_path):
    out = tmp_path / "callgrind.out"
    subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                    "--log-file=" + str(tmp_path / "log"), "/bin/true"], check=True)
    profile = tc.parse_profile(out.read_text())
    assert sum(profile.own.values()) == profile.total > 0
