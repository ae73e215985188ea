"""Header text → what the column holds (Meaning): the synonyms cities use, as data (no I/O).

Matching, all after normalising (report.load.tables.schema.normalize_name: width, case, spaces, line
breaks; circled numbers ①…⑳ and ❶ dropped first, years such as 令和5年度 or (R1) removed — the
year is years.year_in's business — and brackets and 「・」 ignored, so 目標(指標)名 is 目標指標名):
- every word of WORDS found in the header is a hit; the longest hit wins (most specific word:
  指標の方向性 beats 指標, 基準値年度 beats 基準値, 基本目標 beats 目標); two hits of the same length
  and different meanings is undecided (None);
- a one-character word (章, 注) must be the whole header; a two-character word (事業, 評価, 担当)
  must begin or end the header with nothing else beside it but an affix (名, 名称, 番号, 値, 内容,
  区分, 欄, No …) or another word of the lexicon — so 評価(A~D), 施策番号 and 実績見込 are headers
  but 事業所数, 評価制度の導入 and 担当者研修 (body text, indicator names) are not; longer words
  are found anywhere in the header;
- two header levels joined with ' / ' ('令和5年度 / 実績'): the lowest level that has a meaning
  decides ('施策の方向 / 主な取組' → ACTIONS), unless a word spans the levels ('基準値 / 年度' →
  基準値年度 → BASELINE_YEAR);
- two hits of the same length in 「指標1単位」「指標1目標」 (slots of an evaluation export): the
  indicator word gives way to the other (UNIT, TARGET); an indicator's or a department's number or
  code (KPI番号, 所管部局コード) is undecided (an identifier koho does not read);
- a word listed under BLOCKED (事業費, 予算) wins like any word and makes the header undecided, so
  that 事業費 is not read as 事業 (MEASURE).
Whether 目標値(令和7年度) beside yearly targets is a final target is the caller's decision; 最終目標
alone is FINAL_TARGET.
"""

from __future__ import annotations

import re
from functools import lru_cache

from report.ingest.sheets.model import Meaning
from report.ingest.sheets.years import year_spans
from report.load.tables.schema import normalize_name

# Meaning ← the words cities write for it (written as normalize_name leaves them, brackets and ・
# dropped, Latin letters lower case). Keep each list commented with where it comes from.
WORDS: dict[Meaning, tuple[str, ...]] = {
    # 指標名 in koho; KPI lists (地方創生), 総合計画 成果指標, 目標(指標)名 (京都府), 指標名称(単位)
    Meaning.LABEL: ("指標", "指標名", "指標名称", "指標項目", "kpi", "kpi名", "kpi指標", "成果指標", "成果指標名",
                    "活動指標", "評価指標", "数値指標", "重要業績評価指標", "目標指標名", "目標名", "指標内容", "指標単位",
                    "指標名単位"),
    # 方向 in koho; 指標の方向性, 目指す方向, arrows
    Meaning.DIRECTION: ("方向", "方向性", "指標の方向性", "目指す方向", "めざす方向", "望ましい方向", "↑↓", "↑↓→",
                        "↗↘"),
    Meaning.BASELINE_YEAR: ("基準年度", "基準年", "基準値年度", "基準値の年度", "現状値年度", "現状値の年度",
                            "従前値年度", "策定時年度", "基準値時点"),
    # 基準値 / 現状値 (koho's alias), 従前値 (つくば市), 策定時 (plans' "when the plan was made")
    Meaning.BASELINE: ("基準値", "基準", "現状値", "現状", "従前値", "策定時", "計画策定時", "策定時の値", "当初値"),
    Meaning.VALUE: ("実績", "実績値", "見込", "見込値", "速報値"),
    # 目標 / 目標値; (予定) beside (実績) in evaluation sheets (北見市, 池田市, 葛飾区); 計画値
    Meaning.TARGET: ("目標", "目標値", "予定", "予定値", "計画値", "年度目標"),
    Meaning.TARGET_YEAR: ("目標年度", "目標年", "目標値年度", "目標達成年度", "目標値の年度"),
    Meaning.FINAL_TARGET: ("最終目標", "最終目標値", "最終年度目標", "計画最終年度目標", "最終年度の目標"),
    # derived, a cross-check only
    Meaning.RATE: ("達成率", "進捗率", "達成度", "目標達成率", "達成割合", "目標達成度"),
    # the city's own grade: A–D, ◎○△×, 達成/順調 …
    Meaning.GRADE: ("評価", "判定", "評価結果", "達成状況", "総合評価", "自己評価", "評価区分", "達成区分", "判定結果",
                    "内部評価"),
    Meaning.DEPARTMENT: ("担当課", "所管課", "担当部署", "担当部局", "所管部署", "担当部課", "主管課", "担当課名",
                         "所管", "担当", "課名", "所属",
                         # open-data KPI lists (自治体標準オープンデータセット style): 所管部局名
                         "所管部局", "所管部局名", "担当部局名", "所管部署名", "担当部署名", "部局名", "所管部", "担当部"),
    # 分野 in koho; 基本目標 (地方創生), 政策, 大綱 (奥州市), 章 (総合計画)
    Meaning.AREA: ("分野", "分野名", "分野番号", "基本目標", "政策", "政策分野", "施策分野", "大綱", "章", "基本政策",
                   "政策名", "基本方針"),
    # 施策 in koho; 基本施策, 事業 (事務事業評価), 取組項目 (roadmaps), 公約 (manifestos)
    Meaning.MEASURE: ("施策", "施策名", "施策番号", "基本施策", "事業", "事業名", "事務事業", "事務事業名", "取組項目",
                      "主要施策", "重点施策", "個別施策", "具体的施策", "具体的な施策", "公約", "公約項目", "マニフェスト項目"),
    Meaning.VISION: ("施策の方向", "施策の方向性", "目指す姿", "めざす姿", "目指すまちの姿", "目標とする姿", "ビジョン",
                     "ビジョン内容", "施策の目標",
                     # 事務事業評価: 「①事業の目的（誰・何を・どのような状態に）」
                     "目的", "事業の目的", "事業目的", "施策の目的"),
    Meaning.ACTIONS: ("主な取組", "主な取り組み", "主な取組内容", "取組内容", "取り組み内容", "取組", "取り組み",
                      "実施内容", "取組状況", "取り組み状況", "具体的な取組", "実施状況", "主な実績"),
    Meaning.STATUS: ("進捗", "進捗状況", "進ちょく状況", "進ちょく"),
    Meaning.UNIT: ("単位",),
    Meaning.NOTE: ("備考", "注", "注記", "特記事項", "補足"),
    Meaning.AS_OF: ("時点", "基準日", "調査時点", "測定時期", "把握時点", "測定時点", "集計時点"),
    Meaning.FISCAL_YEAR: ("年度", "対象年度", "実施年度", "評価年度"),
    # 累計 in koho; 累計・単年度 (koho's alias), 単年度/累計
    Meaning.CUMULATIVE: ("累計", "累計単年度", "単年度累計", "累計単年", "単年累計", "累計区分"),
    # a measure's photo (issue 27): the file, as 広報 staff head the column of a page's photo list
    Meaning.PHOTO: ("写真", "画像", "写真ファイル", "写真ファイル名", "画像ファイル", "画像ファイル名", "掲載写真"),
    Meaning.PHOTO_CAPTION: ("写真説明", "写真の説明", "画像説明", "キャプション", "写真キャプション"),
    Meaning.PHOTO_ALT: ("代替テキスト", "代替文", "altテキスト", "写真の代替テキスト", "画像の代替テキスト"),
    # 撮影・提供 (koho's label), 撮影者, 写真提供, クレジット
    Meaning.PHOTO_CREDIT: ("撮影", "提供", "撮影提供", "撮影者", "提供者", "写真提供", "画像提供", "写真撮影",
                           "撮影者提供者", "クレジット"),
}
# Words that look like a meaning's word but are something else: the header stays undecided.
BLOCKED: tuple[str, ...] = ("事業費", "事業概要", "予算", "予算額", "決算", "決算額", "今後の取組", "今後の方向性",
                            "課題", "指標の説明", "指標の定義", "算出方法", "目標設定の考え方")

# Circled and parenthesised numbers that mark items in header text (①, ⑴, ⒈, ❶, ㉑, ㊱).
_ITEM_NUMBERS_RE = re.compile(r"[\u2460-\u24ff\u2776-\u2793\u3251-\u325f\u32b1-\u32bf]")
# Brackets and joiners ignored when matching.
_IGNORED_RE = re.compile(r"[()\[\]{}（）［］｛｝【】「」『』〈〉《》<>＜＞・･,、，:：/／]")
_LEVELS = " / "

# A header starting with these and naming something else of the indicator (指標1単位, 指標1目標)
# means that other thing.
INDICATOR_SUBJECTS = ("指標", "kpi", "成果指標")
# An indicator's or a department's number or code is an identifier koho does not read.
CODE_SUFFIXES = ("番号", "no", "コード", "code", "id")

# What may stand beside a two-character word in a header (after brackets are dropped).
_AFFIXES_RE = re.compile(r"^(?:名|名称|番号|値|内容|等|欄|区分|項目|番|コード|の名称|no|[a-z0-9~\-.#/*]+)*$")

_LOOKUP: dict[str, Meaning | None] = {word: meaning for meaning, words in WORDS.items() for word in words}
_LOOKUP.update({word: None for word in BLOCKED})


def _compact(level: str) -> str:
    """One header level as matched: item numbers and years out, normalised, brackets dropped."""
    level = _ITEM_NUMBERS_RE.sub("", level)
    for start, end, _ in reversed(year_spans(level)):
        level = level[:start] + " " + level[end:]
    return _IGNORED_RE.sub("", normalize_name(level))


def _found(word: str, compact: str) -> bool:
    """Whether a lexicon word is in a header, by the rules of the module's docstring."""
    if len(word) == 1 or word == compact:
        return word == compact
    if len(word) >= 3:
        return word in compact
    if compact.startswith(word):
        rest = compact[len(word):]
    elif compact.endswith(word):
        rest = compact[:-len(word)]
    else:
        return False
    return bool(_AFFIXES_RE.match(rest)) or any(other in rest and _found(other, rest) for other in _LOOKUP)


def _best(compact: str) -> tuple[int, Meaning | None] | None:
    """The longest word found (its length and meaning); None when no word is found. Two different
    meanings at the longest length give (length, None)."""
    if not compact:
        return None
    hits = [(len(word), meaning) for word, meaning in _LOOKUP.items() if word in compact and _found(word, compact)]
    if not hits:
        return None
    length = max(h[0] for h in hits)
    meanings = {m for n, m in hits if n == length}
    if len(meanings) > 1 and compact.startswith(INDICATOR_SUBJECTS) and Meaning.LABEL in meanings:
        meanings.discard(Meaning.LABEL)  # 「指標1単位」「指標1目標」: the indicator's unit, target
    if len(meanings) != 1:
        return (length, None)
    meaning = meanings.pop()
    if meaning in (Meaning.LABEL, Meaning.DEPARTMENT) and compact.endswith(CODE_SUFFIXES):
        return (length, None)  # 「KPI番号」「所管部局コード」: an identifier, not the name
    return (length, meaning)


@lru_cache(maxsize=8192)
def meaning_of(header: str) -> Meaning | None:
    """What a column with this header holds, or None where the words do not say (listed by the
    caller, never dropped). See the module's rules."""
    levels = [_compact(level) for level in header.split(_LEVELS)]
    levels = [level for level in levels if level]
    if not levels:
        return None
    if len(levels) > 1:
        joined = "".join(levels[-2:])
        spanning = _best(joined)
        longest_alone = max((b[0] for b in (_best(levels[-2]), _best(levels[-1])) if b), default=0)
        if spanning and spanning[0] > longest_alone:
            return spanning[1]
    for level in reversed(levels):
        if (found := _best(level)) is not None:
            return found[1]
    return None


# Bracket contents after a name that are not its unit.
NOT_UNITS: tuple[str, ...] = ("単位", "累計", "単年度", "単年", "実績", "目標", "見込", "予定", "暦年", "年度", "再掲",
                              "新規", "参考", "任意", "速報", "暫定", "推計", "基準", "現状", "最終")
_UNIT_BRACKET_RE = re.compile(r"^(?P<head>.*?)\s*[(（\[［](?P<inner>[^()（）\[\]［］]*)[)）\]］]\s*$", re.DOTALL)
_UNIT_PREFIX_RE = re.compile(r"^\s*単位\s*[:：]?\s*")


def unit_in_header(header: str) -> str:
    """The unit a header or a label names in its closing bracket: 「人口(人)」 → 人, 「満足度（％）」 → %,
    「事業費（単位：千円）」 → 千円, 「面積(㎡)」 → ㎡. '' when it names none: no bracket, a year (H28),
    a word that is not a unit (累計, 見込, 再掲) or the word 単位 itself (「指標名称(単位)」 says the
    labels below carry their units)."""
    text = header.strip()
    for _ in range(3):
        match = _UNIT_BRACKET_RE.match(text)
        if not match:
            return ""
        inner = match["inner"].strip()
        unit = _UNIT_PREFIX_RE.sub("", inner) if inner != "単位" else ""
        if unit and not year_spans(unit) and len(unit) <= 8 and not any(w in unit for w in NOT_UNITS) \
                and not any(c.isspace() for c in unit):
            return unit.replace("％", "%")
        text = match["head"]
    return ""


# Columns a careful importer lists and does not read: identifiers and codes (KPI番号, 所管部局コード,
# 全国地方公共団体コード), the publisher's name, links and dates of the list itself (URL, 更新日), and
# money (事業費, 予算, 決算) — none is an indicator's figure or a measure's text.
_NOT_READ_WORDS = ("url", "リンク", "更新日", "最終更新日", "公開日", "地方公共団体名", "自治体名", "団体名",
                   "事業費", "予算", "予算額", "決算", "決算額")
_IDENTIFIER_RE = re.compile(r"(?:番号|no|コード|code|id)\.?$")


@lru_cache(maxsize=8192)
def not_read(header: str) -> bool:
    """Whether a header the lexicon leaves undecided names a column koho never reads (listed in the
    mapping as 読まない, not asked): an identifier or code, the list's own URL or date, money."""
    compact = _compact(header)
    if not compact or meaning_of(header) is not None:
        return False
    return bool(_IDENTIFIER_RE.search(compact)) or any(word in compact for word in _NOT_READ_WORDS)
