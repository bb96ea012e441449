"""The site's front door: the home page, robots.txt and security.txt."""
