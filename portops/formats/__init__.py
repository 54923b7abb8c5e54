"""File formats portops reads and writes: YAML schedules, EDIFACT messages, CSV lists.

``registry`` dispatches ``portops import`` to the importer that recognises a file;
``yamlsrc`` loads YAML so that every error names its file and line.
"""
