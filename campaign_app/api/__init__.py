"""The public OSDI-shaped API (HAL+JSON) under /api/v1/, and the API keys it accepts."""
