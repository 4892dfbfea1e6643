"""Leadership development pages, one module a topic: the home page, frameworks and the trust's aggregate view,
self-assessments, 360 feedback cycles and their reports, and a rater's private page. Each thing done on a page is
a form checked before anything is looked up or saved."""
