"""jobdesc: signed-off job instructions (job descriptions) from YAML role profiles."""

__version__ = "0.1.0"
