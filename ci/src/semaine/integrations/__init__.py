"""Outside services, one module each: one HTTP setup, one retry policy, one error base."""
