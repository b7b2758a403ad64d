"""The review desk: what editors and fact-checkers work in all day.

It owns the triage rows (the sentence with its number highlighted, subject, period, place,
document and source grade) shared by the claim list, My queue, the assign page and the
assignment e-mail; one-step decisions; the document review page; evidence by selection; a
figure's story; the dashboard at the admin index; saved filters. Writes go through
claims.workflow and the services here; views only validate and render.
"""
