"""Patch-through calling: Alerta rings the supporter (or answers the organization's number)
and connects them to each office in turn, recording every leg as a call action."""
