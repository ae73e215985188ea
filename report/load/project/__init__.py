"""The project: its folder's files (sources), koho.toml (config), the outputs it may write (targets) and the printer's ICC profile."""
