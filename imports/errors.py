"""The error of a confirmed import that can no longer be written as previewed."""


class ImportChanged(Exception):
    """The rows changed between preview and confirmation so that a row no longer does what
    the preview showed; ``str(error)`` says which row."""
