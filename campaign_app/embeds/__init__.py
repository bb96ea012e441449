"""The action form embedded on the organization's own sites (issue 17)."""
