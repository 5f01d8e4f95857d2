"""Citizen cases: the opinion mailbox and applications, their numbers, lookups and deadlines.

Built in steps. So far: working-day deadlines over the office calendar (`deadlines`,
pure), the government office calendar file (`calendar_file`, pure) and its table
(`calendar`), case numbers and passwords as people type them (`numbers`, pure) and as
issued (`numbering`) and stored (`passwords`), case types (`case_types`), citizens' data
sealed at rest (`sealing`, `keys`, `rotation`), opening a case (`intake`, with
`districts`), looking one up (`lookup`), the lifecycle's moves and clock (`lifecycle`,
pure) and handling a case (`handling`), the models and the commands (`cli`). Reached only through `feedback.init_app`;
docs/cases.md explains the choices.
"""
