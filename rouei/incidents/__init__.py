"""The incident workspace: incidents, members, facts versions, assessment snapshots, timeline."""
