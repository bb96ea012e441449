"""CSV exports of an alert's actions, supporters, deliveries and sign-ons, streamed."""
