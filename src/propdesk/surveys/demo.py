"""Demo satisfaction surveys: last half-year's survey, closed at 75 % satisfied (PRODUCT.md area 5, the
starting point), and this half-year's, open, with a third of the households answered so far."""

import random
import secrets
from datetime import timedelta

from django.db import transaction

from propdesk.org.models import Project

from .models import Invitation, Question, Response, Survey, token_digest
from .services import target_households

SEED = 20260705
QUESTIONS = [
    ("rating", "您对物业服务的总体满意度", []),
    ("rating", "您对小区保洁的满意度", []),
    ("rating", "您对报修维修服务的满意度", []),
    ("single", "您最常通过哪种方式联系物业？", ["服务热线", "服务中心前台", "业主服务页面", "微信"]),
    ("multiple", "您希望增加哪些服务？", ["家政保洁", "快递代收", "老人关怀", "社区活动"]),
    ("text", "您对我们还有什么意见和建议？", []),
]
SUGGESTIONS = ["电梯维修太慢，希望加快", "保洁阿姨很负责，楼道很干净", "停车位太少，晚上经常找不到车位",
               "希望多组织社区活动", "快递柜不够用", "绿化修剪及时，环境很好", "夜间巡逻可以再加强",
               "报修响应很快，维修师傅态度好", "垃圾分类指导做得不错", "希望电梯广告少一点", "", "", ""]
# Twenty answers in a row: 7 × 5, 8 × 4, 3 × 3, 1 × 2, 1 × 1 — 75 % rate 4 or 5.
RATINGS_75 = [5] * 7 + [4] * 8 + [3] * 3 + [2, 1]
RATINGS_80 = [5] * 8 + [4] * 8 + [3] * 2 + [2, 1]


def load_survey_demo(now) -> int:
    """Two surveys per demo project; returns the surveys created."""
    rng = random.Random(SEED)
    created = 0
    with transaction.atomic():
        for project in Project.objects.filter(code__in=["sunshine", "techpark"]).order_by("code"):
            before = _survey(project, "2026年上半年业主满意度调查", now - timedelta(days=190), now - timedelta(days=160),
                             Survey.Status.CLOSED, None, rng, share=0.6, ratings=RATINGS_75)
            _survey(project, "2026年下半年业主满意度调查", now - timedelta(days=5), now + timedelta(days=10),
                    Survey.Status.OPEN, before, rng, share=0.35, ratings=RATINGS_80)
            created += 2
    return created


def _survey(project, title, opens_at, closes_at, status, previous, rng, share, ratings):
    survey = Survey.objects.create(project=project, title=title, intro="感谢您抽出两分钟时间，帮助我们改进服务。",
                                   status=status, opens_at=opens_at, closes_at=closes_at, roles=["owner", "tenant"],
                                   previous=previous, created_at=opens_at - timedelta(days=2))
    questions = Question.objects.bulk_create([Question(survey=survey, order=i, kind=kind, text=text, choices=choices,
                                                       required=kind in ("rating", "single"))
                                              for i, (kind, text, choices) in enumerate(QUESTIONS, start=1)])
    households = target_households(survey)
    invitations = Invitation.objects.bulk_create([
        Invitation(survey=survey, unit_id=unit_id, customer_id=customer_id,
                   digest=token_digest(secrets.token_urlsafe(24)), sent_at=opens_at)
        for unit_id, customer_id in sorted(households.items())])
    responses = []
    for n, invitation in enumerate(i for i in invitations if rng.random() < share):
        at = opens_at + timedelta(hours=rng.randint(1, 24 * 5))
        answers = {}
        for q in questions:
            if q.kind == "rating":
                answers[str(q.pk)] = ratings[(n + q.order * 3) % len(ratings)] if q.order > 1 else ratings[n % 20]
            elif q.kind == "single":
                answers[str(q.pk)] = rng.choice(q.choices)
            elif q.kind == "multiple":
                answers[str(q.pk)] = rng.sample(q.choices, rng.randint(0, 2))
            elif text := rng.choice(SUGGESTIONS):
                answers[str(q.pk)] = text
        responses.append(Response(invitation=invitation, answers=answers, submitted_at=at, updated_at=at))
    Response.objects.bulk_create(responses)
    return survey
