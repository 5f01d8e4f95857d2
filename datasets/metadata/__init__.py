"""The catalogue in the languages harvesters speak: DCAT-AP (JSON-LD and Turtle), Project Open
Data `data.json` v1.1, the data.gov.tw metadata (22-column CSV and JSON), and an Atom feed
of new releases. Each builder is a function of the published datasets; `views` serves them.
"""
