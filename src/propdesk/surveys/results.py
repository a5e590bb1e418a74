"""Results of a survey: per question statistics, comparison with the previous survey, the most frequent
terms of free-text answers (jieba), and the .xlsx export (one row per household's response)."""

from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.core import xlsx
from propdesk.core.chinese import PrivateTokenizer

from .models import Question, Response, Survey

Kind = Question.Kind
SATISFIED = 4  # a rating of 4 or 5 counts as satisfied
TOP_TERMS = 15
_jieba = PrivateTokenizer()

# Words that carry no opinion (jieba keeps them as 2+ character tokens).
STOP_WORDS = {
    "我们", "你们", "他们", "她们", "自己", "这个", "那个", "这些", "那些", "这里", "那里", "什么", "怎么", "还是",
    "就是", "但是", "而且", "因为", "所以", "如果", "虽然", "可以", "没有", "一个", "一些", "有点", "一点", "非常",
    "比较", "希望", "已经", "还有", "以及", "或者", "然后", "觉得", "感觉", "现在", "时候", "时间", "问题", "需要",
    "建议", "目前", "其他", "小区", "物业",
}


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    average: float | None = None
    satisfied: float | None = None  # share of ratings ≥ 4, in %
    # (label, count, percent) per rating 1–5 or per choice
    bars: list = field(default_factory=list)
    terms: list = field(default_factory=list)  # (term, count) for free text
    texts: list = field(default_factory=list)
    previous: "QuestionResult | None" = None


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def question_results(survey: Survey) -> list[QuestionResult]:
    questions = list(survey.questions.all())
    answers = list(Response.objects.filter(invitation__survey=survey).values_list("answers", flat=True))
    results = []
    for q in questions:
        values = [a[str(q.pk)] for a in answers if a.get(str(q.pk)) not in (None, "", [])]
        result = QuestionResult(question=q, answered=len(values))
        if q.kind == Kind.RATING:
            counts = Counter(int(v) for v in values)
            result.bars = [(str(n), counts[n], _percent(counts[n], len(values))) for n in range(1, 6)]
            if values:
                result.average = round(sum(int(v) for v in values) / len(values), 2)
                result.satisfied = _percent(sum(1 for v in values if int(v) >= SATISFIED), len(values))
        elif q.kind in (Kind.SINGLE, Kind.MULTIPLE):
            counts = Counter(c for v in values for c in (v if isinstance(v, list) else [v]))
            result.bars = [(c, counts[c], _percent(counts[c], len(values))) for c in q.choices]
        else:
            result.texts = values
            result.terms = top_terms(values)
        results.append(result)
    return results


def top_terms(texts, limit: int = TOP_TERMS) -> list[tuple[str, int]]:
    """The most frequent words of the texts: jieba words of 2+ characters that are not stop words."""
    tokenizer = _jieba.get()
    counts = Counter()
    for text in texts:
        for word in tokenizer.lcut(str(text)):
            word = word.strip().lower()
            if len(word) >= 2 and word not in STOP_WORDS and not word.isdigit() and any(ch.isalnum() for ch in word):
                counts[word] += 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]


def _key(q: Question):
    return (q.kind, q.text.strip())


def compare(survey: Survey) -> list[QuestionResult]:
    """This survey's results, each with the previous survey's result for the same question.

    Questions are matched by kind and text first, then by kind and position.
    """
    results = question_results(survey)
    if survey.previous_id is None:
        return results
    before = question_results(survey.previous)
    by_text = {_key(r.question): r for r in before}
    by_order = {(r.question.kind, r.question.order): r for r in before}
    for result in results:
        q = result.question
        result.previous = by_text.get(_key(q)) or by_order.get((q.kind, q.order))
    return results


def overall_satisfaction(results: list[QuestionResult]) -> float | None:
    """Share of all rating answers that are 4 or 5, in %."""
    total = sum(r.answered for r in results if r.question.kind == Kind.RATING)
    happy = sum(count for r in results if r.question.kind == Kind.RATING for label, count, _p in r.bars
                if int(label) >= SATISFIED)
    return _percent(happy, total) if total else None


def export_xlsx(survey: Survey) -> bytes:
    """One row per response: household, respondent, times, then one column per question."""
    from openpyxl import Workbook

    questions = list(survey.questions.all())
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Responses")[:31]
    sheet.append([_("Unit"), _("Respondent"), _("Submitted"), _("Updated")]
                 + [f"{q.order}. {q.text}" for q in questions])
    tz = timezone.get_current_timezone()
    rows = (Response.objects.filter(invitation__survey=survey)
            .select_related("invitation__unit__building", "invitation__customer").order_by("invitation__unit_id"))
    for response in rows:
        invitation = response.invitation
        cells = [invitation.unit.label, invitation.customer.name if invitation.customer else "",
                 response.submitted_at.astimezone(tz).replace(tzinfo=None),
                 response.updated_at.astimezone(tz).replace(tzinfo=None)]
        for q in questions:
            value = response.answers.get(str(q.pk), "")
            cells.append("、".join(value) if isinstance(value, list) else value)
        sheet.append(cells)
    return xlsx.to_bytes(workbook)
