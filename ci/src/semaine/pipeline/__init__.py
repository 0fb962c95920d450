"""What a pipeline stage is and does, independent of any executor (never imports dagger)."""
