"""Suggest a category and whether a report is an emergency from its Chinese text.

How it works, so that a suggestion can always be explained to the desk:

1. The text is cut into clauses at punctuation, and each clause into words with jieba. Every word
   of the keyword dictionary (``TriageKeyword``: the shared one, project=None, plus the project's
   own) is added to jieba's vocabulary, so a compound keyword such as 电梯困人 or 煤气味 comes out as
   one word, and a longer dictionary word shadows the shorter one it contains: 漏水费 (a fee) is
   not 漏水 (a leak), 打不着火 (a stove that will not light) is not 着火 (fire).
2. A keyword fires when a word equals it, or when it lies inside a word (or a run of words) that is
   not itself a dictionary word. A keyword written ``A+B`` is a rule: it fires when both parts
   occur in the text (电梯+有人: someone is in the lift).
3. An emergency keyword does not count when it is negated (不/没/没有/未… just before it: 已经不漏水了),
   when the matter is said to be resolved after it (修好了, 已解决, 来电了…), or when it is told as a
   past event (上次漏水…). The remaining hits give a score; inquiry words (请问, 咨询), fee words
   (费用, 多少钱) and "not happening now" words (年检, 明天, 演练, 误报) lower it, urgency (快来,
   突然, 一直, 现在, ！, 停电了) raises it. Emergency when the score stays positive.
4. The category is the one with the highest sum of keyword weights (negated keywords still say what
   the report is about); ties go to the keyword that comes first.

The compiled dictionary is cached per project in the process. Each call checks a cheap fingerprint
(count and highest id of the keyword rows that apply) and saving or deleting a keyword or a category
in this process drops the cache; a time limit catches edits made by other processes.
"""

import re
import threading
import time
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext as _

from propdesk.core.chinese import PrivateTokenizer
from propdesk.core.prepared import Prepared

from .models import Category, TriageKeyword

CACHE_SECONDS = 300

# Words that negate the keyword right after them (within a few words of the same clause).
NEGATORS = frozenset({"不", "没", "没有", "没人", "未", "无", "并未", "不是", "不再", "别", "没见", "并没有",
                      "未见", "没发现", "不会", "没再"})
# Words between a negator and its keyword that do not break the negation (已经不漏水了, 没有再漏).
FILLERS = frozenset({"再", "在", "还", "了", "的", "有", "再次", "被", "人", "什么"})
NEGATION_WINDOW = 3
# Words after a keyword saying the matter is over (unless themselves negated: 还没修好).
RESOLVED = ("修好", "已修", "修复", "已解决", "解决了", "处理好", "已处理", "处理过", "恢复", "来电了",
            "没事了", "没问题了", "虚惊一场", "误会", "已经干了", "弄好", "不漏了", "已经没有", "没有了")
# Words before a keyword, in the same clause, placing it in the past.
PAST = ("上次", "上周", "上个月", "之前", "以前", "去年", "那次", "曾经")
# Context that makes a live emergency less likely: the caller asks, or talks about money.
INQUIRY = ("咨询", "询问", "请问", "想问", "问一下", "想了解", "了解一下", "是不是真的")
FEES = ("费用", "多少钱", "收费", "缴费", "交费", "欠费", "电费", "水费", "赔偿", "谁出", "谁负责", "谁赔")
# Context saying it is not happening now: planned, drills, checks, worries, false alarms.
NOT_NOW = ("年检", "演练", "演习", "培训", "预防", "明天", "后天", "下周", "计划", "检修", "会不会", "担心",
           "误报", "通知", "存一下", "多久检查")
# Known harmless sources of smoke or smell.
HARMLESS = ("烧纸", "秸秆", "烧烤", "烟花", "鞭炮", "熬中药", "煤炉")
URGENCY = ("急", "赶紧", "快来", "快点", "马上", "尽快", "速来", "请速", "速派", "救命", "突然", "一直",
           "现在", "越来越", "哗哗", "止不住", "关不掉", "关不住", "还在", "正在", "全是", "都是", "很浓",
           "很重", "很大", "好大", "快", "出事", "不敢", "多久能到", "什么时候到", "多久到", "!", "！")

EMERGENCY_BASE = 2  # per place in the text where a live emergency keyword fired (at most two)
URGENCY_MAX = 2
INQUIRY_PENALTY = 2
FEE_PENALTY = 2
NOT_NOW_PENALTY = 3

_CLAUSE_SPLIT = re.compile(r"[，,。．.！!？?；;：:、~～…\s]+")


@dataclass
class Suggestion:
    category: Category | None = None
    emergency: bool = False
    matched: list[str] = field(default_factory=list)
    reason: str = ""


@dataclass(frozen=True)
class _Keyword:
    word: str
    category: Category | None
    emergency: bool
    weight: int
    parts: tuple[str, ...] = ()  # for an A+B rule


@dataclass
class _Dictionary:
    words: dict[str, _Keyword]
    rules: list[_Keyword]
    fingerprint: tuple
    loaded_at: float
    longest_first: list[str] = field(default_factory=list)  # the words of 2+ characters, longest first


@dataclass
class _Hit:
    keyword: _Keyword
    clause: int
    token: int  # index of the token in its clause
    prefix: str = ""  # the part of the token before the keyword (不 in 不漏水)
    negated: bool = False  # for a rule: one of its parts is negated


# --- jieba, loaded once per process ----------------------------------------------------------------

_lock = threading.RLock()
_private = PrivateTokenizer()
_added_words: set[str] = set()
_cache: dict[int | None, _Dictionary] = {}


def _jieba():
    return _private.get()


def _add_words(words):
    """Make dictionary words segment as one token; shorter first, so longer words win over them."""
    tokenizer = _jieba()
    with _lock:
        for word in sorted(set(words) - _added_words, key=len):
            tokenizer.add_word(word, tokenizer.suggest_freq(word, False))
            _added_words.add(word)


# --- the compiled dictionary, cached per project ---------------------------------------------------

def _rows(project_id):
    scope = Q(project__isnull=True)
    if project_id is not None:
        scope |= Q(project_id=project_id)
    return TriageKeyword.objects.filter(scope)


# Read on every suggestion: compiled once (core.prepared), one for the shared rows, one for a project's.
_FINGERPRINT = {"n": Count("id"), "top": Max("id")}
_SHARED_FINGERPRINT = Prepared(lambda: _rows(None), aggregate=_FINGERPRINT)
_PROJECT_FINGERPRINT = Prepared(_rows, TriageKeyword._meta.get_field("project").target_field, aggregate=_FINGERPRINT)


def _fingerprint(project_id) -> tuple:
    if project_id is None:
        (row,) = _SHARED_FINGERPRINT.rows()
    else:
        (row,) = _PROJECT_FINGERPRINT.rows(project_id)
    return tuple(row)


def _load(project_id, fingerprint) -> _Dictionary:
    words: dict[str, _Keyword] = {}
    # Shared rows first, then the project's own: a project's row for the same word replaces the shared one.
    rows = _rows(project_id).select_related("category", "category__parent")
    for row in sorted(rows, key=lambda r: (r.project_id is not None, r.id)):
        word = row.word.strip()
        if not word:
            continue
        category = row.category if row.category is None or row.category.is_active else None
        parts = tuple(p.strip() for p in word.split("+") if p.strip()) if "+" in word else ()
        words[word] = _Keyword(word, category, row.emergency, max(1, row.weight), parts)
    rules = [kw for kw in words.values() if kw.parts]
    plain = {w: kw for w, kw in words.items() if not kw.parts}
    _add_words([w for w in plain if len(w) > 1] + [p for r in rules for p in r.parts if len(p) > 1])
    longest_first = sorted((w for w in plain if len(w) > 1), key=len, reverse=True)  # once, not per suggestion
    return _Dictionary(plain, rules, fingerprint, time.monotonic(), longest_first)


def _dictionary(project) -> _Dictionary:
    project_id = getattr(project, "pk", project)
    fingerprint = _fingerprint(project_id)
    current = _cache.get(project_id)
    if (current is None or current.fingerprint != fingerprint
            or time.monotonic() - current.loaded_at > CACHE_SECONDS):
        current = _load(project_id, fingerprint)
        with _lock:
            _cache[project_id] = current
    return current


def clear_cache(*args, **kwargs):
    """Drop every compiled dictionary (connected to saves and deletes of keywords and categories)."""
    with _lock:
        _cache.clear()


for _model in (TriageKeyword, Category):
    post_save.connect(clear_cache, sender=_model, dispatch_uid=f"triage-clear-{_model.__name__}-save")
    post_delete.connect(clear_cache, sender=_model, dispatch_uid=f"triage-clear-{_model.__name__}-delete")


# --- matching --------------------------------------------------------------------------------------

def _clauses(text: str) -> list[list[str]]:
    tokenizer = _jieba()
    return [tokenizer.lcut(c) for c in _CLAUSE_SPLIT.split(text) if c]


def _find(clauses, words: dict[str, _Keyword], longest_first: list[str]) -> list[_Hit]:
    """Every keyword occurrence, in reading order.

    A token equal to a dictionary word is that word (and hides the shorter words inside it). Other
    tokens are searched for the keywords they hold, also across a run of such tokens, because
    jieba may cut a keyword it does not know in context (往下掉|水 for 掉水); the part of the first
    token before the keyword is kept to detect a negation (打不|着火).
    """
    hits = []
    for ci, tokens in enumerate(clauses):
        run: list[int] = []  # indexes of consecutive non-dictionary tokens
        for ti, token in enumerate(tokens + [None]):
            if token is not None and token not in words:
                run.append(ti)
                continue
            if run:
                hits.extend(_find_in_run(ci, tokens, run, words, longest_first))
                run = []
            if token is not None:
                hits.append(_Hit(words[token], ci, ti))
    return hits


def _find_in_run(ci, tokens, run, words, longest_first) -> list[_Hit]:
    text = "".join(tokens[i] for i in run)
    owner = []  # for each character: (token index, offset of the token's first character)
    offset = 0
    for i in run:
        owner.extend([(i, offset)] * len(tokens[i]))
        offset += len(tokens[i])
    covered = [False] * len(text)
    hits = []
    for word in longest_first:
        start = text.find(word)
        while start != -1:
            end = start + len(word)
            ti, token_start = owner[start]
            single_token = owner[end - 1][0] == ti
            if not any(covered[start:end]) and not (single_token and tokens[ti] == word):
                hits.append(_Hit(words[word], ci, owner[end - 1][0], prefix=text[token_start:start]))
                covered[start:end] = [True] * len(word)
            start = text.find(word, start + 1)
    return hits


def _occurs(clauses, rule: _Keyword, part: str, words) -> tuple[int, int] | None:
    """Where a part of a rule first occurs: a token equal to it, or a token holding it (unless that
    token is a dictionary word of another category, as 燃气费 holds 燃气 but is a fee)."""
    for ci, tokens in enumerate(clauses):
        for ti, token in enumerate(tokens):
            if token == part:
                return ci, ti
            if part in token:
                other = words.get(token)
                if other is None or other.category is None or other.category == rule.category:
                    return ci, ti
    return None


def _negated(tokens, index, prefix="") -> bool:
    if prefix and (prefix in NEGATORS or prefix[-1] in "不没未无" or prefix.endswith("没有")):
        return True
    seen = 0
    for token in reversed(tokens[max(0, index - NEGATION_WINDOW - 2):index]):
        if token in NEGATORS:
            return True
        if token in FILLERS:
            continue
        seen += 1
        if seen >= NEGATION_WINDOW:
            break
    return False


def _resolved_after(clauses, hit: _Hit, emergency_positions) -> str:
    """A resolution word after the hit (and before the next emergency keyword), not itself negated."""
    after = []
    for ci in range(hit.clause, len(clauses)):
        tokens = clauses[ci]
        start = hit.token + 1 if ci == hit.clause else 0
        for ti in range(start, len(tokens)):
            if (ci, ti) in emergency_positions:
                break
            after.append(tokens[ti])
        else:
            after.append("，")
            continue
        break
    text = "".join(after)
    for marker in RESOLVED:
        start = text.find(marker)
        while start != -1:
            if not any(ch in "没未不" for ch in text[max(0, start - 2):start]):
                return marker
            start = text.find(marker, start + 1)
    return ""


def _past(tokens, index) -> str:
    for token in tokens[:index]:
        for marker in PAST:
            if marker in token:
                return marker
    return ""


def _present(text: str, markers) -> list[str]:
    return [m for m in markers if m in text]


def _quote(words) -> str:
    return "、".join(f"“{w}”" for w in words)


def suggest(text: str, project=None) -> Suggestion:
    """Suggest the category and whether the report is an emergency; staff may override both."""
    text = (text or "").strip()
    result = Suggestion()
    if not text:
        result.reason = _("No text to classify.")
        return result
    dictionary = _dictionary(project)
    clauses = _clauses(text)
    hits = _find(clauses, dictionary.words, dictionary.longest_first)
    for rule in dictionary.rules:
        places = [_occurs(clauses, rule, part, dictionary.words) for part in rule.parts]
        if all(places):
            ci, ti = max(places)
            negated = any(_negated(clauses[c], t) for c, t in places)
            hits.append(_Hit(rule, ci, ti, negated=negated))
    hits.sort(key=lambda h: (h.clause, h.token))

    matched = []
    for hit in hits:
        if hit.keyword.word not in matched:
            matched.append(hit.keyword.word)
    result.matched = matched

    # Category: the highest sum of weights; on a tie, the category named first.
    scores: dict[int, list] = {}
    for order, hit in enumerate(hits):
        category = hit.keyword.category
        if category is not None:
            entry = scores.setdefault(category.pk, [0, -order, category, []])
            entry[0] += hit.keyword.weight
            if hit.keyword.word not in entry[3]:
                entry[3].append(hit.keyword.word)
    reasons = []

    # Emergency.
    emergency_hits = [h for h in hits if h.keyword.emergency]
    positions = {(h.clause, h.token) for h in emergency_hits}
    live, negated, resolved, past = [], [], [], []
    live_at = set()  # where the live keywords are: a rule and the word it overlaps count once
    for hit in emergency_hits:
        tokens = clauses[hit.clause]
        word = hit.keyword.word
        if hit.negated or (not hit.keyword.parts and _negated(tokens, hit.token, hit.prefix)):
            negated.append(word)
        elif _resolved_after(clauses, hit, positions - {(hit.clause, hit.token)}):
            resolved.append(word)
        elif _past(tokens, hit.token):
            past.append(word)
        else:
            live_at.add((hit.clause, hit.token))
            if word not in live:
                live.append(word)
    if live:
        score = EMERGENCY_BASE * min(len(live_at), 2)
        urgent = _present(text, URGENCY)
        if any(tokens[h.token + 1:h.token + 2] == ["了"] for h in emergency_hits
               for tokens in [clauses[h.clause]] if h.keyword.word in live):
            urgent.append("了")
        score += min(len(urgent), URGENCY_MAX)
        inquiry, fees = _present(text, INQUIRY), _present(text, FEES)
        not_now = _present(text, NOT_NOW) + _present(text, HARMLESS)
        score -= INQUIRY_PENALTY * bool(inquiry) + FEE_PENALTY * bool(fees) + NOT_NOW_PENALTY * bool(not_now)
        result.emergency = score > 0
        reasons.append(_("emergency keyword %(words)s") % {"words": _quote(live)})
        if urgent:
            reasons.append(_("urgency %(words)s") % {"words": _quote(urgent[:URGENCY_MAX + 1])})
        if inquiry or fees:
            reasons.append(_("inquiry or fee context %(words)s") % {"words": _quote(inquiry + fees)})
        if not_now:
            reasons.append(_("not happening now %(words)s") % {"words": _quote(not_now)})
    if negated:
        reasons.append(_("negated %(words)s") % {"words": _quote(negated)})
    if resolved:
        reasons.append(_("already resolved %(words)s") % {"words": _quote(resolved)})
    if past:
        reasons.append(_("past event %(words)s") % {"words": _quote(past)})

    if scores:
        best = max(scores.values(), key=lambda e: (e[0], e[1]))
        result.category = best[2]
        reasons.append(_("category %(category)s from %(words)s") % {
            "category": best[2], "words": _quote(best[3])})
    if not matched:
        reasons.append(_("no keyword matched"))
    verdict = _("Emergency") if result.emergency else _("Not an emergency")
    result.reason = f"{verdict}: " + "; ".join(reasons)
    return result
