"""The version of pledges (one home: the package reads it here, and so does its build)."""

__version__ = "0.1.0"
