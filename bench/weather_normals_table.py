"""Generated daily highs and lows next to the climate normals, month by month, for contrasting cities.

    python3 bench/weather_normals_table.py [--years 10] [--seed 7]

Each cell averages every day of the month over `--years` consecutive years
(one fixed seed), so the generated means should sit within a few tenths of a
degree of the normals; min/max are the extremes seen over all those days.
"""
from __future__ import annotations

import argparse
import calendar
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core import locations
from core.weather import forecast

CITIES = ("phoenix-az-us", "moscow-ru", "singapore-sg", "sydney-nsw-au", "reykjavik-is", "la-paz-bo")
FIRST_YEAR = 2026


def month_of_days(place: locations.Location, year: int, month: int, seed: int) -> tuple[list[float], list[float]]:
    highs, lows = [], []
    length = calendar.monthrange(year, month)[1]
    for first in range(1, length + 1, 14):
        daily = forecast(place.latitude, place.longitude, min(14, length - first + 1),
                         start=date(year, month, first), seed=seed)["daily"]
        highs += daily["temperature_2m_max"]
        lows += daily["temperature_2m_min"]
    return highs, lows


def table(place: locations.Location, years: int, seed: int) -> str:
    lines = [
        f"{place.label} ({place.climate_group}, {place.koppen}, {place.elevation_m} m)",
        "month  high: normal  generated    min    max |  low: normal  generated    min    max",
    ]
    for month in range(1, 13):
        highs, lows = [], []
        for year in range(FIRST_YEAR, FIRST_YEAR + years):
            month_highs, month_lows = month_of_days(place, year, month, seed)
            highs += month_highs
            lows += month_lows
        lines.append(
            f"{calendar.month_abbr[month]:>5}  {place.monthly_high_c[month - 1]:12.1f} {sum(highs) / len(highs):10.1f}"
            f" {min(highs):6.1f} {max(highs):6.1f} | {place.monthly_low_c[month - 1]:11.1f}"
            f" {sum(lows) / len(lows):10.1f} {min(lows):6.1f} {max(lows):6.1f}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=10, help="years averaged per month (default 10)")
    parser.add_argument("--seed", type=int, default=7, help="the one seed used throughout (default 7)")
    args = parser.parse_args()
    print(f"Daily highs/lows in °C: generated ({args.years} years from {FIRST_YEAR}, seed {args.seed}) vs normals\n")
    for place_id in CITIES:
        print(table(locations.BY_ID[place_id], args.years, args.seed), end="\n\n")


if __name__ == "__main__":
    main()
