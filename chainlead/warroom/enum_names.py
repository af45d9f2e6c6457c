"""drf-spectacular enum names for the war room's choice sets (merged into the settings; no Django
import here). Plans and nodes both have a ``status`` and share ``start``/``production`` values."""

ENUM_NAME_OVERRIDES = {
    "ScheduleStatusEnum": "chainlead.warroom.choices.ScheduleStatus",
    "NodeStatusEnum": "chainlead.warroom.choices.NodeStatus",
    "TargetKindEnum": "chainlead.warroom.choices.TargetKind",
    "MilestoneEnum": "chainlead.warroom.choices.Milestone",
}
