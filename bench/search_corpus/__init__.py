"""A generated corpus of water-utility documents and queries for measuring search.

Written apart from `search/`: its own word lists, and the expected matches of each query
found by a plain substring scan (NFKC, casefold, 台→臺) of the generated text, never by
the tokeniser under measure. `generate.py` builds documents; `queries.py` chooses the
queries and computes what each must find.
"""
