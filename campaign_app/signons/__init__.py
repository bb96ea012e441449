"""Sign-ons: members of Congress and organizations that signed an alert's letter or statement."""
