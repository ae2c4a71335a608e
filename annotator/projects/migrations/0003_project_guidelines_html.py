"""Guidelines are rendered once, when saved (pages used to render them on every request,
so one pathological guideline made every project page 500). Renders existing projects'."""

from django.db import migrations, models


def render_guidelines(apps, schema_editor):  # type: ignore[no-untyped-def]
    from annotator.core.markdown import render_markdown

    Project = apps.get_model("projects", "Project")
    for project in Project.objects.exclude(guidelines="").only("id", "guidelines").iterator():
        # limit=None: text saved before the cap existed still renders (linear time)
        Project.objects.filter(pk=project.pk).update(guidelines_html=render_markdown(project.guidelines, limit=None))


class Migration(migrations.Migration):

    dependencies = [
        ("projects", "0002_project_license"),
    ]

    operations = [
        migrations.AddField(
            model_name="project",
            name="guidelines_html",
            field=models.TextField(
                blank=True, default="", editable=False, help_text="the guidelines rendered and sanitised when saved"
            ),
        ),
        migrations.RunPython(render_guidelines, migrations.RunPython.noop),
    ]
