"""Health: liveness and readiness probes for load balancers, and beat's heartbeat."""
