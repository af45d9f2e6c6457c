"""drf-spectacular enum names for the supervision app's choice sets (merged into the settings; no
Django import here). ``color``, ``status`` and ``kind`` fields exist in other apps too."""

ENUM_NAME_OVERRIDES = {
    "LightColorEnum": "chainlead.supervision.choices.LightColor",
    "LightComponentEnum": "chainlead.supervision.choices.Component",
    "LightSubjectKindEnum": "chainlead.supervision.choices.SubjectKind",
    "RuleDirectionEnum": "chainlead.supervision.choices.Direction",
    "BulletinScopeKindEnum": "chainlead.supervision.choices.ScopeKind",
    "BulletinStatusEnum": "chainlead.supervision.choices.BulletinStatus",
}
