"""Ship the default scheme of DOMAIN.md §7.2 with every install (published, version 1)."""

from django.db import migrations


def install(apps, schema_editor):
    from chainlead.assessment.default_scheme import install as install_default

    install_default(
        apps.get_model("assessment", "Scheme"),
        apps.get_model("assessment", "IndicatorGroup"),
        apps.get_model("assessment", "Indicator"),
    )


def remove(apps, schema_editor):
    from chainlead.assessment.default_scheme import CODE

    Scheme = apps.get_model("assessment", "Scheme")
    for scheme in Scheme.objects.filter(code=CODE, revision=1, rankings__isnull=True):
        scheme.indicators.all().delete()
        scheme.groups.all().delete()
        scheme.delete()


class Migration(migrations.Migration):
    dependencies = [("assessment", "0001_initial")]
    operations = [migrations.RunPython(install, remove)]
