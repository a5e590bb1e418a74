"""Suggest a category and whether a report is an emergency from its Chinese text (first version)."""

from dataclasses import dataclass, field

from django.db.models import Q

from .models import Category, TriageKeyword


@dataclass
class Suggestion:
    category: Category | None = None
    emergency: bool = False
    matched: list[str] = field(default_factory=list)


def suggest(text: str, project=None) -> Suggestion:
    text = text or ""
    keywords = TriageKeyword.objects.filter(Q(project__isnull=True) | Q(project=project)).select_related("category")
    result = Suggestion()
    scores: dict[int, int] = {}
    categories = {}
    for kw in keywords:
        if kw.word and kw.word in text:
            result.matched.append(kw.word)
            if kw.emergency:
                result.emergency = True
            if kw.category_id:
                scores[kw.category_id] = scores.get(kw.category_id, 0) + kw.weight
                categories[kw.category_id] = kw.category
    if scores:
        result.category = categories[max(scores, key=scores.get)]
    return result
