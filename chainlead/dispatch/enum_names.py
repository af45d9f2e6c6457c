"""drf-spectacular enum names for the dispatch app's choice sets (merged into the settings; no
Django import here). Several models have a ``status``, a ``kind`` or a ``level``."""

ENUM_NAME_OVERRIDES = {
    "DispatchItemKindEnum": "chainlead.dispatch.choices.ItemKind",
    "DispatchFrequencyEnum": "chainlead.dispatch.choices.Frequency",
    "DispatchWeekdayEnum": "chainlead.dispatch.choices.Weekday",
    "PeriodStatusEnum": "chainlead.dispatch.choices.PeriodStatus",
    "ReportStatusEnum": "chainlead.dispatch.choices.ReportStatus",
    "ProblemStatusEnum": "chainlead.dispatch.choices.ProblemStatus",
    "ProblemCategoryEnum": "chainlead.dispatch.choices.ProblemCategory",
    "ProblemLevelEnum": "chainlead.dispatch.choices.ProblemLevel",
    "ProblemStepVerbEnum": "chainlead.dispatch.choices.StepVerb",
    "FactorKindEnum": "chainlead.dispatch.choices.FactorKind",
    "FactorStatusEnum": "chainlead.dispatch.choices.FactorStatus",
    "MeetingKindEnum": "chainlead.dispatch.choices.MeetingKind",
    "MeetingStatusEnum": "chainlead.dispatch.choices.MeetingStatus",
    "DecisionStatusEnum": "chainlead.dispatch.choices.DecisionStatus",
}
