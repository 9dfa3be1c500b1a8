"""What the pages share: translation, cached wrappers, charts, number formats."""
