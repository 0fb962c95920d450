"""Semaine's CI/CD as code: the Dagger module, its engine-free executor and verbs."""
