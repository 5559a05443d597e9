"""APPI Art. 26 and PPC Rules Art. 7–10: reporting to the PPC and notice to individuals."""
