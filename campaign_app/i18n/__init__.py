"""Languages: which one a page or an email is in (Flask-Babel catalogs, English and Spanish)."""
