"""Photos: from the project's files to the bytes each output embeds."""
