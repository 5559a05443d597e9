"""Free-text cells matched as one block: each detector's pattern compiled once per process."""

from __future__ import annotations

import pytest

from rouei.scanning.detectors import (
    _block_regex,
    _text_regex,
    all_detectors,
    by_category,
    detect_cells,
)

PATTERNS = [d.text_pattern for d in all_detectors() if d.text_pattern]


@pytest.mark.parametrize("pattern", PATTERNS)
def test_block_pattern_reports_the_same_value_groups_as_the_text_pattern(pattern):
    assert _block_regex(pattern)[1] == _text_regex(pattern)[1]


def test_cells_matched_as_a_block_do_not_compile_the_pattern_a_second_time():
    address = by_category("address")
    _block_regex.cache_clear()
    _text_regex.cache_clear()
    found = detect_cells(["送付先 東京都千代田区千代田１－１ までお願いします"], [(address,)])
    assert found[0], "the address is found"
    assert _text_regex.cache_info().currsize == 0
