"""The leak scanner: which personal data of how many distinct people is in leaked files.

Pure Python, no Django: `rouei scan` runs on an isolated forensic machine with no database.
"""
