"""My Number Act Art. 29-4 and its PPC rules: reports on 特定個人情報."""
