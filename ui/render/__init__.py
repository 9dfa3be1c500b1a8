"""What every face shares without Streamlit: translation (:mod:`~ui.render.i18n` and the
catalogues in ``ui/render/locales``), number formats (:mod:`~ui.render.format`), chart builders
and the TOU palette (:mod:`~ui.render.charts`), the HTML report document
(:mod:`~ui.render.report`, built on :mod:`~ui.render.html`). The CLI imports these; a test
checks that nothing here imports Streamlit."""
