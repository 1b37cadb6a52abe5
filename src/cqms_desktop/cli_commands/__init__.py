"""The implementations of the ``cqms`` commands, one module per area; ``cqms_desktop.cli``
holds the parser, the error handling and ``main``."""
