from chainlead.ledger.tests.helpers import world  # noqa: F401  (fixture)
