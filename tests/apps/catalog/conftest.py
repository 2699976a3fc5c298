from tests.apps.orders.world import english, fresh_reference, world  # noqa: F401  (fixtures)
