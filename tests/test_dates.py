"""Unit tests of the dates family's calendar logic (golden cases cover the surface forms)."""
from __future__ import annotations

from datetime import date

import pytest

from khaosan.extractors.dates import find_dates, year_to_ce


@pytest.mark.parametrize("raw,era,year", [
    ("2566", None, 2023), ("2475", "พ.ศ.", 1932), ("66", None, 2023), ("62", "ปี", 2019),
    ("2030", "ค.ศ.", 2030), ("2023", None, 2023), ("2593", None, 2050),
])
def test_year_to_ce(raw, era, year):
    assert year_to_ce(raw, era) == year


@pytest.mark.parametrize("raw,era", [("12", None), ("66", "ค.ศ."), ("9999", None)])
def test_not_years(raw, era):
    assert year_to_ce(raw, era) is None


def test_every_value_is_a_valid_iso_date():
    text = ("วันที่ 29 กุมภาพันธ์ 2567 และ 29 กุมภาพันธ์ 2566 ช่วง 30 - 31 เม.ย. 67 เดือนมิถุนายน 2565 "
            "ปีงบประมาณ 2568 วันนี้ เมื่อวานนี้ 1/13/2566 31/12/2566")
    hits = find_dates(text, "2024-03-01")
    values = {h.value for h in hits}
    for v in values:
        parts = [int(x) for x in v.split("-")]
        if len(parts) == 3:
            date(*parts)  # raises when impossible
    assert "2024-02-29" in values and "2023-02-29" not in values
    assert "2024-04-30" in values and "2024-04-31" not in values
    assert "2023-12-31" in values and not any(v.startswith("2023-13") for v in values)
    assert {"2024-03-01", "2024-02-29", "2022-06", "2025"} <= values


def test_offsets_cover_the_expression():
    text = "ประชุมวันที่ 14 มิถุนายน 2566 เวลา 10.00 น."
    (hit,) = find_dates(text)
    assert text[hit.start:hit.end] == "14 มิถุนายน 2566"
    assert hit.granularity == "day"
