"""drf-spectacular enum names for the assessment app's choice sets (merged into the settings; no
Django import here). ``status``, ``kind``, ``mode`` and ``source`` collide with other apps'."""

ENUM_NAME_OVERRIDES = {
    "SchemeStatusEnum": "chainlead.assessment.choices.SchemeStatus",
    "AssessmentGroupKindEnum": "chainlead.assessment.choices.GroupKind",
    "ScoringModeEnum": "chainlead.assessment.choices.ScoringMode",
    "IndicatorSourceEnum": "chainlead.assessment.choices.Source",
    "WhenNoBaseEnum": "chainlead.assessment.choices.WhenNoBase",
    "AssessmentSubjectKindEnum": "chainlead.assessment.choices.SubjectKind",
    "AssessmentPeriodKindEnum": "chainlead.assessment.choices.PeriodKind",
    "RankingStatusEnum": "chainlead.assessment.choices.RankingStatus",
}
