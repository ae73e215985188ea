"""Commands: what `koho build`, `serve`, `init`, `batch` and `charts` run."""
