"""The incident's own exposure and damage estimate (想定される影響と損害額の試算), and the unit
prices of its response costs, which the incident's editors change on the web (audited)."""
