"""The knowledge service's pure rules: Markdown rendering, search text normalisation and ranking."""
