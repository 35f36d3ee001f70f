"""brief-tui: a terminal reader for news articles and intelligence-style briefings."""

__version__ = "0.1.0"
