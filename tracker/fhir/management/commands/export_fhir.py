"""Bulk FHIR export of the clinic as NDJSON: one file per resource type, or one stream to stdout.

    manage.py export_fhir --clinic "Riverside Physiotherapy" --output-dir /srv/exports/2026-03-01
    manage.py export_fhir --clinic 1 > clinic.ndjson

With more than one clinic on the server, --clinic (its name or id) is required:
each clinic exports its own patients only.

Every line is one resource, validated with fhir.resources as it is built; the
tables are read in chunks, so memory stays flat however large the clinic.
"""

from contextlib import ExitStack
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tracker.clinics.models import Clinic
from tracker.fhir.export import clinic_resources, export_patients, ndjson_line


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

        parser.add_argument("--clinic", help="The clinic to export (its name or id); needed when there are several.")

    def handle(self, *args, output_dir: Path | None = None, clinic: str | None = None, **options):
        patients = export_patients().filter(clinic=_the_clinic(clinic))
        counts: dict[str, int] = {}
        if output_dir is None:
            for resource in clinic_resources(patients):
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
                for resource in clinic_resources(patients):
                    resource_type = resource["resourceType"]
                    if resource_type not in files:
                        path = output_dir / f"{resource_type}.ndjson"
                        files[resource_type] = stack.enter_context(path.open("w", encoding="utf-8"))
                    files[resource_type].write(ndjson_line(resource))
                    counts[resource_type] = counts.get(resource_type, 0) + 1
        except OSError as error:
            raise CommandError(f"Cannot write to {output_dir}: {error.strerror}.") from None
        self.stdout.write(_summary(counts) + f" Files are in {output_dir}.")


def _the_clinic(name_or_id: str | None) -> Clinic:
    clinics = Clinic.objects.order_by("pk")
    if name_or_id is None:
        found = list(clinics[:2])
        if len(found) == 1:
            return found[0]
        names = ", ".join(f'"{clinic.name}" ({clinic.pk})' for clinic in clinics)
        raise CommandError(f"Say which clinic to export with --clinic: {names or 'there is no clinic yet'}.")
    match = clinics.filter(pk=int(name_or_id)) if name_or_id.isdigit() else clinics.filter(name__iexact=name_or_id)
    found = list(match[:2])
    if len(found) != 1:
        raise CommandError(f"No single clinic is called {name_or_id!r}; give its name or id.")
    return found[0]


def _summary(counts: dict[str, int]) -> str:
    listed = ", ".join(f"{count} {resource_type}" for resource_type, count in counts.items())
    return f"Exported {sum(counts.values())} resources: {listed or 'none'}."
