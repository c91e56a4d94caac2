"""Bulk FHIR export of the clinic as NDJSON: one file per resource type, or one stream to stdout.

    manage.py export_fhir --output-dir /srv/exports/2026-03-01
    manage.py export_fhir > clinic.ndjson

Every line is one resource, validated with fhir.resources as it is built; the
tables are read in chunks, so memory stays flat however large the clinic.
"""

from contextlib import ExitStack
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tracker.fhir.export import clinic_resources, ndjson_line


class Command(BaseCommand):
    help = "Write every patient's record as FHIR R4 NDJSON (one file per resource type, or one stream to stdout)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir",
            type=Path,
            help=(
                "Write <ResourceType>.ndjson files into this folder (made if missing); "
                "without it, one stream to stdout."
            ),
        )

    def handle(self, *args, output_dir: Path | None = None, **options):
        counts: dict[str, int] = {}
        if output_dir is None:
            for resource in clinic_resources():
                self.stdout.write(ndjson_line(resource), ending="")
                counts[resource["resourceType"]] = counts.get(resource["resourceType"], 0) + 1
            self.stderr.write(_summary(counts))
            return
        try:
            output_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommandError(f"Cannot make the folder {output_dir}: {error.strerror}.") from None
        try:
            with ExitStack() as stack:
                files = {}
                for resource in clinic_resources():
                    resource_type = resource["resourceType"]
                    if resource_type not in files:
                        path = output_dir / f"{resource_type}.ndjson"
                        files[resource_type] = stack.enter_context(path.open("w", encoding="utf-8"))
                    files[resource_type].write(ndjson_line(resource))
                    counts[resource_type] = counts.get(resource_type, 0) + 1
        except OSError as error:
            raise CommandError(f"Cannot write to {output_dir}: {error.strerror}.") from None
        self.stdout.write(_summary(counts) + f" Files are in {output_dir}.")


def _summary(counts: dict[str, int]) -> str:
    listed = ", ".join(f"{count} {resource_type}" for resource_type, count in counts.items())
    return f"Exported {sum(counts.values())} resources: {listed or 'none'}."
