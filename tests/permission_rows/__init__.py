"""Permission rows contributed by each app, merged into `tests.permission_table`."""
