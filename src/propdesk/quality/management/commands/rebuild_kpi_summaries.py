"""Recompute the KPI summary table (quality.summaries) after changes made around the service layer —
bulk imports, SQL — which leave no timeline event to follow.

    manage.py rebuild_kpi_summaries [--project CODE ...] [--months 12]
"""

from django.core.management.base import BaseCommand

from propdesk.org.models import Project
from propdesk.quality.summaries import rebuild


class Command(BaseCommand):
    help = "Recompute the monthly KPI summaries of closed months (all projects, or --project CODE)."

    def add_arguments(self, parser):
        parser.add_argument("--project", action="append", default=[], help="a project code (repeatable)")
        parser.add_argument("--months", type=int, default=12, help="closed months to compute again")

    def handle(self, *args, project, months, **options):
        projects = Project.objects.all()
        if project:
            projects = projects.filter(code__in=project)
        ids = list(projects.values_list("pk", flat=True))
        computed = rebuild(ids, months=months)
        self.stdout.write(f"{len(ids)} projects, {computed} project-months computed")
