"""Schema names of choice sets shared by several fields (read by settings; keep it Django-free)."""

ENUM_NAME_OVERRIDES = {
    "StatsCategoryEnum": "chainlead.enterprises.choices.StatsCategory",
    "StageEnum": "chainlead.projects.choices.Stage",
    "EvidenceKindEnum": "chainlead.projects.choices.EvidenceKind",
    "ContactKindEnum": "chainlead.projects.choices.ContactKind",
    "UnitKindEnum": "chainlead.organization.choices.UnitKind",
    "ChainRoleKindEnum": "chainlead.chains.choices.ChainRoleKind",
}
