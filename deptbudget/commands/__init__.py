"""Sub-commands of the ``deptbudget`` command, one module each, each with ``register(subparsers)``."""
