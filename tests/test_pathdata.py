"""SVG path data in `shape`: what is accepted and what is refused, and why."""

from __future__ import annotations

import pytest

from bodymap.pathdata import check_path_data


@pytest.mark.parametrize(
    "data",
    [
        "M10 10h80v180h-80z",
        "M12.5-3l1.2-3.4 2e1,3 .5.5z",
        "M0 0 C 1 2 3 4 5 6 S 1 2 3 4 Q 1 2 3 4 T 5 6 A 1 1 0 0 1 9 9 Z m1 1 l2 2z",
        "M1 1 2 2 3 3",
    ],
)
def test_valid_path_data_is_accepted(data):
    check_path_data(data)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ("", "is empty"),
        ("L1 1", "must start with M"),
        ("10 10", "must start with M"),
        ("M1 1 L 2", "groups of 2"),
        ("M1 1 C 1 2 3 4 5 6 7 L 1 1", "groups of 6"),
        ("M1 1 Z 3", "a number follows Z"),
        ("M1 1 <script>", "unexpected '<'"),
        ("M1 1 X 2", "unexpected 'X' at character 6"),
    ],
)
def test_invalid_path_data_is_refused_with_a_reason(data, reason):
    with pytest.raises(ValueError, match=reason):
        check_path_data(data)
