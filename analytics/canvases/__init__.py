"""Nine-box canvases as data: the paper's three reference cases and one template per stage.

Loaded by :func:`analytics.stage.load_canvas` (strict: unknown keys, missing boxes or
languages are errors). Reference canvases keep the paper's English box text verbatim
(Shen et al., IJMSSSR 2026, DOI 10.56293/IJMSSSR.2026.6202, Figures 2–4); their Chinese
text is a GreenTemp translation and says so.
"""
