"""A starter profile for ``cvrender new "Full Name"``: every section, with comments that explain
the fields. It validates as written and builds, so a new user starts from a working CV."""

from __future__ import annotations

import json
import re

from cvrender.errors import Problem, ProfileError

_TEMPLATE = """\
# The CV of {name_comment}, for cvrender (https://cvrender.org).
# Every key this file may hold, with its type, default and an example:
#   https://cvrender.org/reference/profile/    (or build the docs yourself: nox -s docs)
#
#   cvrender validate {file}       check it; every problem is shown with its line
#   cvrender build {file}          make the PDF
#
# Editor completion: run `cvrender schema -o profile.schema.json` and put this line at the top:
#   # yaml-language-server: $schema=profile.schema.json
#
# Sections print in the order they appear in this file; delete the ones you do not need.
# Text may use **bold**, *italic* and [links](https://example.org).
# Dates may be written 2020, 2020-09, Sep 2020, Fall 2020, "Sep 2020 - present" or
# "expected Jun 2026".

name: {name}
# native_name: 김민준                   # your name in its own script, printed beside it
aliases: [{aliases}]      # other spellings in author lists, so your name is always bold
headline: PhD Student in Computer Science, Example University
email: you@example.edu                  # or a list: [you@example.edu, you@example.org]
website: https://example.org
location: City, Country
links:                                  # user names or full addresses
  github: your-github-name
  google_scholar: AbCdEfGhIjK
  orcid: 0000-0000-0000-0000
  # dblp, semantic_scholar, linkedin, twitter; and custom: [{{label: Blog, url: https://...}}]

about: >-
  Two or three sentences about your research: the questions you ask and why they matter.

interests:                              # plain lines, or {{label, items}} for a labelled row
  - label: Machine Learning
    items: [Representation learning, Robustness]
  - Natural language processing

education:
  - institution: Example University
    url: https://www.example.edu
    degree: Ph.D.
    field: Computer Science
    department: School of Engineering
    location: City, Country
    date: Sep 2021 - expected Jun 2026
    advisors:                           # names, or {{name, url}}
      - name: Prof. Ada Advisor
        url: https://example.edu/~ada
    thesis: Working Title of Your Thesis
    highlights:
      - A line about a fellowship, a focus or an achievement.
  - institution: Another University
    degree: B.Sc.
    field: Mathematics
    date: 2017 - 2021
    gpa: 3.9/4.0

experience:
  - organization: Example Research Lab
    role: Research Intern
    team: Language Team
    location: City, Country
    date: Summer 2024
    advisors: [Dr. Mentor Name]
    summary: One sentence on what you worked on.
    highlights:
      - What you built or found, and what came of it.

publications:
  # Or read them from BibTeX:  bibtex: my-papers.bib
  # group_by: year                      # none, year or type
  # numbering: reverse                  # none, continuous, reverse, per_type
  items:
    - title: Title of Your Paper
      authors: [{me}, Co Author*, Senior Author]   # * marks equal contribution, † corresponding
      venue: Conference on Example Studies
      venue_short: EXCON
      year: 2025
      note: Oral                        # Spotlight, Best Paper...
      links:                            # any labels you like
        PDF: https://arxiv.org/abs/0000.00000
        code: https://github.com/your-github-name/project
      selected: true                    # for a short CV of selected papers

awards:
  - title: Example Fellowship
    issuer: Example Foundation
    years: [2023, 2024]                 # one year, a list, or a range such as 2021-2023

service:
  - role: Reviewer
    venue: EXCON
    years: [2024, 2025]
    kind: conference                    # conference, journal, workshop or other

teaching:
  - course: Introduction to Programming
    role: Teaching Assistant
    institution: Example University
    date: Fall 2023

talks:
  - title: Your Research in Twenty Minutes
    event: Example Seminar Series
    location: City, Country
    date: Mar 2025

news:
  - date: 2025-05
    text: Our paper was accepted at **EXCON 2025**!

projects:
  - name: your-project
    url: https://github.com/your-github-name/project
    summary: One sentence on what it does and who uses it.

skills:
  - category: Programming
    items: Python, C++, SQL
  - category: Tools
    items: [PyTorch, JAX, Git]

languages:
  - language: English
    level: Fluent

sections:                               # sections of your own
  - title: Outreach
    entries:
      - title: Mentor, Example Coding Club
        date: 2022 - present
        summary: Weekly sessions for high-school students.

# titles: {{experience: Research Experience}}   # your own section titles
# locale: en                            # en, zh, zh-Hant, ja, de, fr, es
# theme: academic                       # see `cvrender themes`
# design: {{accent: "#1f3a5f", paper: letter}}
# variants:                             # e.g. cvrender build --variant short
#   short:
#     sections: [education, experience, selected_publications, awards]
"""


def _initials(name: str) -> str:
    """``Jane Q. Doe`` -> ``J. Q. Doe``: the form many author lists use."""
    parts = name.split()
    if len(parts) < 2 or not all(re.fullmatch(r"[^\W\d_][\w.'-]*", p) for p in parts):
        return ""
    return " ".join([*(p[0] + "." for p in parts[:-1] if p[0].isalpha()), parts[-1]])


def starter_profile(name: str, file: str = "profile.yaml") -> str:
    """YAML text of a starter profile for ``name``; it validates as written."""
    name = " ".join(name.split())
    if not name:
        raise ProfileError(Problem("the name is empty; write it in quotes, as in cvrender new \"Jane Doe\""))
    quoted = json.dumps(name, ensure_ascii=False)
    initials = _initials(name)
    aliases = json.dumps(initials, ensure_ascii=False) if initials and initials != name else ""
    text = _TEMPLATE.format(
        name=quoted, name_comment=re.sub(r"[\r\n]", " ", name), file=file, aliases=aliases,
        me=json.dumps(name + "*", ensure_ascii=False))
    from cvrender.sources.loading import load_text

    load_text(text, file)  # a name that makes the profile invalid is reported here, with its line
    return text
