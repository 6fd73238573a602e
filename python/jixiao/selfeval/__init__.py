"""自评 (the year-end self-evaluation): the 自评表 built from the targets, scored by the
rules, checked and consolidated. ``rules`` holds the weights and the scoring, with sources."""
