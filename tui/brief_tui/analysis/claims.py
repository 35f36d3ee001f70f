"""Claims, their cues, sources and sourcing chains: the face of the passes.

- per paragraph, with the parse: :func:`extract` (extract.py) finds the cues and their claims,
  with the source as written (sourcing.py), chains within a sentence (chains.py), transcript
  turns (transcripts.py) and the author's own statements (statements.py);
- document-wide: :func:`assemble` (sources.py) resolves each source to an actor, classifies
  it and links figures of the same measure (figures.py); :func:`profile` (profile.py) counts.
"""

from __future__ import annotations

from .extract import extract
from .profile import profile
from .sources import assemble

__all__ = ["assemble", "extract", "profile"]
