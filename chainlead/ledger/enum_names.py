"""drf-spectacular enum names for the ledger's choice sets (merged into the settings; no Django
import here): a batch's ``status`` and ``kind`` and a synonym's ``field`` would otherwise collide
with other apps' fields of the same names."""

ENUM_NAME_OVERRIDES = {
    "ImportBatchStatusEnum": "chainlead.ledger.choices.BatchStatus",
    "ImportFileKindEnum": "chainlead.ledger.choices.FileKind",
    "ImportFieldEnum": "chainlead.ledger.models.FIELD_CHOICES",
}
