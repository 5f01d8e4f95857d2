"""The staff side of surveys: follow-ups of dissatisfied citizens (`follow_up_views`), under `/staff/surveys`."""
