"""Compose: the model's figures, rates, grades and charts as the documents print them."""
