//! Placeholder: the embedded PostgreSQL cluster lands with issue #2.
