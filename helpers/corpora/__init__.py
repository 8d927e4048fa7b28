"""How the course's data is made: seeded generators of the text each chapter trains on.

    python -m helpers.corpora.stories            # Chapter 5: template stories
    python -m helpers.corpora.tales              # Chapter 5: grammar stories (built on first use)
    python -m helpers.corpora.messages           # Chapter 6: labelled weather messages
    python -m helpers.corpora.instruction_data   # Chapter 7: instructions and answers

Each writes its files under ``data/`` byte for byte the same on every run (a test checks the
sha256). Nothing a chapter teaches imports from here; the chapters read the files.
"""
