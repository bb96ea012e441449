"""Organizer-written content: the merge-field engine and safe Markdown."""

from .merge import MergeFieldError, MergeTemplate, compile_template

__all__ = ["MergeFieldError", "MergeTemplate", "compile_template"]
