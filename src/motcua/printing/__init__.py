"""A small PDF toolkit shared by every printed document of motcua.

- `fonts`: a Times-compatible serif (Liberation Serif 2, SIL OFL 1.1, shipped in `fonts/` with its licence) that
  renders every Vietnamese diacritic; `register_fonts()` makes it available to reportlab.
- `document`: A4 page set-up, paragraph styles, the national-motto header block of Decree 30/2020/NĐ-CP
  (Annex I), the "…, ngày … tháng … năm …" line, QR codes as vector drawings, and `render_pdf()`.
"""
