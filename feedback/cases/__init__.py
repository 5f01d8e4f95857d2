"""Citizen cases: the opinion mailbox and applications, their numbers, lookups and deadlines.

Built in steps. So far: working-day deadlines over the office calendar (`deadlines`,
pure), the government office calendar file (`calendar_file`, pure) and its table
(`calendar`, `models`), case numbers and passwords as people type them (`numbers`,
pure), and the commands (`cli`). Reached only through `feedback.init_app`.
"""
