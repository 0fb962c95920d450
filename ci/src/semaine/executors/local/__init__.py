"""The engine-free executor: stages as local processes, with a throwaway PostgreSQL."""
