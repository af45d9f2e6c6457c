"""The cached get_FOO_display() gives Django's answers, per language."""

from django.utils import translation

from chainlead.projects.choices import Stage
from chainlead.projects.models import KeyProject


def test_labels_follow_the_language_and_unknown_values_pass_through():
    project = KeyProject(stage=Stage.STARTED)
    with translation.override("zh-hans"):
        assert project.get_stage_display() == "开工"
    with translation.override("en"):
        assert project.get_stage_display() == "Started"
    project.stage = "no-such-stage"
    assert project.get_stage_display() == "no-such-stage"
    project.stage = None
    assert project.get_stage_display() is None
