"""Remove the files made in the background once their time is over (EXPORT_KEEP_HOURS)."""

from django.core.management.base import BaseCommand

from onestop.tasks import exports_prune


class Command(BaseCommand):
    help = "Remove exported files past their time (EXPORT_KEEP_HOURS); the records stay."

    def handle(self, *args, **options):
        count = exports_prune()
        self.stdout.write(f"{count} file(s) removed.")
