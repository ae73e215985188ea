"""The municipality's clock: now and today in Japan, whatever the machine's time zone.

Japan Standard Time is UTC+9 with no daylight saving, so a fixed offset is exact for every date
koho prints (no tzdata needed: Windows without the tz database included). SOURCE_DATE_EPOCH (for
reproducible builds) wins over the clock: it is read as an instant and shown as Japan's time.
Every build date and default date of koho comes from here.
"""

from __future__ import annotations

import datetime as dt
import os

from report.problems import KohoError

JAPAN = dt.timezone(dt.timedelta(hours=9), "JST")


def _utc_now() -> dt.datetime:
    """The machine's clock as an aware UTC instant (tests replace it)."""
    return dt.datetime.now(dt.timezone.utc)


def japan_now(reproducible: bool = True) -> dt.datetime:
    """Now in Japan, to the second; with `reproducible`, SOURCE_DATE_EPOCH when it is set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip() if reproducible else ""
    try:
        moment = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch else _utc_now()
    except (ValueError, OverflowError, OSError):
        raise KohoError(f"環境変数 SOURCE_DATE_EPOCH「{epoch[:40]}」は1970年からの秒数(整数)にしてください") from None
    return moment.astimezone(JAPAN).replace(microsecond=0)


def japan_today() -> dt.date:
    """Today's date in Japan (SOURCE_DATE_EPOCH's date when it is set)."""
    return japan_now().date()


def fiscal_year_of(day: dt.date) -> int:
    """The fiscal year (starting 1 April) a date falls in."""
    return day.year if day.month >= 4 else day.year - 1
