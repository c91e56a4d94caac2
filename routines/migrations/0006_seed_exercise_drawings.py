from django.db import migrations


def install(apps, schema_editor):
    from routines.library import install_drawings

    install_drawings(exercise_model=apps.get_model("routines", "Exercise"))


class Migration(migrations.Migration):
    """Give each library exercise its line drawings and their words (see routines/library.py).

    Exercises that already have a drawing are left alone; reversing leaves the values.
    """

    dependencies = [
        ("routines", "0005_exercise_pictures"),
    ]

    operations = [
        migrations.RunPython(install, migrations.RunPython.noop),
    ]
