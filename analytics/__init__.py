"""GreenTemp analytics: pure computation on pandas.

Nothing in this package imports Streamlit (``tests/test_architecture.py`` walks the
AST and fails if anything does) and nothing here holds user-visible text: findings
carry stable codes and parameters, and ``ui/render/locales/*.json`` turn them into words.
"""

__version__ = "0.1.0"
