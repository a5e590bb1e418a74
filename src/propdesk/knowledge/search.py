"""Chinese search over stored jieba tokens (STACK.md, "Chinese text").

The text is stored as its `lcut_for_search` tokens joined by spaces; a query is cut the same way and
every token of 2 characters or more must occur (AND). One-character tokens (的, 了, 交…) are dropped
unless the whole query is one character, and so are question words (怎么, 如何…) unless nothing else
is left. A plain `icontains` per token works alike on SQLite and PostgreSQL; the FAQ is small (hundreds
of rows per project), so no full-text index is needed.
"""


from django.db.models import Case, IntegerField, Q, Value, When

from propdesk.core.chinese import PrivateTokenizer

_private = PrivateTokenizer()

# Words that say "this is a question" and narrow nothing down.
QUESTION_WORDS = {"怎么", "怎么办", "怎样", "如何", "什么", "为什么", "哪里", "哪些", "哪个", "哪种", "可以", "能否",
                  "是否", "需要", "请问", "一下", "我们", "我家"}


def _jieba():
    return _private.get()


def index_text(*parts: str) -> str:
    """The stored form of a text: its search tokens, lower-cased, separated by spaces."""
    text = " ".join(p for p in parts if p)
    tokens = [t.strip().lower() for t in _jieba().lcut_for_search(text)]
    return " ".join(t for t in tokens if t)


def query_tokens(query: str) -> list[str]:
    """The tokens every result must contain (see the module docstring)."""
    query = (query or "").strip().lower()
    if not query:
        return []
    words = [t.strip() for t in _jieba().lcut(query) if t.strip()]
    if len(query) == 1:
        return [query]
    long_words = [t for t in dict.fromkeys(words) if len(t) >= 2]
    meaningful = [t for t in long_words if t not in QUESTION_WORDS]
    return meaningful or long_words or [query]


def search(queryset, query: str, question_field: str = "question", text_field: str = "search_text"):
    """Filter `queryset` to rows containing every query token; rank by tokens found in the question."""
    tokens = query_tokens(query)
    if not tokens:
        return queryset
    condition = Q()
    for token in tokens:
        condition &= Q(**{f"{text_field}__icontains": token})
    score = sum((Case(When(**{f"{question_field}__icontains": t}, then=Value(1)), default=Value(0),
                      output_field=IntegerField()) for t in tokens), Value(0))
    ordering = queryset.query.order_by or queryset.model._meta.ordering
    return queryset.filter(condition).annotate(question_hits=score).order_by("-question_hits", *ordering)
