"""Offline (no cloud) AI scoring: answer grading, resume matching, sentence embeddings.

All functions are deterministic and pure (no database or web access).  Sentence
embeddings come from the bundled all-MiniLM-L6-v2 weights (see ``embeddings``).
"""
