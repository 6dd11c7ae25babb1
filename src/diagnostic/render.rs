//! Rendering of diagnostics: human (miette graphical), JSON lines, GitHub annotations.
