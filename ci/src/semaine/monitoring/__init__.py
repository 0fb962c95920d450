"""The monitor: checks an environment, counts failing runs, alerts once per incident, reports.

`run.monitor` is the entry point (`semaine monitor`, `dagger call monitor`); docs/operations.md
says what each check measures and what to do when it alerts.
"""
