from tests.apps.orders.world import english, world  # noqa: F401  (fixtures)
