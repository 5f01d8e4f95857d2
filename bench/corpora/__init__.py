"""Generated corpora that benchmarks measure the site's components against.

Each corpus is built from word lists and sentence shapes written for it alone, so that a
benchmark does not grade a component on the component's own assumptions. Nothing under
`tests/` imports these modules: they are measuring sticks, not fixtures.
"""
