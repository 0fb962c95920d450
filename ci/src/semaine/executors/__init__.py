"""The two executors of the same stage definitions: local processes and Dagger containers."""
