"""Grammars, one per kind of fact, as natasha's `grammars/`: noun phrases (organisation names and
posts), person names, dates."""
