"""anjian (安监): a county emergency management bureau's inspection, penalty and training system."""

__version__ = "0.1.0"
