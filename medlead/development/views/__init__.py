"""Pages of a doctor's development, one module a topic: the home page and suggestions, the PDP, openings and the
catalogue, the experience log, mentoring, the career plan and the readiness report. Each page is a GET; each thing
a user does on it is a POST to a view of its own, with a form of its own."""
